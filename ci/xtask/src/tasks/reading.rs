//! `cargo xtask reading [--check]`: each lesson's reading time against the minutes it
//! promises.
//!
//! A lesson's main page states its promise on a line of its own, `<!-- minutes: 7 -->`. Its
//! estimate is the prose at 230 words a minute plus 3 seconds for every code line the page
//! shows, what `{{#include}}` pulls in included; quizzes, HTML comments and images' alt text
//! do not count. A page may run one minute over its promise; past that, `--check` fails and
//! the depth belongs on the lesson's "Going further" page.

use crate::util::{Result, files_under, relative, root, step};
use anyhow::anyhow;
use std::path::Path;

/// Words a reader reads in a minute.
const WORDS_PER_MINUTE: f64 = 230.0;
/// Seconds a reader spends on each shown code line.
const SECONDS_PER_CODE_LINE: f64 = 3.0;
/// How far past its promise a page may run.
const SLACK_MINUTES: f64 = 1.0;

/// What one page costs a reader.
#[derive(Debug, PartialEq)]
pub struct Estimate {
    pub words: usize,
    pub code_lines: usize,
}

impl Estimate {
    pub fn minutes(&self) -> f64 {
        self.words as f64 / WORDS_PER_MINUTE + self.code_lines as f64 * SECONDS_PER_CODE_LINE / 60.0
    }
}

/// Prints every lesson's estimate; with `--check`, fails on any past its promise.
pub fn run(flags: crate::flags::Generate) -> Result {
    let check = flags.check;
    let mut pages: Vec<_> = files_under(&root().join("src"))?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    let mut over = Vec::new();
    let mut lessons = 0;
    for page in pages {
        let text = std::fs::read_to_string(&page)?;
        let Some(promised) = promised_minutes(&text) else {
            continue;
        };
        lessons += 1;
        let estimate = estimate(&page, &text)?;
        let minutes = estimate.minutes();
        println!(
            "{:<34} {:>5.1} min of {promised} ({} words, {} code lines)",
            relative(&page),
            minutes,
            estimate.words,
            estimate.code_lines
        );
        if minutes > promised as f64 + SLACK_MINUTES {
            over.push(format!(
                "{}: {minutes:.1} minutes, promised {promised} (at most {:.0} allowed): move \
                 depth to its Going further page",
                relative(&page),
                promised as f64 + SLACK_MINUTES
            ));
        }
    }
    if lessons == 0 {
        return Err(anyhow!(
            "no page in src/ promises its minutes (`<!-- minutes: N -->`)"
        ));
    }
    if check && !over.is_empty() {
        return Err(anyhow!(
            "lessons past their reading time:\n  {}",
            over.join("\n  ")
        ));
    }
    step(&format!("{lessons} lessons timed"));
    Ok(())
}

/// The `N` of a `<!-- minutes: N -->` line.
pub fn promised_minutes(text: &str) -> Option<u32> {
    text.lines().find_map(|line| {
        line.trim()
            .strip_prefix("<!-- minutes:")?
            .strip_suffix("-->")?
            .trim()
            .parse()
            .ok()
    })
}

/// Counts the prose words and shown code lines of `page`, whose text is `text`.
pub fn estimate(page: &Path, text: &str) -> Result<Estimate> {
    let text = without_comments(text);
    let mut estimate = Estimate {
        words: 0,
        code_lines: 0,
    };
    let mut in_code = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if line.contains("{{#quiz") {
            continue;
        }
        if let Some(target) = include_target(line) {
            estimate.code_lines += included_lines(page, target)?;
            continue;
        }
        if in_code {
            estimate.code_lines += 1;
        } else {
            estimate.words += words(&without_images(line));
        }
    }
    Ok(estimate)
}

