//! The comments of a file, and the ones that speak for a site: where an ordering's defence
//! (and an `audit: stronger because …` reason) is written.

use super::Site;
use proc_macro2::{TokenStream, TokenTree};
use std::ops::Range;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tasks::audit::sites::find;

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
}
