//! The pass over the built pages that mdBook cannot do itself (issue 19): run by
//! `cargo xtask build` and `test` after `mdbook build`, and by `cargo xtask serve` after each
//! rebuild (serve.rs). A page it has already rewritten comes out unchanged, so it never matters
//! which pages a rebuild wrote afresh.
//!
//! - Listings lose the indentation they had in their file: an `{{#include file:anchor}}` of a
//!   method keeps the four spaces of its `impl`, which push the line endings (often the
//!   `// pairs with …` comment) out of the column.
//! - mdbook-quiz's script and stylesheet (1.4 MB) are renamed to `data-lazy-src` /
//!   `data-lazy-href`, so that they load only when the quiz comes into view or the reader
//!   presses "Start the quiz" (src/theme/reader.js).
//! - Each SVG diagram gets `--diagram-min-width`, the width at which its smallest label is
//!   11 CSS px; on a narrow window the diagram keeps that width and scrolls sideways
//!   (src/theme/reader.css).

use crate::util::{Result, files_under};
use anyhow::anyhow;
use std::fs;
use std::path::Path;

/// The smallest label size a diagram may be shown at, in CSS pixels.
pub const MIN_LABEL_PX: f64 = 11.0;

/// What the pass changed, for the build's log.
#[derive(Default, Debug, PartialEq, Eq)]
pub struct Rewritten {
    pub listings: usize,
    pub quiz_pages: usize,
    pub diagrams: usize,
}

/// Rewrites every HTML page under `html` in place.
pub fn rewrite(html: &Path) -> Result<Rewritten> {
    let mut total = Rewritten::default();
    for file in files_under(html)? {
        if file.extension().and_then(|e| e.to_str()) != Some("html") {
            continue;
        }
        let text = fs::read_to_string(&file)?;
        let (text, listings) = dedent_listings(&text);
        let (text, quiz) = defer_quiz(&text);
        let dir = file.parent().unwrap_or(html);
        let (text, diagrams) = size_diagrams(&text, dir).map_err(|e| {
            anyhow!(
                "{}: {e}",
                file.strip_prefix(html).unwrap_or(&file).display()
            )
        })?;
        if listings + usize::from(quiz) + diagrams > 0 {
            fs::write(&file, text)?;
        }
        total.listings += listings;
        total.quiz_pages += usize::from(quiz);
        total.diagrams += diagrams;
    }
    Ok(total)
}

/// Removes the indentation common to every non-blank line of each `<pre><code>` block.
/// Returns the new page and how many blocks changed.
fn dedent_listings(page: &str) -> (String, usize) {
    let mut out = String::with_capacity(page.len());
    let mut changed = 0;
    let mut rest = page;
    const OPEN: &str = "<pre><code";
    while let Some(start) = rest.find(OPEN) {
        // The end of the `<code …>` tag (not of `<pre>`).
        let after = start + OPEN.len();
        let Some(open_end) = rest[after..].find('>').map(|i| after + i + 1) else {
            break;
        };
        let Some(close) = rest[open_end..].find("</code>").map(|i| open_end + i) else {
            break;
        };
        out.push_str(&rest[..open_end]);
        let body = &rest[open_end..close];
        let dedented = dedent(body);
        if dedented != body {
            changed += 1;
        }
        out.push_str(&dedented);
        rest = &rest[close..];
    }
    out.push_str(rest);
    (out, changed)
}