fn without_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start..].find("-->") {
            Some(end) => rest = &rest[start + end + 3..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// A line with its `![alt](src)` images taken out: alt text is for those who cannot see the
/// picture, not extra reading for those who can.
fn without_images(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find("![") {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        match after
            .find("](")
            .and_then(|m| after[m..].find(')').map(|c| m + c))
        {
            Some(end) => rest = &after[end + 1..],
            None => {
                rest = after;
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

fn words(line: &str) -> usize {
    line.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’' || c == '-'))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// `path:selector` of an `{{#include …}}` or `{{#rustdoc_include …}}` on this line.
fn include_target(line: &str) -> Option<&str> {
    let start = line
        .find("{{#include ")
        .map(|i| i + "{{#include ".len())
        .or_else(|| {
            line.find("{{#rustdoc_include ")
                .map(|i| i + "{{#rustdoc_include ".len())
        })?;
    let end = line[start..].find("}}")? + start;
    Some(line[start..end].trim())
}

/// How many lines `{{#include target}}` shows: the whole file, an anchor's region, or a
/// line range, without anchor markers.
fn included_lines(page: &Path, target: &str) -> Result<usize> {
    let (file, selector) = target.split_once(':').unwrap_or((target, ""));
    let path = page.parent().unwrap_or(page).join(file);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| anyhow!("{}: include {target}: {e}", relative(page)))?;
    let lines: Vec<&str> = text.lines().collect();
    let is_marker = |l: &&str| l.contains("ANCHOR:") || l.contains("ANCHOR_END:");
    if selector.is_empty() {
        return Ok(lines.iter().filter(|l| !is_marker(l)).count());
    }
    if selector.chars().all(|c| c.is_ascii_digit() || c == ':') {
        let (from, to) = selector.split_once(':').unwrap_or((selector, selector));
        let from = from.parse::<usize>().unwrap_or(1).max(1);
        let to = to.parse::<usize>().unwrap_or(lines.len()).min(lines.len());
        return Ok((to + 1).saturating_sub(from));
    }
    let (mut inside, mut count) = (false, 0);
    for line in &lines {
        if anchor(line, "ANCHOR_END:") == Some(selector) {
            inside = false;
        } else if anchor(line, "ANCHOR:") == Some(selector) {
            inside = true;
        } else if inside && !is_marker(line) {
            count += 1;
        }
    }
    Ok(count)
}

/// The name after `marker` on this line, as mdBook reads it: word characters and `-`, so
/// `ANCHOR: sb_fence` names `sb_fence`, never `sb`.
fn anchor<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    let rest = line[line.find(marker)? + marker.len()..].trim_start();
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    Some(&rest[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_counts_words_and_code_counts_lines() {
        let dir = std::env::temp_dir().join(format!("reading-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("x.rs"),
            "fn a() {}\n// ANCHOR: two\nfn b() {}\nfn c() {}\n// ANCHOR_END: two\n\
             // ANCHOR: two_more\nfn d() {}\n// ANCHOR_END: two_more\n",
        )
        .unwrap();
        let page = dir.join("p.md");
        let text = "# A title here\n<!-- minutes: 1 -->\n\nSome plain words, here.\n\
                    ![alt text is not read](d.svg)\n\n```rust\n{{#include x.rs:two}}\n```\n\n\
                    ```console\n$ one\n$ two\n$ three\n```\n{{#quiz ../q.toml}}\n";
        let estimate = estimate(&page, text).unwrap();
        assert_eq!(
            estimate,
            Estimate {
                words: 7,
                code_lines: 5
            }
        );
        assert_eq!(promised_minutes(text), Some(1));
        assert!((estimate.minutes() - (7.0 / 230.0 + 0.25)).abs() < 1e-9);
        let whole = estimate_of(&page, "{{#include x.rs}}\n{{#include x.rs:1:2}}\n");
        assert_eq!(whole.code_lines, 4 + 2);
    }

    fn estimate_of(page: &Path, text: &str) -> Estimate {
        estimate(page, text).unwrap()
    }

    #[test]
    fn a_page_without_a_promise_is_not_a_lesson() {
        assert_eq!(promised_minutes("# Title\n\ntext\n"), None);
        assert_eq!(promised_minutes("<!-- minutes: x -->"), None);
    }
}
