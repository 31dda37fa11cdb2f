//! Where the orderings are: every atomic-ordering site in a Rust file, found by parsing it with
//! `syn` (never by searching the text), and the rewrites the audit makes to copies of it.
//!
//! A site is one `Ordering::X` passed to an atomic operation: a load, a store, a
//! read-modify-write, either ordering of a compare-and-swap (or of `fetch_update`), or a fence.
//! `proc-macro2`'s span locations give the bytes of each one, so a rewrite replaces exactly
//! those bytes and leaves every comment and line number where it was.
//!
//! Some operations are there only for their ordering: a fence, a load whose value is dropped,
//! a `fetch_add` (`_sub`, `_or`, `_xor`) of 0 whose value is dropped. Removing one changes no
//! value, only what is ordered, so for these the audit also tries the code without them: the
//! rewrite wraps the whole operation in a condition the same environment variable controls.

use proc_macro2::{Span, TokenStream, TokenTree};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use syn::spanned::Spanned;
use syn::visit::{self, Visit};

/// An atomic memory ordering.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ordering {
    Relaxed,
    Release,
    Acquire,
    AcqRel,
    SeqCst,
}

use Ordering::{AcqRel, Acquire, Relaxed, Release, SeqCst};

impl Ordering {
    /// Strongest first: the order in which the audit tries weakenings.
    pub const ALL: [Ordering; 5] = [SeqCst, AcqRel, Acquire, Release, Relaxed];

    pub fn name(self) -> &'static str {
        match self {
            Relaxed => "Relaxed",
            Release => "Release",
            Acquire => "Acquire",
            AcqRel => "AcqRel",
            SeqCst => "SeqCst",
        }
    }

    pub fn parse(name: &str) -> Option<Ordering> {
        Ordering::ALL.into_iter().find(|o| o.name() == name)
    }

    /// Whether `self` promises at most what `other` does. The orderings form a diamond:
    /// Relaxed below Acquire and Release, both below AcqRel, below SeqCst. Acquire and
    /// Release are not comparable.
    pub fn at_most(self, other: Ordering) -> bool {
        self == other
            || matches!(
                (self, other),
                (Relaxed, _) | (Acquire | Release, AcqRel | SeqCst) | (AcqRel, SeqCst)
            )
    }
}

/// What kind of access a site orders; it decides which orderings the site accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `load`, and the failure ordering of a CAS or the fetch ordering of `fetch_update`
    /// (both are loads).
    Load,
    Store,
    /// `swap`, `fetch_*`, and the success ordering of a CAS or the set ordering of
    /// `fetch_update`.
    Rmw,
    Fence,
}

impl Op {
    /// Whether the operation takes this ordering at all (std panics on the others: a load
    /// cannot release, a store cannot acquire, a fence cannot be Relaxed, and a CAS's failure
    /// ordering is a load's).
    pub fn accepts(self, ordering: Ordering) -> bool {
        match self {
            Op::Load => matches!(ordering, Relaxed | Acquire | SeqCst),
            Op::Store => matches!(ordering, Relaxed | Release | SeqCst),
            Op::Rmw => true,
            Op::Fence => ordering != Relaxed,
        }
    }

    /// The orderings strictly weaker than `written` that this operation accepts, strongest
    /// first: the weakenings the audit tries.
    pub fn weaker(self, written: Ordering) -> Vec<Ordering> {
        Ordering::ALL
            .into_iter()
            .filter(|&o| o != written && o.at_most(written) && self.accepts(o))
            .collect()
    }
}

/// One ordering argument of one atomic operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// 1-based line of the ordering.
    pub line: usize,
    /// The bytes of the ordering's path (`Ordering::Acquire`, or a bare `Acquire`).
    pub range: Range<usize>,
    /// Whether the path is a bare variant name (brought in by `use …::Ordering::*` or similar).
    pub bare: bool,
    /// The function it is in, as `Type::method` or `function`.
    pub function: String,
    /// The operation, as written: `load`, `compare_exchange_weak`, `fence`, …
    pub method: String,
    /// Which of the operation's orderings: `success`/`failure` for a CAS, `set`/`fetch` for
    /// `fetch_update`, empty otherwise.
    pub role: &'static str,
    pub op: Op,
    /// The atomic it applies to, as the last field or name of the receiver (`locked`, `tail`);
    /// `None` for fences. Two sites on the same atomic are the ones that pair with each other.
    pub atomic: Option<String>,
    pub written: Ordering,
    /// The bytes of the whole operation, when it is there only for its ordering (a fence, a
    /// load whose value is dropped, an add of 0 whose value is dropped): the audit then also
    /// tries the code without it. `None` for every other operation.
    pub removal: Option<Range<usize>>,
}

