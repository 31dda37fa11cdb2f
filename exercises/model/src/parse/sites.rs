//! Where a program names its orderings, so that a front end (the book's explorer) can put a
//! selector next to each one and rewrite exactly that word, in the program's own spelling:
//! `Acquire` in the Rust form, `memory_order_acquire` in herd7's C format. The parser's own
//! checks decide what is allowed: [`OrderingSite::refusal`] says why an ordering the parser
//! would reject there is wrong, in Rust's words for a Rust program and C++'s for a C one.

use super::herd_thread::{C_ORDERS, c_mode};
use super::lexer::{Dialect, Kind, Token};
use super::validate::{self, Access};
use crate::program::Mode;

/// What an ordering argument is given to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SiteKind {
    Load,
    Store,
    /// A read-modify-write, or a compare-exchange's success ordering.
    Rmw,
    /// A compare-exchange's failure ordering.
    Failure,
    Fence,
}

impl SiteKind {
    /// `load`, `store`, `rmw`, `failure`, `fence`.
    pub fn name(self) -> &'static str {
        match self {
            SiteKind::Load => "load",
            SiteKind::Store => "store",
            SiteKind::Rmw => "rmw",
            SiteKind::Failure => "failure",
            SiteKind::Fence => "fence",
        }
    }

    fn access(self) -> Option<Access> {
        match self {
            SiteKind::Load => Some(Access::Load),
            SiteKind::Store => Some(Access::Store),
            SiteKind::Failure => Some(Access::CasFailure),
            SiteKind::Fence => Some(Access::Fence),
            SiteKind::Rmw => None,
        }
    }
}

/// How a program writes its orderings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spelling {
    /// The Rust form: `Acquire`, `Ordering::Acquire`.
    Rust,
    /// herd7's C format: `memory_order_acquire`.
    C,
}

impl Spelling {
    /// The orderings a selector offers, weakest first: every mode an ordering word names. C's
    /// `memory_order_consume` is not one of them: the parser refuses it (the model has no
    /// dependency ordering), so offering it would only break the program.
    pub const CHOICES: [Mode; 5] = [
        Mode::Relaxed,
        Mode::Acquire,
        Mode::Release,
        Mode::AcqRel,
        Mode::SeqCst,
    ];

    /// The word this spelling writes for `mode`; `None` for `NonAtomic`, which no ordering
    /// word names.
    pub fn word(self, mode: Mode) -> Option<&'static str> {
        match self {
            Spelling::Rust => (mode != Mode::NonAtomic).then(|| mode.rust_name()),
            Spelling::C => C_ORDERS.iter().find(|(_, m)| *m == mode).map(|(w, _)| *w),
        }
    }

    /// A short name for a menu: the word without C's `memory_order_` prefix (`acq_rel`).
    pub fn label(self, mode: Mode) -> Option<&'static str> {
        let word = self.word(mode)?;
        Some(word.strip_prefix("memory_order_").unwrap_or(word))
    }

    fn mode(self, token: &Token) -> Option<Mode> {
        if token.kind != Kind::Ident {
            return None;
        }
        match self {
            Spelling::Rust => Self::CHOICES
                .into_iter()
                .find(|m| m.rust_name() == token.text),
            Spelling::C => c_mode(&token.text),
        }
    }
}

/// One ordering written in the program: the bytes `start..end` of the text hold its name
/// (`Acquire` in `Ordering::Acquire`, `memory_order_acquire` in C).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderingSite {
    pub start: usize,
    pub end: usize,
    pub line: u32,
    pub column: u32,
    pub mode: Mode,
    pub kind: SiteKind,
    /// The method or function it is an argument of: `load`, `fetch_add`, `fence`,
    /// `atomic_load_explicit`.
    pub call: String,
    /// How the program writes orderings: what to write in place of `start..end`.
    pub spelling: Spelling,
}

