//! Errors in a litmus file: one message with `file:line:column`, never a panic.

use std::fmt;

/// A position in a source file, both counted from 1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub line: u32,
    pub column: u32,
}

impl Span {
    pub fn new(line: u32, column: u32) -> Self {
        Span { line, column }
    }
}

/// What was wrong with the input, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// The file as the user named it.
    pub file: String,
    pub span: Span,
    pub message: String,
}

impl Error {
    pub fn new(file: &str, span: Span, message: impl Into<String>) -> Self {
        Error {
            file: file.to_owned(),
            span,
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.span.line, self.span.column, self.message
        )
    }
}

impl std::error::Error for Error {}