impl Site {
    /// `compare_exchange_weak` (success), `load`, `fence`.
    pub fn operation(&self) -> String {
        if self.role.is_empty() {
            format!("`{}`", self.method)
        } else {
            format!("`{}` ({})", self.method, self.role)
        }
    }
}

/// An ordering the audit cannot vary: not written directly as an argument of an atomic
/// operation (a constant, a variable, an operation the audit does not know).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stray {
    pub line: usize,
    pub text: String,
}

/// Every site in a file, in source order, and every ordering the audit could not place.
#[derive(Debug, Default)]
pub struct Sites {
    pub sites: Vec<Site>,
    pub stray: Vec<Stray>,
}

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

/// The name of the function the audit adds to an instrumented copy.
const LOOKUP: &str = "__xtask_audit_ordering";

/// The function that says whether a removable operation runs in this variant.
const KEEP: &str = "__xtask_audit_keep";

/// The environment variable that overrides sites in an instrumented build:
/// `3=Relaxed,5=Release,7=removed`.
pub const OVERRIDES: &str = "XTASK_AUDIT_ORDERINGS";

/// What [`OVERRIDES`] says for a site that the variant removes.
pub const REMOVED: &str = "removed";

/// A copy of `source` in which site `i` (of `sites`) asks [`OVERRIDES`] for its ordering
/// under the number `first_id + i`, falling back to what is written; a site with a
/// [`Site::removal`] also asks whether its operation runs at all (`if keep(n) { let _ = op; }`).
/// One build of the copy then runs every variant: a variant is an environment variable, not a
/// rebuild. Only the sites' bytes change (each path becomes a call around itself, each
/// removable operation gains a condition on its own line), so every line keeps its number.
pub fn instrument(source: &str, sites: &[Site], first_id: usize) -> String {
    // (where, bytes replaced, replacement), applied from the end of the file.
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for (i, site) in sites.iter().enumerate() {
        let id = first_id + i;
        let written = &source[site.range.clone()];
        edits.push((site.range.clone(), format!("{LOOKUP}({id}, {written})")));
        if let Some(whole) = &site.removal {
            edits.push((
                whole.start..whole.start,
                format!("if {KEEP}({id}) {{ let _ = "),
            ));
            edits.push((whole.end..whole.end, "; }".to_owned()));
        }
    }
    edits.sort_by_key(|(range, _)| std::cmp::Reverse((range.start, range.end)));
    let mut out = source.to_owned();
    for (range, text) in edits {
        out.replace_range(range, &text);
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&format!(
        r#"
// Added by `cargo xtask audit` to this copy only: the ordering of site `site`, unless
// {OVERRIDES} (`site=Ordering,…`, or `site={REMOVED}`) names another one for this run.
#[allow(dead_code)]
fn {LOOKUP}(
    site: usize,
    written: ::std::sync::atomic::Ordering,
) -> ::std::sync::atomic::Ordering {{
    __xtask_audit_overrides()
        .iter()
        .find(|(number, _)| *number == site)
        .and_then(|&(_, ordering)| ordering)
        .unwrap_or(written)
}}

// Added by `cargo xtask audit`: whether the operation of site `site` runs in this run
// (`site={REMOVED}` in {OVERRIDES} leaves it out).
#[allow(dead_code)]
fn {KEEP}(site: usize) -> bool {{
    !__xtask_audit_overrides()
        .iter()
        .any(|&(number, ordering)| number == site && ordering.is_none())
}}

// Added by `cargo xtask audit`: {OVERRIDES}, read once. `None` is a removed operation.
#[allow(dead_code)]
fn __xtask_audit_overrides() -> &'static [(usize, Option<::std::sync::atomic::Ordering>)] {{
    use ::std::sync::atomic::Ordering;
    static OVERRIDES: ::std::sync::OnceLock<Vec<(usize, Option<Ordering>)>> =
        ::std::sync::OnceLock::new();
    OVERRIDES.get_or_init(|| {{
        let spec = ::std::env::var("{OVERRIDES}").unwrap_or_default();
        spec.split(',')
            .filter(|item| !item.is_empty())
            .map(|item| {{
                let (number, name) = item.split_once('=').expect("site=Ordering");
                let ordering = match name {{
                    "{REMOVED}" => None,
                    "Relaxed" => Some(Ordering::Relaxed),
                    "Release" => Some(Ordering::Release),
                    "Acquire" => Some(Ordering::Acquire),
                    "AcqRel" => Some(Ordering::AcqRel),
                    "SeqCst" => Some(Ordering::SeqCst),
                    other => panic!("{OVERRIDES}: no ordering `{{other}}`"),
                }};
                (number.parse().expect("a site number"), ordering)
            }})
            .collect()
    }})
}}
"#
    ));
    out
}

