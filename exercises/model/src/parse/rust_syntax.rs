//! The small pieces of Rust syntax a thread body is built from: paths and method calls,
//! `fence(…)`, orderings, what follows a compare-exchange, a `let`'s type, and how a statement
//! ends. Each reads tokens at the cursor and reports errors at the token at fault.

use super::cursor::Cursor;
use super::lexer::{Kind, Token};
use super::validate::{self, Access};
use crate::error::Error;
use crate::program::Mode;

/// What a compare-exchange's `Result` is turned into.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum CasResult {
    /// No suffix, or `.unwrap_or_else(|v| v)`: the value read (`Ok(old)` or `Err(old)`).
    Old,
    IsOk,
    IsErr,
    /// `.ok()`: an `Option` the model cannot hold, so only when dropped.
    Ok,
}

/// After a statement of type `()`: its `;`, or the `}` it ends the block with.
pub fn end_of_unit(cur: &mut Cursor) -> Result<(), Error> {
    if cur.eat_punct(";").is_some() || cur.at_punct("}") {
        Ok(())
    } else {
        Err(cur.unexpected("`;` after the statement"))
    }
}

/// `a.b.c`: names joined by dots.
pub fn path(cur: &mut Cursor) -> Result<Vec<Token>, Error> {
    let mut path = vec![cur.expect_ident("a location")?];
    while cur.at_punct(".") && cur.peek_at(1).kind == Kind::Ident {
        cur.next();
        path.push(cur.next());
    }
    Ok(path)
}

/// If the cursor is at `a.b.method(`, reads up to the `(` (not included) and returns the path
/// with the method last; otherwise reads nothing.
pub fn method_call(cur: &mut Cursor) -> Option<Vec<Token>> {
    if cur.peek().kind != Kind::Ident {
        return None;
    }
    let mut n = 1;
    while cur.peek_at(n).is_punct(".") && cur.peek_at(n + 1).kind == Kind::Ident {
        n += 2;
    }
    if n < 3 || !cur.peek_at(n).is_punct("(") {
        return None;
    }
    let path = (0..n).map(|_| cur.next()).filter(|t| t.kind == Kind::Ident);
    Some(path.collect())
}

/// If the cursor is at `fence(`, `atomic::fence(` or any path ending in `fence`, reads
/// through the `(`.
pub fn fence_call(cur: &mut Cursor) -> Result<bool, Error> {
    let mut n = 0;
    while cur.peek_at(n).kind == Kind::Ident && cur.peek_at(n + 1).is_punct("::") {
        n += 2;
    }
    let name = cur.peek_at(n).clone();
    if name.kind != Kind::Ident || !cur.peek_at(n + 1).is_punct("(") {
        return Ok(false);
    }
    match name.text.as_str() {
        "fence" => {
            for _ in 0..n + 2 {
                cur.next();
            }
            Ok(true)
        }
        "compiler_fence" => Err(cur.error(
            name.span,
            "`compiler_fence` is not supported: it orders only against the same thread (a \
             signal handler), which the model does not have; use `fence`",
        )),
        _ => Ok(false),
    }
}

/// Whether the statement at the cursor runs to the block's `}` with no `;`: the body's final
/// expression.
pub fn runs_to_block_end(cur: &Cursor) -> bool {
    let first = cur.peek();
    let after = cur.peek_at(1);
    let starts_value = match first.kind {
        Kind::Int => true,
        Kind::Ident => !(after.is_punct("(") || after.is_punct("::") || after.is_punct("!")),
        Kind::Punct => ["[", "(", "-", "!"].contains(&first.text.as_str()),
        _ => false,
    };
    if !starts_value {
        return false;
    }
    let mut depth = 0usize;
    for token in &cur.tokens()[cur.position()..] {
        match token.text.as_str() {
            _ if token.kind == Kind::Eof => return false,
            _ if token.kind != Kind::Punct => {}
            "(" | "[" | "{" => depth += 1,
            "}" if depth == 0 => return true,
            ")" | "]" | "}" => depth = depth.saturating_sub(1),
            ";" if depth == 0 => return false,
            _ => {}
        }
    }
    false
}

