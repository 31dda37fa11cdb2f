//! Reading litmus programs: herd7's C format and the book's Rust-flavoured form. The first
//! word of a file says which: `C NAME` or `litmus NAME`. Every error is one message at the
//! line:column of the token at fault; no input makes the parser panic.
//!
//! - `lexer`: tokens with their positions, for both formats and for Rust source files;
//! - `herd`: the C format's file structure and condition; `herd_thread`: its threads;
//! - `rust`: the Rust form's file structure and condition; `rust_body`: thread bodies in
//!   real Rust, with `rust_atomic` for the atomic calls and `rust_syntax` for the small
//!   pieces; `rust_fn`: finding a function in a Rust file;
//! - `expr`: register expressions; `validate`: the checks both formats share; `cursor`: a
//!   position in the tokens, with the helpers every parser uses.

mod cursor;
mod expr;
mod herd;
mod herd_thread;
mod lexer;
mod prop;
mod rust;
mod rust_atomic;
mod rust_body;
mod rust_fn;
mod rust_syntax;
mod self_contained;
mod sites;
mod validate;

pub use self_contained::self_contained;
pub use sites::{OrderingSite, SiteKind, Spelling, ordering_sites};

use crate::error::{Error, Span};
use crate::program::Program;
use cursor::Cursor;
use lexer::Dialect;
use std::path::Path;

/// Parses `text`, read from the file named `file` (used in messages only). A Rust-form thread
/// taken from a Rust file (`thread a = fn f in "f.rs";`) needs [`parse_file`], which knows
/// where to look.
pub fn parse(file: &str, text: &str) -> Result<Program, Error> {
    read(file, text, None)
}

/// Reads and parses the file at `path`; Rust files its threads name are found relative to
/// its directory.
pub fn parse_file(path: &Path) -> Result<Program, Error> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::new(&file, Span::new(1, 1), format!("cannot read {file}: {e}")))?;
    let dir = path.parent().unwrap_or(Path::new(""));
    read(&file, &text, Some(dir))
}

fn read(file: &str, text: &str, dir: Option<&Path>) -> Result<Program, Error> {
    let (dialect, name, tokens) = tokens(file, text)?;
    let cur = Cursor::new(file, text, tokens);
    match dialect {
        Dialect::Herd => herd::parse(cur, name),
        Dialect::Rust => rust::parse(cur, name, dir),
    }
}

/// The format, the test's name, and the tokens after the header line.
fn tokens(file: &str, text: &str) -> Result<(Dialect, String, Vec<lexer::Token>), Error> {
    let (word, span, end) = lexer::first_word(file, text)?;
    let dialect = match word.as_deref() {
        Some("C") => Dialect::Herd,
        Some("litmus") => Dialect::Rust,
        _ => {
            let found = word.map_or_else(
                || {
                    let c = text[end..].chars().next();
                    c.map_or("the end of the file".to_owned(), |c| format!("{c:?}"))
                },
                |w| format!("`{w}`"),
            );
            return Err(Error::new(
                file,
                span,
                format!(
                    "expected a litmus header, `C NAME` (herd7's C format) or `litmus NAME` \
                     (the Rust-flavoured form), found {found}"
                ),
            ));
        }
    };
    // The name is the rest of the header line: herd's names hold `+`, `.` and `-`
    // (`MP+rel+acq`, `SB+fence.sc`), which are not one token.
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let rest = &text[end..line_end];
    let name = rest.split("//").next().unwrap_or("").trim();
    let name = match (name.is_empty(), dialect) {
        (false, _) => name.to_owned(),
        (true, Dialect::Rust) => Path::new(file).file_stem().map_or_else(
            || file.to_owned(),
            |stem| stem.to_string_lossy().into_owned(),
        ),
        (true, Dialect::Herd) => {
            return Err(Error::new(file, span, "expected the test's name after `C`"));
        }
    };
    let tokens = if line_end < text.len() {
        lexer::tokenize(
            file,
            text,
            line_end + 1,
            span.line.saturating_add(1),
            1,
            dialect,
        )?
    } else {
        // No line after the header: only the end of the file, at the end of its line.
        let header = &text[end - word_len(dialect)..];
        let column = span.column.saturating_add(count(header));
        lexer::tokenize(file, text, text.len(), span.line, column, dialect)?
    };
    Ok((dialect, name, tokens))
}

fn word_len(dialect: Dialect) -> usize {
    match dialect {
        Dialect::Herd => "C".len(),
        Dialect::Rust => "litmus".len(),
    }
}

fn count(text: &str) -> u32 {
    u32::try_from(text.chars().count()).unwrap_or(u32::MAX)
}