/// How to write `ordering` in place of `site`'s path: the same path with another variant.
fn spelled(source: &str, site: &Site, ordering: Ordering) -> String {
    if site.bare {
        // A bare name may not be imported for the new ordering; the full path always works
        // (loom's `Ordering` is std's).
        format!("::std::sync::atomic::Ordering::{}", ordering.name())
    } else {
        let path = &source[site.range.clone()];
        let prefix = &path[..path.rfind("::").map_or(0, |i| i + 2)];
        format!("{prefix}{}", ordering.name())
    }
}

/// A comment in a file: its bytes and its first and last line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub range: Range<usize>,
    pub first_line: usize,
    pub last_line: usize,
}

/// Every comment in `source` (line, block and doc comments), in order. The tokenizer finds
/// them: whatever lies between two tokens is whitespace or comments, and a doc comment is a
/// token (`#[doc = …]`) whose bytes start with `//` or `/*`.
pub fn comments(source: &str) -> Result<Vec<Comment>, String> {
    let tokens: TokenStream = source
        .parse()
        .map_err(|e| format!("does not tokenize as Rust: {e}"))?;
    let mut ranges = Vec::new();
    token_ranges(tokens, &mut ranges);
    ranges.sort_by_key(|r| r.start);
    let mut found = Vec::new();
    let mut at = 0;
    for range in ranges
        .iter()
        .chain(std::iter::once(&(source.len()..source.len())))
    {
        if range.start < at {
            continue;
        }
        gap_comments(source, at..range.start, &mut found);
        let text = &source[range.clone()];
        if text.starts_with("//") || text.starts_with("/*") {
            found.push(range.clone());
        }
        at = range.end;
    }
    let line = |offset: usize| source[..offset].matches('\n').count() + 1;
    Ok(found
        .into_iter()
        .map(|range| Comment {
            first_line: line(range.start),
            last_line: line(range.end.saturating_sub(1).max(range.start)),
            range,
        })
        .collect())
}

fn token_ranges(tokens: TokenStream, out: &mut Vec<Range<usize>>) {
    for token in tokens {
        match token {
            TokenTree::Group(group) => {
                out.push(group.span_open().byte_range());
                out.push(group.span_close().byte_range());
                token_ranges(group.stream(), out);
            }
            other => out.push(other.span().byte_range()),
        }
    }
}

/// The comments in a stretch that holds only whitespace and comments.
fn gap_comments(source: &str, gap: Range<usize>, out: &mut Vec<Range<usize>>) {
    let text = &source[gap.clone()];
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            let end = rest.find('\n').unwrap_or(rest.len());
            out.push(gap.start + i..gap.start + i + end);
            i += end;
        } else if rest.starts_with("/*") {
            let mut depth = 0;
            let mut j = 0;
            while j < rest.len() {
                if rest[j..].starts_with("/*") {
                    depth += 1;
                    j += 2;
                } else if rest[j..].starts_with("*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += rest[j..].chars().next().map_or(1, char::len_utf8);
                }
            }
            out.push(gap.start + i..gap.start + i + j);
            i += j;
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
}

