//! A position in a token list, with the helpers every parser here needs: looking ahead,
//! expecting a token, reporting an error at a token, reading an integer literal.

use super::lexer::{Kind, Token};
use crate::error::{Error, Span};
use crate::program::Value;

/// How deeply parentheses, `!`/`~` and nested blocks may go: deep enough for any real test,
/// shallow enough that the recursive descent cannot overflow the stack on hostile input.
const MAX_DEPTH: usize = 128;

pub struct Cursor<'a> {
    /// The file the tokens came from, as messages name it.
    pub file: String,
    text: &'a str,
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
}

impl<'a> Cursor<'a> {
    /// `tokens` must end with [`Kind::Eof`], as the lexer's do.
    pub fn new(file: &str, text: &'a str, tokens: Vec<Token>) -> Self {
        Cursor {
            file: file.to_owned(),
            text,
            tokens,
            pos: 0,
            depth: 0,
        }
    }

    pub fn peek(&self) -> &Token {
        self.peek_at(0)
    }

    /// The token `n` places ahead (the end-of-file token past the end).
    pub fn peek_at(&self, n: usize) -> &Token {
        let last = self.tokens.len() - 1;
        &self.tokens[(self.pos + n).min(last)]
    }

    pub fn next(&mut self) -> Token {
        let token = self.peek().clone();
        if token.kind != Kind::Eof {
            self.pos += 1;
        }
        token
    }

    pub fn position(&self) -> usize {
        self.pos
    }

    pub fn seek(&mut self, pos: usize) {
        self.pos = pos.min(self.tokens.len() - 1);
    }

    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    pub fn at_punct(&self, text: &str) -> bool {
        self.peek().is_punct(text)
    }

    pub fn at_ident(&self, text: &str) -> bool {
        self.peek().is_ident(text)
    }

    pub fn eat_punct(&mut self, text: &str) -> Option<Token> {
        self.at_punct(text).then(|| self.next())
    }

    pub fn eat_ident(&mut self, text: &str) -> Option<Token> {
        self.at_ident(text).then(|| self.next())
    }

    /// The next token, which must be the punctuation `text`; `context` completes "expected
    /// `;` …" in the message.
    pub fn expect_punct(&mut self, text: &str, context: &str) -> Result<Token, Error> {
        match self.eat_punct(text) {
            Some(token) => Ok(token),
            None => Err(self.unexpected(&format!("`{text}` {context}"))),
        }
    }

    pub fn expect_keyword(&mut self, text: &str, context: &str) -> Result<Token, Error> {
        match self.eat_ident(text) {
            Some(token) => Ok(token),
            None => Err(self.unexpected(&format!("`{text}` {context}"))),
        }
    }

    /// The next token, which must be an identifier; `what` names what it should be.
    pub fn expect_ident(&mut self, what: &str) -> Result<Token, Error> {
        if self.peek().kind == Kind::Ident {
            Ok(self.next())
        } else {
            Err(self.unexpected(what))
        }
    }

    /// "expected WHAT, found …" at the next token.
    pub fn unexpected(&self, what: &str) -> Error {
        let token = self.peek();
        self.error(
            token.span,
            format!("expected {what}, found {}", describe(token)),
        )
    }

    pub fn error(&self, span: Span, message: impl Into<String>) -> Error {
        Error::new(&self.file, span, message)
    }

    /// The source from `token` to the end of its statement or line, shortened, for "not
    /// understood: …".
    pub fn quote(&self, token: &Token) -> String {
        let rest = self.text.get(token.start..).unwrap_or("");
        let line = rest.lines().next().unwrap_or("").trim_end();
        let line = line.split("//").next().unwrap_or("");
        // One statement: up to its `;` if the line has one.
        let line = line.find(';').map_or(line, |end| &line[..=end]).trim_end();
        const LONGEST: usize = 48;
        if line.chars().count() > LONGEST {
            let short: String = line.chars().take(LONGEST).collect();
            format!("`{short}…`")
        } else {
            format!("`{line}`")
        }
    }

    /// Enters one more level of nesting, failing at `span` past [`MAX_DEPTH`]. Pair it with
    /// [`Cursor::leave`].
    pub fn enter(&mut self, span: Span) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(
                span,
                format!("nested more than {MAX_DEPTH} levels deep; litmus tests are small"),
            ));
        }
        Ok(())
    }

    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// The value of an integer literal (negated if `negative`), which must fit in an `i64`.
    pub fn int(&self, token: &Token, negative: bool) -> Result<Value, Error> {
        let sign = if negative { "-" } else { "" };
        let written = format!("{sign}{}", token.text);
        let magnitude = literal_magnitude(&token.text).ok_or_else(|| {
            self.error(token.span, format!("malformed integer literal `{written}`"))
        })?;
        let value = if negative {
            0i128.checked_sub_unsigned(magnitude)
        } else {
            i128::try_from(magnitude).ok()
        };
        value.and_then(|v| Value::try_from(v).ok()).ok_or_else(|| {
            self.error(
                token.span,
                format!("integer literal `{written}` does not fit in an i64"),
            )
        })
    }
}

/// How a token reads in "found …".
pub fn describe(token: &Token) -> String {
    match token.kind {
        Kind::Eof => "the end of the file".to_owned(),
        Kind::Str => format!("the string {:?}", token.text),
        Kind::Char => format!("the character literal '{}'", token.text),
        Kind::Lifetime => format!("the lifetime '{}", token.text),
        Kind::Ident | Kind::Int | Kind::Punct => format!("`{}`", token.text),
    }
}

/// The value of a Rust or C integer literal without its sign: decimal, `0x`, `0o` or `0b`,
/// `_` separators, a Rust type suffix (`1u32`) or a C one (`1UL`). `None` if malformed;
/// saturates at `u128::MAX` so that any overlong literal is "too large", not "malformed".
fn literal_magnitude(text: &str) -> Option<u128> {
    let digits: String = text.chars().filter(|&c| c != '_').collect();
    let lower = digits.to_ascii_lowercase();
    let (radix, body) = match lower.get(..2) {
        Some("0x") => (16, &lower[2..]),
        Some("0o") => (8, &lower[2..]),
        Some("0b") => (2, &lower[2..]),
        _ => (10, lower.as_str()),
    };
    const SUFFIXES: [&str; 19] = [
        "u128", "i128", "usize", "isize", "u64", "i64", "u32", "i32", "u16", "i16", "u8", "i8",
        "ull", "llu", "ll", "ul", "lu", "u", "l",
    ];
    // Every suffix starts with u, i or l, which are not hex digits, so stripping one never
    // eats a digit.
    let body = SUFFIXES
        .iter()
        .find_map(|s| body.strip_suffix(s).filter(|b| !b.is_empty()))
        .unwrap_or(body);
    if body.is_empty() {
        return None;
    }
    let mut value: u128 = 0;
    for c in body.chars() {
        let digit = c.to_digit(radix)?;
        value = value
            .saturating_mul(u128::from(radix))
            .saturating_add(u128::from(digit));
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::literal_magnitude;

    #[test]
    fn literals_in_either_language_have_their_value() {
        assert_eq!(literal_magnitude("1_000u32"), Some(1000));
        assert_eq!(literal_magnitude("0x1F"), Some(31));
        assert_eq!(literal_magnitude("7UL"), Some(7));
        assert_eq!(literal_magnitude("12abc"), None);
    }
}
