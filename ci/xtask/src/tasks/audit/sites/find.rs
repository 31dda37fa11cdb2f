//! Finding the sites: a `syn` visitor over the file, which knows the atomic operations and
//! which of their arguments are orderings.

use super::{Op, Ordering, Site, Sites, Stray};
use proc_macro2::Span;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};

/// Parses `source` and finds its ordering sites.
pub fn find(source: &str) -> Result<Sites, String> {
    let file = syn::parse_file(source).map_err(|error| {
        let start = error.span().start();
        format!(
            "does not parse as Rust (line {}, column {}): {error}",
            start.line,
            start.column + 1
        )
    })?;
    let mut imports = Imports::default();
    imports.visit_file(&file);
    let mut finder = Finder {
        bare: imports.bare,
        context: Vec::new(),
        sites: Vec::new(),
        paths: Vec::new(),
        discarded: BTreeSet::new(),
    };
    finder.visit_file(&file);
    let claimed: Vec<usize> = finder.sites.iter().map(|s| s.range.start).collect();
    let stray = finder
        .paths
        .iter()
        .filter(|(range, _)| !claimed.contains(&range.start))
        .map(|(range, line)| Stray {
            line: *line,
            text: source[range.clone()].to_owned(),
        })
        .collect();
    let mut sites = finder.sites;
    sites.sort_by_key(|s| s.range.start);
    Ok(Sites { sites, stray })
}

/// Bare variant names that `use` declarations bring in from an atomic `Ordering`.
#[derive(Default)]
struct Imports {
    /// Name in scope → the ordering it means.
    bare: BTreeMap<String, Ordering>,
}

impl<'ast> Visit<'ast> for Imports {
    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.walk(&item.tree, false, false);
    }
}

impl Imports {
    /// `in_ordering`: the path so far ends in an atomic `Ordering`; `cmp`: it went through
    /// `cmp` (so this `Ordering` is `std::cmp::Ordering`).
    fn walk(&mut self, tree: &syn::UseTree, in_ordering: bool, cmp: bool) {
        match tree {
            syn::UseTree::Path(path) => {
                let cmp = cmp || path.ident == "cmp";
                self.walk(&path.tree, path.ident == "Ordering" && !cmp, cmp);
            }
            syn::UseTree::Name(name) if in_ordering => {
                if let Some(o) = Ordering::parse(&name.ident.to_string()) {
                    self.bare.insert(name.ident.to_string(), o);
                }
            }
            syn::UseTree::Rename(rename) if in_ordering => {
                if let Some(o) = Ordering::parse(&rename.ident.to_string()) {
                    self.bare.insert(rename.rename.to_string(), o);
                }
            }
            syn::UseTree::Glob(_) if in_ordering => {
                for o in Ordering::ALL {
                    self.bare.insert(o.name().to_owned(), o);
                }
            }
            syn::UseTree::Group(group) => {
                for item in &group.items {
                    self.walk(item, in_ordering, cmp);
                }
            }
            _ => {}
        }
    }
}

struct Finder {
    bare: BTreeMap<String, Ordering>,
    /// Enclosing modules, impl types and functions, outermost first.
    context: Vec<String>,
    sites: Vec<Site>,
    /// Every atomic-ordering path in the file, claimed by a site or not: (bytes, line).
    paths: Vec<(Range<usize>, usize)>,
    /// The bytes of every expression whose value is dropped: `expr;` and `let _ = expr;`.
    discarded: BTreeSet<(usize, usize)>,
}

/// An expression's bytes, from its first token to its last.
fn bytes(expr: &impl Spanned) -> Range<usize> {
    expr.span().byte_range()
}

/// Whether a call whose value is dropped is there only for its ordering: a load, or a
/// read-modify-write that leaves the value as it was (add, subtract, or, xor of a literal 0).
fn ordering_only(method: &str, args: &[&syn::Expr]) -> bool {
    let zero = |expr: &syn::Expr| {
        matches!(expr, syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(int), .. })
            if int.base10_digits() == "0")
    };
    match method {
        "load" => true,
        "fetch_add" | "fetch_sub" | "fetch_or" | "fetch_xor" => args.len() == 2 && zero(args[0]),
        _ => false,
    }
}