/// The comment lines that speak for a site: a comment on its own line, and the run of
/// comment-only lines directly above it. (The project's rule puts each ordering's defence
/// there.)
pub fn site_comments<'a>(source: &str, comments: &'a [Comment], site: &Site) -> Vec<&'a Comment> {
    let lines: Vec<&str> = source.lines().collect();
    let comment_only = |line: usize| {
        lines.get(line - 1).is_some_and(|text| {
            let t = text.trim_start();
            t.starts_with("//") || t.starts_with("/*") || t.starts_with('*')
        })
    };
    let mut first = site.line;
    while first > 1 && comment_only(first - 1) {
        first -= 1;
    }
    comments
        .iter()
        .filter(|c| c.last_line >= first && c.first_line <= site.line)
        .collect()
}

/// The reason a site gives for being stronger than it needs to be: the text after
/// `audit: stronger because` in its comments.
pub fn stated_reason(source: &str, comments: &[Comment], site: &Site) -> Option<String> {
    const MARKER: &str = "audit: stronger because";
    let text: Vec<String> = site_comments(source, comments, site)
        .iter()
        .map(|c| comment_text(&source[c.range.clone()]))
        .collect();
    let text = text.join(" ");
    let start = text.find(MARKER)? + MARKER.len();
    let reason = text[start..].trim();
    (!reason.is_empty()).then(|| reason.to_owned())
}