/// `body` without the spaces that all its non-blank lines start with. mdBook wraps hidden lines
/// (`# ` in a Rust block) in `<span class="boring">…</span>`, so tags at a line's start are kept
/// and the spaces after them counted.
fn dedent(body: &str) -> String {
    // (length of the leading tags, number of spaces after them)
    let split = |line: &str| -> (usize, usize) {
        let mut prefix = 0;
        while line[prefix..].starts_with('<') {
            match line[prefix..].find('>') {
                Some(end) => prefix += end + 1,
                None => break,
            }
        }
        let spaces = line[prefix..].len() - line[prefix..].trim_start_matches(' ').len();
        (prefix, spaces)
    };
    let common = body
        .lines()
        .filter(|line| !line[split(line).0..].trim().is_empty())
        .map(|line| split(line).1)
        .min()
        .unwrap_or(0);
    if common == 0 {
        return body.to_owned();
    }
    let mut out = String::with_capacity(body.len());
    for (i, line) in body.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let (prefix, spaces) = split(line);
        out.push_str(&line[..prefix]);
        out.push_str(&line[prefix + spaces.min(common)..]);
    }
    out
}

/// Turns the `src`/`href` of mdbook-quiz's script and stylesheet (the files it copies into
/// src/quiz/, linked from each page with a quiz) into `data-lazy-src`/`data-lazy-href`.
fn defer_quiz(page: &str) -> (String, bool) {
    let mut out = page.to_owned();
    for (tag, attribute, lazy) in [
        ("<script", " src=\"", " data-lazy-src=\""),
        ("<link", " href=\"", " data-lazy-href=\""),
    ] {
        let mut from = 0;
        while let Some(found) = out[from..].find(tag).map(|i| from + i) {
            let end = out[found..].find('>').map_or(out.len(), |i| found + i);
            let element = &out[found..end];
            if let Some(at) = element.find(attribute) {
                let value = element[at + attribute.len()..]
                    .split('"')
                    .next()
                    .unwrap_or("");
                let is_quiz = value.starts_with("quiz/") || value.contains("/quiz/");
                if is_quiz && !value.contains(':') {
                    out.replace_range(found + at..found + at + attribute.len(), lazy);
                }
            }
            from = found + tag.len();
        }
    }
    let changed = out != page;
    (out, changed)
}

/// Adds `style="--diagram-min-width: Npx"` to each `<img>` of an SVG file, from the file's own
/// width (its `viewBox`) and smallest `font-size`.
fn size_diagrams(page: &str, dir: &Path) -> Result<(String, usize)> {
    let mut out = String::with_capacity(page.len());
    let mut count = 0;
    let mut rest = page;
    while let Some(start) = rest.find("<img ") {
        let end = rest[start..].find('>').map_or(rest.len(), |i| start + i);
        let element = &rest[start..end];
        out.push_str(&rest[..start + "<img".len()]);
        let src = element
            .split_once(" src=\"")
            .and_then(|(_, value)| value.split('"').next())
            .filter(|src| src.ends_with(".svg") && !src.contains(':'));
        if let (Some(src), false) = (src, element.contains(" style=")) {
            let svg = fs::read_to_string(dir.join(src)).map_err(|e| anyhow!("{src}: {e}"))?;
            let (width, smallest) = svg_metrics(&svg)
                .ok_or_else(|| anyhow!("{src}: no viewBox and font-size to size the diagram by"))?;
            let min_width = (width * MIN_LABEL_PX / smallest).ceil();
            out.push_str(&format!(" style=\"--diagram-min-width: {min_width}px\""));
            count += 1;
        }
        rest = &rest[start + "<img".len()..];
    }
    out.push_str(rest);
    Ok((out, count))
}