impl OrderingSite {
    /// Why `mode` is refused here, or `None` if it is allowed. A Rust program gets the
    /// standard library's panic message, in the parser's full sentence; a C program gets the
    /// C++ standard's rule.
    pub fn refusal(&self, mode: Mode) -> Option<String> {
        let access = self.kind.access()?;
        let reason = validate::forbidden(access, mode)?;
        let written = self.spelling.word(mode)?;
        Some(match self.spelling {
            Spelling::Rust => validate::forbidden_message(access, written, reason),
            Spelling::C => cpp_refusal(access, written),
        })
    }
}

/// C++20's reason for an ordering [`validate::forbidden`] rejects on `access`. The first three
/// are preconditions in [atomics.types.operations] (breaking one is undefined behaviour); a
/// relaxed fence is allowed but does nothing, and the parser refuses it in both formats.
fn cpp_refusal(access: Access, written: &str) -> String {
    let (what, rule) = match access {
        Access::Load => (
            "a load",
            "C++ requires a load's order to be neither memory_order::release nor \
             memory_order::acq_rel ([atomics.types.operations]); otherwise the behaviour is \
             undefined",
        ),
        Access::Store => (
            "a store",
            "C++ requires a store's order to be neither memory_order::consume, \
             memory_order::acquire nor memory_order::acq_rel ([atomics.types.operations]); \
             otherwise the behaviour is undefined",
        ),
        Access::CasFailure => (
            "the failure order of a compare-exchange",
            "C++ requires the failure order to be neither memory_order::release nor \
             memory_order::acq_rel, as a failed compare-exchange only reads \
             ([atomics.types.operations]); otherwise the behaviour is undefined",
        ),
        Access::Fence => (
            "a fence",
            "in C++ a relaxed fence has no effects ([atomics.fences]), so the checker refuses \
             it, as Rust does",
        ),
    };
    format!("{written} is not allowed on {what}: {rule}")
}

/// Every ordering in a program's inline thread bodies, in the order written: each ordering
/// argument of an atomic call the parser reads (a C function without `_explicit` has none).
/// A program the lexer cannot read has none (the parser reports what is wrong with it).
pub fn ordering_sites(text: &str) -> Vec<OrderingSite> {
    let Ok((dialect, _, tokens)) = super::tokens("", text) else {
        return Vec::new();
    };
    let spelling = match dialect {
        Dialect::Rust => Spelling::Rust,
        Dialect::Herd => Spelling::C,
    };
    let mut sites = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let Some(mode) = spelling.mode(token) else {
            continue;
        };
        let found = match spelling {
            Spelling::Rust => rust_site(&tokens, i),
            Spelling::C => c_site(&tokens, i),
        };
        let Some((call, kind)) = found else { continue };
        sites.push(OrderingSite {
            start: token.start,
            end: token.start + token.text.len(),
            line: token.span.line,
            column: token.span.column,
            mode,
            kind,
            call,
            spelling,
        });
    }
    sites
}

/// The call and kind of the Rust ordering `tokens[i]`: `x.load(Acquire)` or
/// `x.load(Ordering::Acquire)`, not a location named `Acquire`.
fn rust_site(tokens: &[Token], i: usize) -> Option<(String, SiteKind)> {
    let path_ok = i >= 1
        && (tokens[i - 1].is_punct("(")
            || tokens[i - 1].is_punct(",")
            || (tokens[i - 1].is_punct("::") && i >= 2 && tokens[i - 2].is_ident("Ordering")));
    if !path_ok {
        return None;
    }
    let (call, commas) = enclosing_call(&tokens[..i])?;
    let kind = match call.as_str() {
        "load" => SiteKind::Load,
        "store" => SiteKind::Store,
        "fence" | "compiler_fence" => SiteKind::Fence,
        "compare_exchange" | "compare_exchange_weak" if commas >= 3 => SiteKind::Failure,
        "fetch_add"
        | "fetch_sub"
        | "swap"
        | "compare_exchange"
        | "compare_exchange_weak"
        | "fetch_and"
        | "fetch_or"
        | "fetch_xor"
        | "fetch_max"
        | "fetch_min" => SiteKind::Rmw,
        _ => return None,
    };
    Some((call, kind))
}