/// A comment's words without its `//`, `///`, `/*` markers.
fn comment_text(comment: &str) -> String {
    comment
        .lines()
        .map(|line| {
            line.trim()
                .trim_start_matches('/')
                .trim_start_matches('!')
                .trim_start_matches('*')
                .trim_end_matches("*/")
                .trim()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Words that give an ordering away.
const ANSWER_WORDS: [&str; 6] = [
    "Relaxed",
    "Release",
    "Acquire",
    "AcqRel",
    "SeqCst",
    "pairs with",
];

/// The "pick the orderings" exercise made from a solution: every site set to SeqCst, each
/// site's own comments replaced by a question, and ordering names in other comments blanked,
/// so the file no longer says what the answer is.
pub fn orderings_exercise(solution: &str, name: &str) -> Result<String, String> {
    let found = find(solution)?;
    if found.sites.is_empty() {
        return Err("the solution has no ordering sites".into());
    }
    let all: Vec<Comment> = comments(solution)?;
    let at_sites: Vec<Range<usize>> = found
        .sites
        .iter()
        .flat_map(|site| site_comments(solution, &all, site))
        .map(|c| c.range.clone())
        .collect();
    // Edits as (bytes, replacement), applied from the end.
    let mut edits: Vec<(Range<usize>, String)> = found
        .sites
        .iter()
        .map(|site| (site.range.clone(), spelled(solution, site, SeqCst)))
        .collect();
    // The file's opening comment lines say what the file is: they become the exercise's.
    let mut opening = 0;
    while opening < all.len()
        && all[opening].first_line == opening + 1
        && line_is_only_comment(solution, &all[opening])
    {
        opening += 1;
    }
    for (index, comment) in all.iter().enumerate() {
        let text = &solution[comment.range.clone()];
        if index == 0 && opening > 0 {
            edits.push((comment.range.clone(), header(name)));
        } else if index < opening || text.starts_with("// ANCHOR") {
            // The book's include markers mean nothing in the reader's copy.
            edits.push((whole_lines(solution, comment), String::new()));
        } else if at_sites.contains(&comment.range) {
            // One question per run of comment lines, on the run's first line.
            let previous_is_site_comment = index > 0
                && at_sites.contains(&all[index - 1].range)
                && all[index - 1].last_line + 1 == comment.first_line;
            let own_line = line_is_only_comment(solution, comment);
            if previous_is_site_comment && own_line {
                edits.push((whole_lines(solution, comment), String::new()));
            } else if own_line {
                edits.push((
                    comment.range.clone(),
                    "// Which ordering, and what does it pair with?".to_owned(),
                ));
            } else {
                // A comment after code on the site's line: drop it (and the space before it).
                let start = solution[..comment.range.start].trim_end().len();
                edits.push((start..comment.range.end, String::new()));
            }
        } else if ANSWER_WORDS.iter().any(|w| text.contains(w)) {
            let mut blanked = text.to_owned();
            for word in ANSWER_WORDS {
                blanked = blanked.replace(word, "…");
            }
            edits.push((comment.range.clone(), blanked));
        }
    }
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    let mut out = solution.to_owned();
    let mut floor = usize::MAX;
    for (range, text) in edits {
        if range.end > floor {
            continue; // inside a range already replaced
        }
        floor = range.start;
        out.replace_range(range, &text);
    }
    Ok(out)
}

fn header(name: &str) -> String {
    format!(
        "// `cargo xtask learn {name}`: pick the orderings.\n\
         //\n\
         // This is the chapter's solution with every ordering set to SeqCst, the strongest.\n\
         // It passes the checker, and it is stronger than it needs to be. Weaken each ordering\n\
         // as far as it can go and still pass, and write above it what it pairs with. The\n\
         // audit then grades every ordering: minimal, too strong, or broken."
    )
}

fn line_is_only_comment(source: &str, comment: &Comment) -> bool {
    let line_start = source[..comment.range.start]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    source[line_start..comment.range.start].trim().is_empty()
}

/// A comment's lines, newline included, for comments that are alone on their lines.
fn whole_lines(source: &str, comment: &Comment) -> Range<usize> {
    let start = source[..comment.range.start]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let end = source[comment.range.end..]
        .find('\n')
        .map_or(source.len(), |i| comment.range.end + i + 1);
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn the_lattice_of_weakenings() {
        assert_eq!(Op::Load.weaker(SeqCst), [Acquire, Relaxed]);
        assert_eq!(Op::Load.weaker(Acquire), [Relaxed]);
        assert_eq!(Op::Load.weaker(Relaxed), []);
        assert_eq!(Op::Store.weaker(SeqCst), [Release, Relaxed]);
        assert_eq!(Op::Store.weaker(Release), [Relaxed]);
        assert_eq!(Op::Rmw.weaker(SeqCst), [AcqRel, Acquire, Release, Relaxed]);
        assert_eq!(Op::Rmw.weaker(AcqRel), [Acquire, Release, Relaxed]);
        assert_eq!(Op::Rmw.weaker(Acquire), [Relaxed]);
        assert_eq!(Op::Rmw.weaker(Release), [Relaxed]);
        assert_eq!(Op::Fence.weaker(SeqCst), [AcqRel, Acquire, Release]);
        assert_eq!(Op::Fence.weaker(Acquire), []);
        // A CAS's failure ordering is a load: never Release or AcqRel.
        assert!(!Op::Load.accepts(Release) && !Op::Load.accepts(AcqRel));
        assert!(!Acquire.at_most(Release) && !Release.at_most(Acquire));
        assert!(Relaxed.at_most(Acquire) && AcqRel.at_most(SeqCst));
    }

    #[test]
    fn instrumenting_keeps_every_line_and_comment() {
        let source = "fn f(a: &A) -> u8 {\n    // Acquire: pairs with the store\n    a.load(Ordering::Acquire)\n}\n";
        let sites = find(source).unwrap().sites;
        let out = instrument(source, &sites, 7);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[1], "    // Acquire: pairs with the store");
        assert_eq!(
            lines[2],
            format!("    a.load({LOOKUP}(7, Ordering::Acquire))")
        );
        assert!(out.contains(&format!("fn {LOOKUP}(")));
        // The copy still parses, and the written ordering is still on its line.
        assert_eq!(find(&out).unwrap().stray[0].line, 3);
    }

    #[test]
    fn operations_there_only_for_their_ordering_can_be_removed() {
        let source = "fn f(a: &A) -> u8 {\n\
            fence(Ordering::Acquire);\n\
            a.load(Ordering::Acquire);\n\
            let _ = a.fetch_add(0, Ordering::Release);\n\
            a.fetch_add(1, Ordering::Relaxed);\n\
            let _x = a.load(Ordering::Relaxed);\n\
            a.load(Ordering::Acquire)\n\
        }\n";
        let removable: Vec<(usize, bool)> = find(source)
            .unwrap()
            .sites
            .iter()
            .map(|s| (s.line, s.removal.is_some()))
            .collect();
        // The fence, the dropped load and the dropped add of 0; not the add of 1, nor a load
        // whose value is kept (bound to a name, or returned).
        assert_eq!(
            removable,
            [
                (2, true),
                (3, true),
                (4, true),
                (5, false),
                (6, false),
                (7, false)
            ]
        );
    }

    #[test]
    fn a_removable_operation_is_wrapped_on_its_own_line() {
        let source = "fn f(a: &A) {\n    a.store(1, Ordering::Relaxed);\n    \
            fence(Ordering::Acquire); // pairs with the store\n}\n";
        let sites = find(source).unwrap().sites;
        let out = instrument(source, &sites, 3);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[2],
            format!(
                "    if {KEEP}(4) {{ let _ = fence({LOOKUP}(4, Ordering::Acquire)); }}; \
                 // pairs with the store"
            )
        );
        assert_eq!(
            lines[1],
            format!("    a.store(1, {LOOKUP}(3, Ordering::Relaxed));")
        );
        assert!(out.contains(&format!("fn {KEEP}(")));
        assert!(out.contains(&format!("\"{REMOVED}\" => None")));
        assert!(syn::parse_file(&out).is_ok(), "{out}");
    }

    #[test]
    fn rewriting_changes_only_the_variant() {
        let source = "use std::sync::atomic::Ordering::*;\n\
            fn f(a: &A) { a.load(Acquire); a.store(1, std::sync::atomic::Ordering::Release); }\n";
        let sites = find(source).unwrap().sites;
        assert_eq!(
            spelled(source, &sites[0], Relaxed),
            "::std::sync::atomic::Ordering::Relaxed"
        );
        assert_eq!(
            spelled(source, &sites[1], SeqCst),
            "std::sync::atomic::Ordering::SeqCst"
        );
    }

    #[test]
    fn finds_line_block_and_doc_comments_but_not_strings() {
        let source = "// one\n/// two\nfn f() { let s = \"// not\"; /* three */ }\n";
        let found: Vec<&str> = comments(source)
            .unwrap()
            .iter()
            .map(|c| &source[c.range.clone()])
            .collect();
        assert_eq!(found, ["// one", "/// two", "/* three */"]);
    }

    #[test]
    fn the_reason_marker_is_read_from_the_sites_comments() {
        let source = "fn f(a: &A) {\n    // pairs with a reader outside the model;\n    \
            // audit: stronger because the C side reads it\n    a.store(1, Ordering::Release);\n\
            a.load(Ordering::Acquire); // no marker here\n}\n";
        let sites = find(source).unwrap().sites;
        let all = comments(source).unwrap();
        assert_eq!(
            stated_reason(source, &all, &sites[0]).as_deref(),
            Some("the C side reads it")
        );
        assert_eq!(stated_reason(source, &all, &sites[1]), None);
    }

    #[test]
    fn the_orderings_exercise_is_all_seq_cst_and_gives_no_answer_away() {
        let solution = "// The solution.\nuse support::sync::atomic::{AtomicBool, Ordering};\n\
            // ANCHOR: f\n\
            fn f(a: &AtomicBool) {\n\
                // Acquire: pairs with the Release\n\
                // store in `g`.\n\
                a.load(Ordering::Acquire);\n\
                a.store(false, Ordering::Relaxed); // as above\n\
                // SAFETY: seen with Acquire.\n\
                unsafe {}\n\
            }\n";
        let exercise = orderings_exercise(solution, "x-orderings").unwrap();
        let sites = find(&exercise).unwrap().sites;
        assert_eq!(sites.len(), 2);
        assert!(sites.iter().all(|s| s.written == SeqCst), "{exercise}");
        for word in [
            "Acquire",
            "Release",
            "Relaxed",
            "pairs with the",
            "as above",
        ] {
            assert!(!exercise.contains(word), "{word} in:\n{exercise}");
        }
        assert!(exercise.contains("learn x-orderings"), "{exercise}");
        assert!(!exercise.contains("ANCHOR"), "{exercise}");
        assert!(exercise.contains("// SAFETY: seen with …."), "{exercise}");
        assert_eq!(exercise.matches("Which ordering").count(), 1, "{exercise}");
    }
}