/// An SVG's width in user units (from `viewBox`) and the smallest `font-size` it sets.
pub fn svg_metrics(svg: &str) -> Option<(f64, f64)> {
    let view_box = svg.split_once("viewBox=\"")?.1.split('"').next()?;
    let width: f64 = view_box.split_whitespace().nth(2)?.parse().ok()?;
    let mut smallest: Option<f64> = None;
    // `font-size="13"`, CSS `font-size: 13px` and the `font: 15px …` shorthand.
    for pattern in ["font-size=\"", "font-size:", "font:"] {
        for (at, _) in svg.match_indices(pattern) {
            let value = svg[at + pattern.len()..].trim_start();
            let number: String = value
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            if let Ok(size) = number.parse::<f64>() {
                smallest = Some(smallest.map_or(size, |s: f64| s.min(size)));
            }
        }
    }
    Some((width, smallest?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listings_lose_their_common_indentation_only() {
        let page =
            "<pre><code class=\"language-rust\">    fn a() {\n        b();\n    }\n</code></pre>";
        let (out, n) = dedent_listings(page);
        assert_eq!(n, 1);
        assert_eq!(
            out,
            "<pre><code class=\"language-rust\">fn a() {\n    b();\n}\n</code></pre>"
        );
        let flush = "<pre><code>fn a() {\n    b();\n}</code></pre>";
        assert_eq!(dedent_listings(flush), (flush.to_owned(), 0));
        // A blank line does not count, and a hidden line keeps its marker.
        let boring = "<pre><code>  a\n\n<span class=\"boring\">  b\n</span>  c</code></pre>";
        assert_eq!(
            dedent_listings(boring).0,
            "<pre><code>a\n\n<span class=\"boring\">b\n</span>c</code></pre>"
        );
    }

    #[test]
    fn the_quiz_bundle_is_deferred() {
        let page = r#"<script type="text/javascript" src="../quiz/quiz-embed.iife.js"></script><link rel="stylesheet" type="text/css" href="../quiz/style.css"><script src="../book.js"></script>"#;
        let (out, changed) = defer_quiz(page);
        assert!(changed);
        assert!(out.contains(r#"data-lazy-src="../quiz/quiz-embed.iife.js""#));
        assert!(out.contains(r#"data-lazy-href="../quiz/style.css""#));
        assert!(out.contains(r#"<script src="../book.js">"#));
    }

    #[test]
    fn rewriting_a_rewritten_site_changes_nothing() {
        let site = std::env::temp_dir().join(format!("xtask-pages-{}", std::process::id()));
        let _ = fs::remove_dir_all(&site);
        fs::create_dir_all(site.join("diagrams")).unwrap();
        fs::create_dir_all(site.join("phase-1")).unwrap();
        let svg = r#"<svg viewBox="0 0 700 400" font-size="14"><text>x</text></svg>"#;
        fs::write(site.join("diagrams/d.svg"), svg).unwrap();
        // What mdBook writes: the quiz's links, an indented listing with a hidden line, and an
        // image with its tap-to-zoom copy.
        let page = concat!(
            r#"<script type="text/javascript" src="../quiz/quiz-embed.iife.js"></script>"#,
            r#"<link rel="stylesheet" type="text/css" href="../quiz/style.css">"#,
            "<pre><code class=\"language-rust\">    fn a() {\n<span class=\"boring\">        b();\n</span>    }\n</code></pre>",
            r#"<p><label class="checkbox-label"><input class="checkbox-img" type="checkbox">"#,
            r#"<img src="../diagrams/d.svg" alt="d"><span class="img-wrapper">"#,
            r#"<img src="../diagrams/d.svg" alt="d"></span></label></p>"#,
        );
        let file = site.join("phase-1/page.html");
        fs::write(&file, page).unwrap();

        let first = rewrite(&site).unwrap();
        let once = fs::read_to_string(&file).unwrap();
        let second = rewrite(&site).unwrap();
        let twice = fs::read_to_string(&file).unwrap();
        fs::remove_dir_all(&site).unwrap();

        let expected = Rewritten {
            listings: 1,
            quiz_pages: 1,
            diagrams: 2,
        };
        assert_eq!(first, expected);
        assert_eq!(second, Rewritten::default());
        assert_eq!(twice, once);
    }

    #[test]
    fn diagram_width_keeps_the_smallest_label_legible() {
        let svg =
            r#"<svg viewBox="0 0 1062 442" font-size="13"><text font-size="11">x</text></svg>"#;
        assert_eq!(svg_metrics(svg), Some((1062.0, 11.0)));
        assert_eq!(svg_metrics("<svg></svg>"), None);
    }
}
