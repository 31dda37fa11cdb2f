//! A litmus file as one self-contained text: each `thread t = fn f in "file.rs" (-> r)?;`
//! replaced by `thread t (-> r)? { …the body of f… }`, copied from the Rust file. A page
//! that cannot read the crate's files (the book's explorer, in the reader's browser) gets
//! the very program the book's tests run; everything else in the file is kept as written.

use super::lexer::{self, Dialect, Kind, Token};
use super::rust_fn;
use crate::error::{Error, Span};
use std::path::Path;

/// The text of the litmus file at `path` with every borrowed thread body written inline.
/// [`super::parse`] of the result gives the program [`super::parse_file`] gives, the
/// positions in messages aside.
pub fn self_contained(path: &Path) -> Result<String, Error> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::new(&file, Span::new(1, 1), format!("cannot read {file}: {e}")))?;
    let (dialect, _, tokens) = super::tokens(&file, &text)?;
    if dialect != Dialect::Rust {
        return Ok(text);
    }
    let dir = path.parent().unwrap_or(Path::new(""));
    let mut out = String::new();
    let mut copied = 0;
    for i in 0..tokens.len() {
        let Some(borrowed) = borrowed_at(&tokens, i) else {
            continue;
        };
        let body = function_body(&file, &dir.join(&borrowed.source), &borrowed)?;
        out.push_str(&text[copied..borrowed.start]);
        if let Some(reg) = &borrowed.returns {
            out.push_str(&format!("-> {reg} "));
        }
        out.push_str(&body);
        copied = borrowed.end;
    }
    out.push_str(&text[copied..]);
    Ok(out)
}

/// `= fn NAME in "FILE" (-> REG)?;` after `thread t`: the bytes to replace and what they name.
struct Borrowed {
    start: usize,
    end: usize,
    function: String,
    source: String,
    returns: Option<String>,
    span: Span,
}

fn borrowed_at(tokens: &[Token], i: usize) -> Option<Borrowed> {
    let at = |k: usize| tokens.get(i + k);
    let ident = |k: usize| at(k).filter(|t| t.kind == Kind::Ident);
    if !tokens[i].is_ident("thread")
        || ident(1).is_none()
        || !at(2)?.is_punct("=")
        || !at(3)?.is_ident("fn")
        || !at(5)?.is_ident("in")
        || at(6)?.kind != Kind::Str
    {
        return None;
    }
    let (returns, semi) = if at(7)?.is_punct("->") {
        (Some(ident(8)?.text.clone()), 9)
    } else {
        (None, 7)
    };
    if !at(semi)?.is_punct(";") {
        return None;
    }
    Some(Borrowed {
        start: at(2)?.start,
        end: at(semi)?.start + 1,
        function: ident(4)?.text.clone(),
        source: at(6)?.text.clone(),
        returns,
        span: at(4)?.span,
    })
}

/// `{ … }`: the body of the function, its lines indented by four spaces.
fn function_body(litmus: &str, path: &Path, borrowed: &Borrowed) -> Result<String, Error> {
    let shown = path.display().to_string();
    let fail = |message: String| Error::new(litmus, borrowed.span, message);
    let text =
        std::fs::read_to_string(path).map_err(|e| fail(format!("cannot read {shown}: {e}")))?;
    let tokens = lexer::tokenize(&shown, &text, 0, 1, 1, Dialect::Rust)?;
    let open = rust_fn::find(&tokens, &borrowed.function).map_err(|_| {
        fail(format!(
            "no `fn {}` with a body in {shown}",
            borrowed.function
        ))
    })?;
    let mut depth = 0usize;
    let close = tokens[open..]
        .iter()
        .position(|t| {
            if t.is_punct("{") {
                depth += 1;
            } else if t.is_punct("}") {
                depth -= 1;
                return depth == 0;
            }
            false
        })
        .map(|k| open + k)
        .ok_or_else(|| {
            fail(format!(
                "`fn {}` in {shown} is not closed",
                borrowed.function
            ))
        })?;
    let inner = &text[tokens[open].start + 1..tokens[close].start];
    let lines: Vec<&str> = inner.lines().collect();
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut body = String::from("{\n");
    for line in lines.iter().filter(|l| !l.trim().is_empty()) {
        body.push_str("    ");
        body.push_str(line.get(indent..).unwrap_or(line.trim_start()));
        body.push('\n');
    }
    body.push('}');
    Ok(body)
}
