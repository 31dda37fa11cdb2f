//! Where a Rust-form program names its orderings, so that a front end (the book's explorer)
//! can put a selector next to each one and rewrite exactly that word. The parser's own
//! checks decide what is allowed: [`OrderingSite::refusal`] gives Rust's reason for an
//! ordering the parser would reject there.

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

/// One ordering written in the program: the bytes `start..end` of the text hold its name
/// (`Acquire` in `Ordering::Acquire`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderingSite {
    pub start: usize,
    pub end: usize,
    pub line: u32,
    pub column: u32,
    pub mode: Mode,
    pub kind: SiteKind,
    /// The method or function it is an argument of: `load`, `fetch_add`, `fence`.
    pub call: String,
}

impl OrderingSite {
    /// Why Rust refuses `mode` here (its panic message, in the parser's full sentence), or
    /// `None` if it is allowed.
    pub fn refusal(&self, mode: Mode) -> Option<String> {
        let access = self.kind.access()?;
        let reason = validate::forbidden(access, mode)?;
        Some(validate::forbidden_message(
            access,
            mode.rust_name(),
            reason,
        ))
    }
}

/// Every ordering in a Rust-form program's inline thread bodies, in the order written. A
/// program in herd7's C format, or one the lexer cannot read, has none (the parser reports
/// what is wrong with it).
pub fn ordering_sites(text: &str) -> Vec<OrderingSite> {
    let Ok((Dialect::Rust, _, tokens)) = super::tokens("", text) else {
        return Vec::new();
    };
    let mut sites = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        let Some(mode) = mode(token) else { continue };
        // `x.load(Acquire)` or `x.load(Ordering::Acquire)`, not a location named `Acquire`.
        let path_ok = i >= 1
            && (tokens[i - 1].is_punct("(")
                || tokens[i - 1].is_punct(",")
                || (tokens[i - 1].is_punct("::") && i >= 2 && tokens[i - 2].is_ident("Ordering")));
        if !path_ok {
            continue;
        }
        let Some((call, commas)) = enclosing_call(&tokens[..i]) else {
            continue;
        };
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
            _ => continue,
        };
        sites.push(OrderingSite {
            start: token.start,
            end: token.start + token.text.len(),
            line: token.span.line,
            column: token.span.column,
            mode,
            kind,
            call,
        });
    }
    sites
}

fn mode(token: &Token) -> Option<Mode> {
    if token.kind != Kind::Ident {
        return None;
    }
    Mode::ALL
        .into_iter()
        .find(|m| *m != Mode::NonAtomic && m.rust_name() == token.text)
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
    fn herd_programs_and_unreadable_text_have_no_sites() {
        assert!(ordering_sites("C MP\n{ x = 0; }\n").is_empty());
        assert!(ordering_sites("litmus X\nthread a { \"unclosed }").is_empty());
    }
}