/// What follows a compare-exchange's `)`: nothing, `.is_ok()`, `.is_err()`, `.ok()` or
/// `.unwrap_or_else(|v| v)`.
pub fn cas_result(cur: &mut Cursor) -> Result<CasResult, Error> {
    if !cur.at_punct(".") {
        return Ok(CasResult::Old);
    }
    cur.next();
    let method = cur.expect_ident("`is_ok`, `is_err`, `ok` or `unwrap_or_else`")?;
    let result = match method.text.as_str() {
        "is_ok" => CasResult::IsOk,
        "is_err" => CasResult::IsErr,
        "ok" => CasResult::Ok,
        "unwrap_or_else" => {
            cur.expect_punct("(", "after `unwrap_or_else`")?;
            cur.expect_punct("|", "to open the closure `|v| v`")?;
            let param = cur.expect_ident("the closure's parameter")?;
            cur.expect_punct("|", "after the closure's parameter")?;
            let body = cur.expect_ident("the closure's body: `|v| v` keeps the value read")?;
            if body.text != param.text {
                return Err(cur.error(
                    body.span,
                    "only `.unwrap_or_else(|v| v)` is understood: the value read, either way",
                ));
            }
            cur.expect_punct(")", "to close `unwrap_or_else`")?;
            return Ok(CasResult::Old);
        }
        other => {
            return Err(cur.error(
                method.span,
                format!(
                    "`.{other}` on a compare-exchange is not understood; use `.is_ok()`, \
                     `.is_err()`, `.ok()` (dropped) or `.unwrap_or_else(|v| v)`"
                ),
            ));
        }
    };
    cur.expect_punct("(", "after the method name")?;
    cur.expect_punct(")", "(no arguments)")?;
    Ok(result)
}

/// An ordering: `Relaxed`, `Ordering::Relaxed`, `atomic::Ordering::Relaxed`, …, checked
/// against what `access` allows.
pub fn ordering(cur: &mut Cursor, access: Option<Access>) -> Result<Mode, Error> {
    let start = cur.peek().span;
    let mut path = vec![cur.expect_ident("an ordering like `Acquire`")?];
    while cur.eat_punct("::").is_some() {
        path.push(cur.expect_ident("a name after `::`")?);
    }
    let last = &path[path.len() - 1];
    let expected = |cur: &Cursor, token: &Token| {
        cur.error(
            token.span,
            format!(
                "expected an ordering (Relaxed, Acquire, Release, AcqRel or SeqCst), found `{}`",
                token.text
            ),
        )
    };
    if path.len() > 1 && path[path.len() - 2].text != "Ordering" {
        return Err(expected(cur, last));
    }
    let mode = match last.text.as_str() {
        "Relaxed" => Mode::Relaxed,
        "Acquire" => Mode::Acquire,
        "Release" => Mode::Release,
        "AcqRel" => Mode::AcqRel,
        "SeqCst" => Mode::SeqCst,
        "Consume" => {
            return Err(cur.error(last.span, "Rust has no Consume ordering; use Acquire"));
        }
        _ => return Err(expected(cur, last)),
    };
    if let Some(access) = access
        && let Some(reason) = validate::forbidden(access, mode)
    {
        return Err(cur.error(
            start,
            validate::forbidden_message(access, &last.text, reason),
        ));
    }
    Ok(mode)
}

/// Skips `: TYPE` after a `let` pattern, up to the `=` (or `;`) outside any brackets.
pub fn skip_type(cur: &mut Cursor) -> Result<(), Error> {
    if cur.eat_punct(":").is_none() {
        return Ok(());
    }
    let mut depth = 0usize;
    loop {
        let token = cur.peek();
        match token.text.as_str() {
            _ if token.kind == Kind::Eof => return Err(cur.unexpected("`=`")),
            "(" | "[" | "<" if token.kind == Kind::Punct => depth += 1,
            ")" | "]" | ">" if token.kind == Kind::Punct => depth = depth.saturating_sub(1),
            "=" | ";" | "{" | "}" if token.kind == Kind::Punct && depth == 0 => return Ok(()),
            _ => {}
        }
        cur.next();
    }
}
