//! Finding `fn NAME` in a real Rust file, so that a litmus test can take a thread's body from
//! the same function the book's page shows and its loom test runs. The tokens already leave
//! out strings, chars and comments, so matching brackets on them is enough.

use super::lexer::{Kind, Token};

/// The index of the `{` that opens the body of the first `fn name` with one, or the names of
/// every function in the file if there is none.
pub fn find(tokens: &[Token], name: &str) -> Result<usize, Vec<String>> {
    let mut names = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        if !token.is_ident("fn") {
            continue;
        }
        let Some(found) = tokens.get(i + 1).filter(|t| t.kind == Kind::Ident) else {
            continue;
        };
        if found.text != name {
            if !names.contains(&found.text) {
                names.push(found.text.clone());
            }
            continue;
        }
        if let Some(open) = body_start(tokens, i + 2) {
            return Ok(open);
        }
    }
    Err(names)
}

/// From just after a function's name: past its generics (`<T: Fn() -> u32>`), its parameter
/// list and return type to the `{` of its body; `None` for a declaration without one.
fn body_start(tokens: &[Token], mut i: usize) -> Option<usize> {
    if tokens.get(i)?.is_punct("<") {
        i = matching(tokens, i, "<", ">")? + 1;
    }
    if !tokens.get(i)?.is_punct("(") {
        return None;
    }
    i = matching(tokens, i, "(", ")")? + 1;
    let mut depth = 0usize;
    while let Some(token) = tokens.get(i) {
        match token.text.as_str() {
            _ if token.kind != Kind::Punct => {}
            "(" | "[" | "<" => depth += 1,
            ")" | "]" | ">" => depth = depth.saturating_sub(1),
            "{" if depth == 0 => return Some(i),
            ";" if depth == 0 => return None,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The index of the bracket closing the one at `open`.
fn matching(tokens: &[Token], open: usize, left: &str, right: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, token) in tokens.iter().enumerate().skip(open) {
        if token.is_punct(left) {
            depth += 1;
        } else if token.is_punct(right) {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::lexer::{Dialect, tokenize};

    #[test]
    fn the_body_is_found_past_generics_parameters_and_return_type() {
        let text = "/// fn a() { }\npub fn a<T: Fn() -> u32>(m: &[u8; 2]) -> [u32; 2] where T: Copy { x }\n\
                    fn b() {}";
        let tokens = tokenize("t", text, 0, 1, 1, Dialect::Rust).unwrap();
        let open = find(&tokens, "a").unwrap();
        assert_eq!(tokens[open + 1].text, "x");
        assert_eq!(
            find(&tokens, "c"),
            Err(vec!["a".to_owned(), "b".to_owned()])
        );
    }
}