/// Which arguments of a method are orderings, with the kind and role of each.
fn ordering_arguments(method: &str, args: usize) -> Vec<(usize, Op, &'static str)> {
    match (method, args) {
        ("load", 1) => vec![(0, Op::Load, "")],
        ("store", 2) => vec![(1, Op::Store, "")],
        ("compare_exchange" | "compare_exchange_weak", 4) => {
            vec![(2, Op::Rmw, "success"), (3, Op::Load, "failure")]
        }
        ("fetch_update", 3) => vec![(0, Op::Rmw, "set"), (1, Op::Load, "fetch")],
        ("swap", 2) => vec![(1, Op::Rmw, "")],
        // fetch_add, fetch_sub, fetch_and, fetch_nand, fetch_or, fetch_xor, fetch_max,
        // fetch_min, fetch_not, fetch_ptr_add, …: the ordering is always the last argument.
        (m, n) if m.starts_with("fetch_") && n >= 1 => vec![(n - 1, Op::Rmw, "")],
        _ => Vec::new(),
    }
}

impl Finder {
    /// The ordering an expression names, if it is an atomic-ordering path.
    fn ordering(&self, expr: &syn::Expr) -> Option<(Ordering, Range<usize>, bool)> {
        let syn::Expr::Path(path) = expr else {
            return None;
        };
        self.ordering_path(path)
    }

    fn ordering_path(&self, path: &syn::ExprPath) -> Option<(Ordering, Range<usize>, bool)> {
        if path.qself.is_some() {
            return None;
        }
        let segments: Vec<String> = path
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        let last = segments.last()?;
        let (ordering, bare) = match segments.len() {
            1 if path.path.leading_colon.is_none() => (*self.bare.get(last)?, true),
            1 => return None,
            n => {
                let atomic_ordering =
                    segments[n - 2] == "Ordering" && !segments.iter().any(|s| s == "cmp");
                if !atomic_ordering {
                    return None;
                }
                (Ordering::parse(last)?, false)
            }
        };
        let start = match &path.path.leading_colon {
            Some(colon) => colon.spans[0],
            None => path.path.segments.first()?.ident.span(),
        };
        let end = path.path.segments.last()?.ident.span();
        Some((
            ordering,
            start.byte_range().start..end.byte_range().end,
            bare,
        ))
    }

    fn add(
        &mut self,
        expr: &syn::Expr,
        method: &str,
        op: Op,
        role: &'static str,
        atomic: Option<String>,
        removal: Option<Range<usize>>,
    ) {
        if let Some((written, range, bare)) = self.ordering(expr) {
            self.sites.push(Site {
                line: line_of(expr_start(expr)),
                range,
                bare,
                function: self.function(),
                method: method.to_owned(),
                role,
                op,
                atomic,
                written,
                removal,
            });
        }
    }

    fn function(&self) -> String {
        if self.context.is_empty() {
            "(top level)".to_owned()
        } else {
            self.context.join("::")
        }
    }
}

fn expr_start(expr: &syn::Expr) -> Span {
    match expr {
        syn::Expr::Path(path) => match &path.path.leading_colon {
            Some(colon) => colon.spans[0],
            None => path
                .path
                .segments
                .first()
                .map_or_else(Span::call_site, |s| s.ident.span()),
        },
        _ => Span::call_site(),
    }
}

fn line_of(span: Span) -> usize {
    span.start().line
}

/// The atomic a receiver names: its last field, index base or name.
fn atomic_key(expr: &syn::Expr) -> Option<String> {
    match expr {
        syn::Expr::Field(field) => Some(match &field.member {
            syn::Member::Named(name) => name.to_string(),
            syn::Member::Unnamed(index) => index.index.to_string(),
        }),
        syn::Expr::Index(index) => atomic_key(&index.expr),
        syn::Expr::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        syn::Expr::Paren(inner) => atomic_key(&inner.expr),
        syn::Expr::Reference(inner) => atomic_key(&inner.expr),
        syn::Expr::Unary(inner) => atomic_key(&inner.expr),
        syn::Expr::MethodCall(call) => Some(call.method.to_string()),
        _ => None,
    }
}

