//! Splits a litmus file into tokens, each with its line:column, skipping comments. One
//! tokenizer serves both formats and the real Rust files a litmus test borrows thread bodies
//! from, so it knows enough of Rust's lexical grammar (raw strings, char literals versus
//! lifetimes, nested block comments) to match braces in any valid Rust file.

use crate::error::{Error, Span};

/// What a token is. Its text is in [`Token::text`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A name or keyword: `x`, `fn`, `memory_order_acquire`.
    Ident,
    /// An integer literal as written (`12`, `0x1F`, `1_u32`); the parser gives it a value, so
    /// that a literal too large for `i64` is reported where it is used.
    Int,
    /// A string literal; the text is its contents with escapes resolved.
    Str,
    /// A character literal (`'a'`); kept only so that `'{'` does not count as a brace.
    Char,
    /// A Rust lifetime (`'a`).
    Lifetime,
    /// Punctuation: one of [`TWO_CHAR`] or a single ASCII character.
    Punct,
    /// The end of the input.
    Eof,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub text: String,
    pub span: Span,
    /// Byte offset of its first character, to quote the source in messages.
    pub start: usize,
}

impl Token {
    pub fn is(&self, kind: Kind, text: &str) -> bool {
        self.kind == kind && self.text == text
    }

    pub fn is_punct(&self, text: &str) -> bool {
        self.is(Kind::Punct, text)
    }

    pub fn is_ident(&self, text: &str) -> bool {
        self.is(Kind::Ident, text)
    }
}

/// The comment syntax differs: herd7 files also use OCaml's `(* *)`, and Rust's block
/// comments nest where C's do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Herd,
    Rust,
}

/// Punctuation of two characters, tried before single characters. `/\` and `\/` are herd's
/// "and" and "or".
const TWO_CHAR: [&str; 10] = ["::", "->", "==", "!=", "<=", ">=", "&&", "||", "/\\", "\\/"];

/// Tokens of `text` from byte `start`, which is at `line`:`column`. The last token is always
/// [`Kind::Eof`].
pub fn tokenize(
    file: &str,
    text: &str,
    start: usize,
    line: u32,
    column: u32,
    dialect: Dialect,
) -> Result<Vec<Token>, Error> {
    let mut lexer = Lexer {
        file,
        text,
        pos: start,
        line,
        column,
        dialect,
    };
    let mut tokens = Vec::new();
    loop {
        lexer.skip_trivia()?;
        let token = lexer.token()?;
        let done = token.kind == Kind::Eof;
        tokens.push(token);
        if done {
            return Ok(tokens);
        }
    }
}

/// The first word of `text` after blanks and comments (any of the three comment forms), with
/// where it starts and the byte offset just past it; `None` if there is no word there.
pub fn first_word(file: &str, text: &str) -> Result<(Option<String>, Span, usize), Error> {
    let mut lexer = Lexer {
        file,
        text,
        pos: 0,
        line: 1,
        column: 1,
        dialect: Dialect::Herd,
    };
    lexer.skip_trivia()?;
    let span = lexer.span();
    let word = match lexer.peek() {
        Some(c) if is_ident_start(c) => Some(lexer.take_while(is_ident_continue)),
        _ => None,
    };
    Ok((word, span, lexer.pos))
}

struct Lexer<'a> {
    file: &'a str,
    text: &'a str,
    pos: usize,
    line: u32,
    column: u32,
    dialect: Dialect,
}

fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn is_ident_continue(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

impl Lexer<'_> {
    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn peek_nth(&self, n: usize) -> Option<char> {
        self.rest().chars().nth(n)
    }

    fn span(&self) -> Span {
        Span::new(self.line, self.column)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line = self.line.saturating_add(1);
            self.column = 1;
        } else {
            self.column = self.column.saturating_add(1);
        }
        Some(c)
    }

    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> String {
        let start = self.pos;
        while self.peek().is_some_and(&keep) {
            self.bump();
        }
        self.text[start..self.pos].to_owned()
    }

    fn error(&self, span: Span, message: impl Into<String>) -> Error {
        Error::new(self.file, span, message)
    }

    /// Skips blanks and comments.
    fn skip_trivia(&mut self) -> Result<(), Error> {
        loop {
            let rest = self.rest();
            // A byte-order mark, which some editors put first, counts as a blank.
            if self
                .peek()
                .is_some_and(|c| c.is_whitespace() || c == '\u{feff}')
            {
                self.bump();
            } else if rest.starts_with("//") {
                self.take_while(|c| c != '\n');
            } else if rest.starts_with("/*") {
                self.block_comment("/*", "*/", self.dialect == Dialect::Rust)?;
            } else if self.dialect == Dialect::Herd && self.ml_comment_starts() {
                self.block_comment("(*", "*)", true)?;
            } else {
                return Ok(());
            }
        }
    }

    /// Whether `(*` here opens a herd comment rather than a C dereference like `(*x)`: herd's
    /// comments are written `(* text *)`, `(**)` or `(*)`, so a blank, `*` or `)` must follow.
    fn ml_comment_starts(&self) -> bool {
        self.rest().starts_with("(*")
            && self
                .peek_nth(2)
                .is_none_or(|c| c.is_whitespace() || c == '*' || c == ')')
    }

    fn block_comment(&mut self, open: &str, close: &str, nests: bool) -> Result<(), Error> {
        let start = self.span();
        let mut depth = 0usize;
        loop {
            let rest = self.rest();
            if rest.starts_with(open) && (nests || depth == 0) {
                depth += 1;
                self.bump();
                self.bump();
            } else if rest.starts_with(close) {
                depth -= 1;
                self.bump();
                self.bump();
                if depth == 0 {
                    return Ok(());
                }
            } else if self.bump().is_none() {
                return Err(self.error(start, format!("this comment has no closing `{close}`")));
            }
        }
    }

    fn token(&mut self) -> Result<Token, Error> {
        let span = self.span();
        let start = self.pos;
        let make = |kind, text: String| Token {
            kind,
            text,
            span,
            start,
        };
        let Some(c) = self.peek() else {
            return Ok(make(Kind::Eof, String::new()));
        };
        if c.is_ascii_digit() {
            return Ok(make(Kind::Int, self.take_while(is_ident_continue)));
        }
        if is_ident_start(c) {
            return self.word(span, start);
        }
        if c == '"' {
            return Ok(make(Kind::Str, self.string(span)?));
        }
        if c == '\'' {
            return self.quote(span, start);
        }
        if let Some(two) = TWO_CHAR.iter().find(|p| self.rest().starts_with(**p)) {
            self.bump();
            self.bump();
            return Ok(make(Kind::Punct, (*two).to_owned()));
        }
        if c.is_ascii_punctuation() {
            self.bump();
            return Ok(make(Kind::Punct, c.to_string()));
        }
        Err(self.error(span, format!("unexpected character {c:?}")))
    }

    /// An identifier, or a string or char literal with a prefix (`r"…"`, `b'x'`, `br#"…"#`),
    /// or a raw identifier (`r#type`).
    fn word(&mut self, span: Span, start: usize) -> Result<Token, Error> {
        let word = self.take_while(is_ident_continue);
        let make = |kind, text| Token {
            kind,
            text,
            span,
            start,
        };
        if self.dialect != Dialect::Rust {
            return Ok(make(Kind::Ident, word));
        }
        let raw = matches!(word.as_str(), "r" | "br" | "cr");
        let prefix = raw || matches!(word.as_str(), "b" | "c");
        match self.peek() {
            Some('"') if prefix && raw => Ok(make(Kind::Str, self.raw_string(span, 0)?)),
            Some('"') if prefix => Ok(make(Kind::Str, self.string(span)?)),
            Some('#') if raw && self.peek_nth(1).is_some_and(|c| c == '#' || c == '"') => {
                let hashes = self.take_while(|c| c == '#').len();
                Ok(make(Kind::Str, self.raw_string(span, hashes)?))
            }
            Some('#') if word == "r" && self.peek_nth(1).is_some_and(is_ident_start) => {
                self.bump();
                Ok(make(Kind::Ident, self.take_while(is_ident_continue)))
            }
            Some('\'') if word == "b" => self.quote(span, start),
            _ => Ok(make(Kind::Ident, word)),
        }
    }

    /// A quoted string with backslash escapes; returns its contents.
    fn string(&mut self, span: Span) -> Result<String, Error> {
        self.bump();
        let mut contents = String::new();
        loop {
            match self.bump() {
                None => return Err(self.error(span, "this string has no closing quote")),
                Some('"') => return Ok(contents),
                Some('\\') => match self.bump() {
                    Some('n') => contents.push('\n'),
                    Some('t') => contents.push('\t'),
                    Some(c) => contents.push(c),
                    None => return Err(self.error(span, "this string has no closing quote")),
                },
                Some(c) => contents.push(c),
            }
        }
    }

    /// A raw string `r#"…"#` after its `r` and `hashes` hashes.
    fn raw_string(&mut self, span: Span, hashes: usize) -> Result<String, Error> {
        self.bump();
        let close = format!("\"{}", "#".repeat(hashes));
        let Some(end) = self.rest().find(&close) else {
            return Err(self.error(span, "this raw string has no closing quote"));
        };
        let contents = self.rest()[..end].to_owned();
        let target = self.pos + end + close.len();
        while self.pos < target {
            self.bump();
        }
        Ok(contents)
    }

    /// After `'`: a char literal (`'a'`, `'\n'`, `'{'`) or a lifetime (`'a`).
    fn quote(&mut self, span: Span, start: usize) -> Result<Token, Error> {
        self.bump();
        let make = |kind, text| Token {
            kind,
            text,
            span,
            start,
        };
        match (self.peek(), self.peek_nth(1)) {
            (Some('\\'), _) => {
                self.bump();
                self.bump();
                let body = self.take_while(|c| c != '\'' && c != '\n');
                if self.bump() != Some('\'') {
                    return Err(self.error(span, "this character literal has no closing quote"));
                }
                Ok(make(Kind::Char, body))
            }
            (Some(c), Some('\'')) => {
                self.bump();
                self.bump();
                Ok(make(Kind::Char, c.to_string()))
            }
            (Some(c), _) if is_ident_start(c) => {
                Ok(make(Kind::Lifetime, self.take_while(is_ident_continue)))
            }
            _ => Err(self.error(span, "unexpected `'`")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, dialect: Dialect) -> Vec<String> {
        tokenize("t", text, 0, 1, 1, dialect)
            .unwrap()
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn comments_are_skipped_and_herd_operators_are_one_token() {
        assert_eq!(
            texts("(* c *) x=1 /\\ 1:r0=0 // end", Dialect::Herd),
            ["x", "=", "1", "/\\", "1", ":", "r0", "=", "0", ""]
        );
    }

    #[test]
    fn a_dereference_in_parentheses_is_not_a_comment() {
        assert_eq!(texts("(*x)", Dialect::Herd), ["(", "*", "x", ")", ""]);
    }

    #[test]
    fn rust_braces_inside_literals_and_nested_comments_are_not_tokens() {
        let text = "/* a /* b */ } */ '{' r#\"}\"# \"}\" 'a b'\\''";
        let kinds: Vec<_> = tokenize("t", text, 0, 1, 1, Dialect::Rust)
            .unwrap()
            .into_iter()
            .map(|t| t.kind)
            .collect();
        use Kind::*;
        // `'a` is a lifetime; `b'\''` a byte literal.
        assert_eq!(kinds, [Char, Str, Str, Lifetime, Char, Eof]);
    }

    #[test]
    fn spans_count_lines_and_characters_from_one() {
        let tokens = tokenize("t", "\"é\" x\n  y", 0, 1, 1, Dialect::Rust).unwrap();
        assert_eq!(tokens[1].span, Span::new(1, 5));
        assert_eq!(tokens[2].span, Span::new(2, 3));
        // Starting after a header line: byte 3 is the line after "é\n".
        let tokens = tokenize("t", "é\n  y", 3, 2, 1, Dialect::Rust).unwrap();
        assert_eq!(tokens[0].span, Span::new(2, 3));
    }
}