/// The call and kind of the C ordering `tokens[i]`: only a whole argument in the place
/// where the parser reads that function's order (`atomic_load_explicit(x, HERE)`), so that a
/// selector never rewrites a word the parser reads as something else.
fn c_site(tokens: &[Token], i: usize) -> Option<(String, SiteKind)> {
    let whole = i >= 1
        && (tokens[i - 1].is_punct("(") || tokens[i - 1].is_punct(","))
        && tokens
            .get(i + 1)
            .is_some_and(|t| t.is_punct(")") || t.is_punct(","));
    if !whole {
        return None;
    }
    let (call, commas) = enclosing_call(&tokens[..i])?;
    let kind = match (call.as_str(), commas) {
        ("atomic_load_explicit", 1) => SiteKind::Load,
        ("atomic_store_explicit", 2) => SiteKind::Store,
        (
            "atomic_fetch_add_explicit" | "atomic_fetch_sub_explicit" | "atomic_exchange_explicit",
            2,
        ) => SiteKind::Rmw,
        (
            "atomic_compare_exchange_strong_explicit" | "atomic_compare_exchange_weak_explicit",
            3,
        ) => SiteKind::Rmw,
        (
            "atomic_compare_exchange_strong_explicit" | "atomic_compare_exchange_weak_explicit",
            4,
        ) => SiteKind::Failure,
        ("atomic_thread_fence", 0) => SiteKind::Fence,
        _ => return None,
    };
    Some((call, kind))
}