/// The last segment of a type's path: `SpinLock` for `SpinLock<T>`.
fn type_name(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .map_or_else(|| "_".to_owned(), |s| s.ident.to_string()),
        syn::Type::Reference(reference) => type_name(&reference.elem),
        _ => "_".to_owned(),
    }
}

impl<'ast> Visit<'ast> for Finder {
    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        self.context.push(item.ident.to_string());
        visit::visit_item_mod(self, item);
        self.context.pop();
    }

    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        self.context.push(type_name(&item.self_ty));
        visit::visit_item_impl(self, item);
        self.context.pop();
    }

    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        self.context.push(item.sig.ident.to_string());
        visit::visit_item_fn(self, item);
        self.context.pop();
    }

    fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
        self.context.push(item.sig.ident.to_string());
        visit::visit_impl_item_fn(self, item);
        self.context.pop();
    }

    fn visit_trait_item_fn(&mut self, item: &'ast syn::TraitItemFn) {
        self.context.push(item.sig.ident.to_string());
        visit::visit_trait_item_fn(self, item);
        self.context.pop();
    }

    fn visit_stmt(&mut self, stmt: &'ast syn::Stmt) {
        match stmt {
            syn::Stmt::Expr(expr, Some(_)) => {
                let range = bytes(expr);
                self.discarded.insert((range.start, range.end));
            }
            syn::Stmt::Local(local) => {
                if let (syn::Pat::Wild(_), Some(init)) = (&local.pat, &local.init)
                    && init.diverge.is_none()
                {
                    let range = bytes(&init.expr);
                    self.discarded.insert((range.start, range.end));
                }
            }
            _ => {}
        }
        visit::visit_stmt(self, stmt);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        let method = call.method.to_string();
        let args: Vec<&syn::Expr> = call.args.iter().collect();
        let whole = bytes(call);
        let removal = (self.discarded.contains(&(whole.start, whole.end))
            && ordering_only(&method, &args))
        .then_some(whole);
        for (index, op, role) in ordering_arguments(&method, args.len()) {
            self.add(
                args[index],
                &method,
                op,
                role,
                atomic_key(&call.receiver),
                removal.clone(),
            );
        }
        visit::visit_expr_method_call(self, call);
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let syn::Expr::Path(function) = &*call.func
            && function
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "fence")
            && call.args.len() == 1
        {
            // A fence has no value: it can go wherever it is.
            self.add(
                &call.args[0],
                "fence",
                Op::Fence,
                "",
                None,
                Some(bytes(call)),
            );
        }
        visit::visit_expr_call(self, call);
    }

    fn visit_expr_path(&mut self, path: &'ast syn::ExprPath) {
        if let Some((_, range, _)) = self.ordering_path(path) {
            let line = line_of(expr_start(&syn::Expr::Path(path.clone())));
            self.paths.push((range, line));
        }
        visit::visit_expr_path(self, path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ordering::*;

    fn ops(source: &str) -> Vec<(String, Op, &'static str, Ordering, usize)> {
        find(source)
            .unwrap()
            .sites
            .into_iter()
            .map(|s| (s.method, s.op, s.role, s.written, s.line))
            .collect()
    }

    #[test]
    fn finds_loads_stores_and_read_modify_writes() {
        let source = "use std::sync::atomic::{AtomicU64, Ordering};\n\
            fn f(a: &AtomicU64) {\n\
                a.load(Ordering::Acquire);\n\
                a.store(1, Ordering::Release);\n\
                a.fetch_add(1, Ordering::Relaxed);\n\
                a.swap(2, std::sync::atomic::Ordering::AcqRel);\n\
                a.fetch_max(3, Ordering::SeqCst);\n\
            }\n";
        assert_eq!(
            ops(source),
            [
                ("load".into(), Op::Load, "", Acquire, 3),
                ("store".into(), Op::Store, "", Release, 4),
                ("fetch_add".into(), Op::Rmw, "", Relaxed, 5),
                ("swap".into(), Op::Rmw, "", AcqRel, 6),
                ("fetch_max".into(), Op::Rmw, "", SeqCst, 7),
            ]
        );
    }

    #[test]
    fn finds_both_orderings_of_a_compare_exchange_and_of_fetch_update() {
        let source = "fn f(a: &AtomicBool) {\n\
            let _ = a.compare_exchange_weak(\n\
                false,\n\
                true,\n\
                Ordering::Acquire, // success\n\
                Ordering::Relaxed,\n\
            );\n\
            let _ = a.compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire);\n\
            let _ = a.fetch_update(Ordering::Release, Ordering::Relaxed, |x| Some(!x));\n\
        }\n";
        assert_eq!(
            ops(source),
            [
                (
                    "compare_exchange_weak".into(),
                    Op::Rmw,
                    "success",
                    Acquire,
                    5
                ),
                (
                    "compare_exchange_weak".into(),
                    Op::Load,
                    "failure",
                    Relaxed,
                    6
                ),
                ("compare_exchange".into(), Op::Rmw, "success", AcqRel, 8),
                ("compare_exchange".into(), Op::Load, "failure", Acquire, 8),
                ("fetch_update".into(), Op::Rmw, "set", Release, 9),
                ("fetch_update".into(), Op::Load, "fetch", Relaxed, 9),
            ]
        );
    }

    #[test]
    fn finds_fences_by_any_path() {
        let source = "fn f() {\n\
            fence(Ordering::Acquire);\n\
            std::sync::atomic::fence(Ordering::SeqCst);\n\
        }\n";
        let found = ops(source);
        assert_eq!(found.len(), 2);
        assert!(
            found
                .iter()
                .all(|(m, op, ..)| m == "fence" && *op == Op::Fence)
        );
        assert_eq!(found[1].3, SeqCst);
    }

    #[test]
    fn bare_names_count_only_when_imported_from_an_atomic_ordering() {
        let glob = "use std::sync::atomic::Ordering::*;\nfn f(a: &A) { a.load(Acquire); }\n";
        assert_eq!(ops(glob)[0].3, Acquire);
        let named = "use std::sync::atomic::{AtomicU8, Ordering::{Relaxed, Release}};\n\
            fn f(a: &A) { a.store(1, Release); a.load(Relaxed); }\n";
        assert_eq!(ops(named).len(), 2);
        assert!(find(named).unwrap().sites.iter().all(|s| s.bare));
        // Not imported: a local `Acquire` is not an ordering the audit may change.
        let local = "fn f(a: &A) { a.load(Acquire); }\n";
        assert!(ops(local).is_empty());
    }

    #[test]
    fn cmp_ordering_is_not_an_atomic_ordering() {
        let source = "use std::cmp::Ordering;\nuse std::cmp::Ordering::*;\n\
            fn f(a: u8, b: u8, x: &A) -> bool {\n\
                x.load(Less);\n\
                a.cmp(&b) == Ordering::Less && std::cmp::Ordering::Greater != a.cmp(&b)\n\
            }\n";
        let found = find(source).unwrap();
        assert!(found.sites.is_empty(), "{:?}", found.sites);
        assert!(found.stray.is_empty(), "{:?}", found.stray);
    }

    #[test]
    fn an_ordering_not_passed_to_an_operation_is_reported_as_stray() {
        let source = "const ORDER: Ordering = Ordering::Acquire;\n\
            fn f(a: &A) { a.load(ORDER); a.load(Ordering::Relaxed); }\n";
        let found = find(source).unwrap();
        assert_eq!(found.sites.len(), 1);
        assert_eq!(
            found.stray,
            [Stray {
                line: 1,
                text: "Ordering::Acquire".into()
            }]
        );
    }

    #[test]
    fn names_the_function_and_the_atomic() {
        let source = "impl<T> Drop for Guard<'_, T> {\n\
            fn drop(&mut self) { self.lock.locked.store(false, Ordering::Release); }\n\
        }\n\
        fn sum(s: &S) -> u64 { s.shards.iter().map(|shard| shard.load(Ordering::Relaxed)).sum() }\n";
        let sites = find(source).unwrap().sites;
        assert_eq!(sites[0].function, "Guard::drop");
        assert_eq!(sites[0].atomic.as_deref(), Some("locked"));
        assert_eq!(sites[1].function, "sum");
        assert_eq!(sites[1].atomic.as_deref(), Some("shard"));
    }

    #[test]
    fn a_file_that_does_not_parse_is_an_error_with_its_line() {
        let error = find("fn f( {\n").unwrap_err();
        assert!(error.contains("does not parse"), "{error}");
    }
}