/// The name before the innermost unclosed `(` at the end of `before`, and how many commas at
/// that depth precede the argument.
fn enclosing_call(before: &[Token]) -> Option<(String, usize)> {
    let mut depth = 0usize;
    let mut commas = 0;
    for (i, token) in before.iter().enumerate().rev() {
        if token.kind != Kind::Punct {
            continue;
        }
        match token.text.as_str() {
            ")" | "]" => depth += 1,
            "(" | "[" if depth > 0 => depth -= 1,
            "(" => {
                let name = before.get(i.checked_sub(1)?)?;
                return (name.kind == Kind::Ident).then(|| (name.text.clone(), commas));
            }
            "," if depth == 0 => commas += 1,
            "{" | "}" | ";" if depth == 0 => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    // A program's text, not atomic accesses: its orderings are what the test looks for.
    const MP: &str = concat!(
        "litmus MP\nthread a {\n    x.store(1, Relaxed);\n",
        // The path form, as the lessons write it: a site is found either way.
        "    y.store(1, Ordering::Release);\n}\nthread b {\n",
        "    let r1 = y.load(Acquire);\n",
        "    let ok = z.compare_exchange(0, 1, AcqRel, Acquire).is_ok();\n",
        "    fence(SeqCst);\n}\n",
    );

    #[test]
    fn every_ordering_is_found_with_what_it_orders() {
        let sites = ordering_sites(MP);
        let found: Vec<(&str, Mode, &str)> = sites
            .iter()
            .map(|s| (&MP[s.start..s.end], s.mode, s.kind.name()))
            .collect();
        assert_eq!(
            found,
            [
                ("Relaxed", Mode::Relaxed, "store"),
                ("Release", Mode::Release, "store"),
                ("Acquire", Mode::Acquire, "load"),
                ("AcqRel", Mode::AcqRel, "rmw"),
                ("Acquire", Mode::Acquire, "failure"),
                ("SeqCst", Mode::SeqCst, "fence"),
            ]
        );
        assert_eq!((sites[2].line, sites[2].column), (7, 21));
    }

    #[test]
    fn a_release_load_is_refused_with_rusts_reason() {
        let load = &ordering_sites(MP)[2];
        let refusal = load.refusal(Mode::Release).unwrap();
        assert!(
            refusal.contains("there is no such thing as a release load"),
            "{refusal}"
        );
        assert_eq!(load.refusal(Mode::SeqCst), None);
        assert_eq!(ordering_sites(MP)[3].refusal(Mode::Release), None);
    }

    #[test]
    fn unreadable_text_has_no_sites() {
        assert!(ordering_sites("litmus X\nthread a { \"unclosed }").is_empty());
        assert!(ordering_sites("C X\nP0 (atomic_int* x) { (* unclosed }").is_empty());
    }

    // herd7's C format: MP all relaxed, as the classic shape is written.
    const C_MP: &str = concat!(
        "C MP\n{ x = 0; y = 0; }\n",
        "P0 (atomic_int* x, atomic_int* y) {\n",
        "  atomic_store_explicit(x, 1, memory_order_relaxed);\n",
        "  atomic_store_explicit(y, 1, memory_order_relaxed);\n}\n",
        "P1 (atomic_int* x, atomic_int* y) {\n",
        "  int r0 = atomic_load_explicit(y, memory_order_relaxed);\n",
        "  int r1 = atomic_load_explicit(x, memory_order_relaxed);\n}\n",
        "exists (1:r0=1 /\\ 1:r1=0)\n",
    );

    // Every other kind of C site, and accesses with no ordering word (no site).
    const C_CALLS: &str = concat!(
        "C Calls\n{ x = 0; }\n",
        "P0 (atomic_int* x) {\n",
        "  int e = 0;\n",
        "  int ok = atomic_compare_exchange_strong_explicit(x, &e, 1, memory_order_acq_rel, ",
        "memory_order_acquire);\n",
        "  atomic_thread_fence(memory_order_seq_cst);\n",
        "  int r1 = atomic_fetch_add_explicit(x, (1), memory_order_release);\n",
        "  int r2 = atomic_load(x);\n",
        "  int r3 = atomic_exchange_explicit(x, 5, memory_order_acquire);\n",
        "  atomic_compare_exchange_weak_explicit(x, &e, 6, memory_order_seq_cst, ",
        "memory_order_relaxed);\n",
        "  atomic_store(x, 2);\n}\n",
        "exists (0:ok=1)\n",
    );

    fn found(text: &str) -> Vec<(&str, Mode, &'static str, String)> {
        ordering_sites(text)
            .into_iter()
            .map(|s| (&text[s.start..s.end], s.mode, s.kind.name(), s.call))
            .collect()
    }

    /// `text` with `site`'s word replaced by `mode` in the program's spelling, as the page
    /// does it.
    fn rewrite(text: &str, site: &OrderingSite, mode: Mode) -> String {
        let word = site.spelling.word(mode).unwrap();
        format!("{}{word}{}", &text[..site.start], &text[site.end..])
    }

    #[test]
    fn every_c_ordering_argument_is_found_with_what_it_orders() {
        let relaxed = "memory_order_relaxed";
        let call = |c: &str| c.to_owned();
        assert_eq!(
            found(C_MP),
            [
                (
                    relaxed,
                    Mode::Relaxed,
                    "store",
                    call("atomic_store_explicit")
                ),
                (
                    relaxed,
                    Mode::Relaxed,
                    "store",
                    call("atomic_store_explicit")
                ),
                (relaxed, Mode::Relaxed, "load", call("atomic_load_explicit")),
                (relaxed, Mode::Relaxed, "load", call("atomic_load_explicit")),
            ]
        );
        let sites = ordering_sites(C_MP);
        assert!(sites.iter().all(|s| s.spelling == Spelling::C));
        assert_eq!((sites[2].line, sites[2].column), (8, 36));
        assert_eq!(
            sites[2].start,
            C_MP.find("memory_order_relaxed);\n  int r1").unwrap()
        );
        let cas = "atomic_compare_exchange_strong_explicit";
        let weak = "atomic_compare_exchange_weak_explicit";
        assert_eq!(
            found(C_CALLS),
            [
                ("memory_order_acq_rel", Mode::AcqRel, "rmw", call(cas)),
                ("memory_order_acquire", Mode::Acquire, "failure", call(cas)),
                (
                    "memory_order_seq_cst",
                    Mode::SeqCst,
                    "fence",
                    call("atomic_thread_fence")
                ),
                (
                    "memory_order_release",
                    Mode::Release,
                    "rmw",
                    call("atomic_fetch_add_explicit")
                ),
                (
                    "memory_order_acquire",
                    Mode::Acquire,
                    "rmw",
                    call("atomic_exchange_explicit")
                ),
                ("memory_order_seq_cst", Mode::SeqCst, "rmw", call(weak)),
                ("memory_order_relaxed", Mode::Relaxed, "failure", call(weak)),
            ]
        );
    }

    #[test]
    fn a_c_word_is_a_site_only_where_the_parser_reads_an_order() {
        // The value argument of a store, consume (which the parser refuses), and an order
        // that is only part of its argument are not sites; the store's order is.
        let text = concat!(
            "C X\n{ x = 0; }\nP0 (atomic_int* x) {\n",
            "  atomic_store_explicit(x, memory_order_relaxed, memory_order_release);\n",
            "  int r0 = atomic_load_explicit(x, memory_order_consume);\n",
            "  int r1 = atomic_load_explicit(x, memory_order_acquire + 1);\n}\n",
        );
        assert_eq!(
            found(text),
            [(
                "memory_order_release",
                Mode::Release,
                "store",
                "atomic_store_explicit".to_owned()
            )]
        );
    }

    #[test]
    fn a_c_program_is_refused_orderings_with_cpps_reason() {
        let mp = ordering_sites(C_MP);
        let load = mp[2].refusal(Mode::Release).unwrap();
        assert!(
            load.starts_with("memory_order_release is not allowed on a load: C++ requires"),
            "{load}"
        );
        assert!(
            load.contains("neither memory_order::release nor memory_order::acq_rel"),
            "{load}"
        );
        assert!(!load.contains("Rust"), "{load}");
        let store = mp[0].refusal(Mode::Acquire).unwrap();
        assert!(store.contains("a store's order"), "{store}");
        let calls = ordering_sites(C_CALLS);
        let failure = calls[1].refusal(Mode::AcqRel).unwrap();
        assert!(failure.contains("the failure order"), "{failure}");
        let fence = calls[2].refusal(Mode::Relaxed).unwrap();
        assert!(fence.contains("a relaxed fence has no effects"), "{fence}");
        // Since C++17 a failure order may be stronger than the success order.
        let strong_failure = rewrite(C_CALLS, &calls[0], Mode::Relaxed);
        let failure = &ordering_sites(&strong_failure)[1];
        assert_eq!(failure.refusal(Mode::SeqCst), None);
        crate::parse("t", &rewrite(&strong_failure, failure, Mode::SeqCst)).unwrap();
    }

    #[test]
    fn rewriting_any_site_parses_exactly_when_it_is_not_refused() {
        for text in [MP, C_MP, C_CALLS] {
            for site in ordering_sites(text) {
                for mode in Spelling::CHOICES {
                    let rewritten = rewrite(text, &site, mode);
                    let parsed = crate::parse("t", &rewritten);
                    assert_eq!(
                        parsed.is_err(),
                        site.refusal(mode).is_some(),
                        "{} at {}:{} as {mode}: {parsed:?}",
                        site.call,
                        site.line,
                        site.column
                    );
                    // The rewritten word is a site again, with the new mode.
                    let again = ordering_sites(&rewritten);
                    let same = again.iter().find(|s| s.start == site.start).unwrap();
                    assert_eq!((same.mode, same.kind), (mode, site.kind));
                }
            }
        }
    }

    #[test]
    fn c_mp_with_release_and_acquire_on_y_forbids_the_weak_outcome() {
        use crate::{Model, check};
        let allowed = |text: &str| check(&crate::parse("t", text).unwrap(), Model::Cpp20);
        assert!(allowed(C_MP).unwrap().allowed());
        let sites = ordering_sites(C_MP);
        // Rewrite the later site first: the earlier one's offsets stay right.
        let text = rewrite(C_MP, &sites[2], Mode::Acquire);
        let text = rewrite(&text, &sites[1], Mode::Release);
        assert!(text.contains("atomic_store_explicit(y, 1, memory_order_release)"));
        assert!(text.contains("atomic_load_explicit(y, memory_order_acquire)"));
        assert!(!allowed(&text).unwrap().allowed());
    }
}
