//! `cargo xtask serve` (serve.rs) / `build`: the book, its link check and the browser check of the site.

use crate::toolchain as tools;
use crate::util::{Result, cmd, describe, files_under, relative, root, run, step};
use anyhow::anyhow;
use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

mod pages;
pub mod serve;

pub use serve::serve;

/// Where mdBook writes the site: with two outputs (html and linkcheck2) each gets a
/// subdirectory of book/.
pub fn html_dir() -> PathBuf {
    root().join("book").join("html")
}

/// `cargo xtask build`: installs the tools if needed and builds the book into book/html.
pub fn build() -> Result {
    tools::ensure_book_tools()?;
    build_book(QuizIds::LetQuizWrite)?;
    eprintln!(
        "\nThe book is in {}",
        html_dir().join("index.html").display()
    );
    Ok(())
}

/// The book's part of `cargo xtask test`: build it (mdbook-linkcheck2 fails the build on a
/// broken link), then open every page in Chromium (ci/web/check-site.mjs): no console error,
/// no failed request, no request to another host, KaTeX rendered with its own fonts, every
/// `#anchor` resolves, search works.
pub fn test() -> Result {
    tools::ensure_book_tools()?;
    tools::ensure_browser()?;
    build_book(QuizIds::Require)?;
    check_site()?;
    super::explorer::check(&html_dir())
}

/// What to do about quiz questions without an `id` (see `quizzes_missing_ids`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum QuizIds {
    /// Let mdbook-quiz write them into the quiz files, and say so.
    LetQuizWrite,
    /// Fail before building.
    Require,
}

/// `mdbook build` with the pinned mdBook and plugins, then the static checks of the output.
fn build_book(quiz_ids: QuizIds) -> Result {
    let missing = quizzes_missing_ids()?;
    if !missing.is_empty() && quiz_ids == QuizIds::Require {
        return Err(anyhow!(
            "quiz questions without ids (a build would make mdbook-quiz write random ones into \
             the files):\n  {}\n(`cargo xtask build` adds them for you.)",
            missing.join("\n  ")
        ));
    }
    // A stale page from a renamed chapter would otherwise survive in book/html and be
    // checked (and deployed) as if it were part of the book.
    let book = root().join("book");
    if book.exists() {
        fs::remove_dir_all(&book).map_err(|e| anyhow!("removing {}: {e}", book.display()))?;
    }
    build_highlight()?;
    super::explorer::build()?;
    run_mdbook_build()?;
    log_rewritten(&pages::rewrite(&html_dir())?);
    check_built_site(&html_dir())?;
    if !missing.is_empty() {
        eprintln!(
            "\nnote: mdbook-quiz wrote an `id` into each question that had none; commit these \
             files (`cargo xtask test` requires the ids):\n  {}",
            missing
                .iter()
                .map(|m| m.split(':').next().unwrap_or(m))
                .collect::<Vec<_>>()
                .join("\n  ")
        );
    }
    Ok(())
}

/// The pass's one line in the log, after `build` and after each rebuild of `serve`.
fn log_rewritten(rewritten: &pages::Rewritten) {
    eprintln!(
        "pages rewritten: {} listings dedented, the quiz deferred on {} pages, {} diagrams sized",
        rewritten.listings, rewritten.quiz_pages, rewritten.diagrams
    );
}

/// `mdbook build`, failing on any error it logs. mdBook 0.5.4 logs a failed `{{#include}}`
/// (a missing file, a missing anchor) at ERROR level and still exits 0, leaving the raw
/// directive in the page; for this book, where every listing is included from tested code,
/// that must fail the build.
fn run_mdbook_build() -> Result {
    let mut command = mdbook();
    command.arg("build").stderr(Stdio::piped());
    step(&describe(&command));
    let mut child = command
        .spawn()
        .map_err(|e| anyhow!("could not start `{}`: {e}", describe(&command)))?;
    let mut errors = Vec::new();
    if let Some(stderr) = child.stderr.take() {
        for line in BufReader::new(stderr).lines() {
            let line = line?;
            eprintln!("{line}");
            let plain = strip_ansi(&line);
            let plain = plain.trim_start();
            let is_error = plain.starts_with("ERROR")
                || plain.contains(" ERROR ")
                || plain.contains("[ERROR]");
            // Each renderer (html, linkcheck2) runs the preprocessors again: report once.
            if is_error && !errors.iter().any(|e| e == plain) {
                errors.push(plain.to_owned());
            }
        }
    }
    let status = child.wait()?;
    if !status.success() {
        return Err(anyhow!(
            "`mdbook build` failed ({status}); see its messages above"
        ));
    }
    if !errors.is_empty() {
        return Err(anyhow!(
            "`mdbook build` exited successfully but logged errors:\n  {}",
            errors.join("\n  ")
        ));
    }
    Ok(())
}

/// `line` without ANSI colour sequences (some plugins colour their log lines even when piped).
fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters final-byte (a letter).
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Quiz files under src/quizzes/ with questions that have no `id`, each with a message.
///
/// mdbook-quiz writes a fresh UUID into every question without one, rewriting the file during
/// the build. The ids are meant to be committed (they identify a question across edits, for
/// cached answers), so `build` and `serve` let it write them, as its author intends, and say
/// so, while `test` (CI) refuses to build with any missing: a CI build must not rewrite tracked
/// files or run with ids that never reach the repository.
fn quizzes_missing_ids() -> Result<Vec<String>> {
    let quizzes = root().join("src").join("quizzes");
    let Ok(entries) = fs::read_dir(&quizzes) else {
        return Ok(Vec::new());
    };
    let mut found = Vec::new();
    for entry in entries {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let text = fs::read_to_string(&path)?;
        let mut questions = 0;
        let mut ids = 0;
        for line in text.lines().map(str::trim_start) {
            if line.starts_with("[[questions]]") {
                questions += 1;
            } else if line.starts_with("id ") || line.starts_with("id=") {
                ids += 1;
            }
        }
        if ids < questions {
            let fresh: Vec<String> = (0..questions - ids)
                .map(|_| format!("id = \"{}\"", fresh_uuid()))
                .collect();
            found.push(format!(
                "{}: {} of {questions} questions have no `id`; give each its own line \
                 `id = \"<uuid>\"`, for example:\n      {}",
                relative(&path),
                questions - ids,
                fresh.join("\n      ")
            ));
        }
    }
    found.sort();
    Ok(found)
}

/// A random UUID from the Linux kernel (std-only; only used to suggest ids in an error).
fn fresh_uuid() -> String {
    fs::read_to_string("/proc/sys/kernel/random/uuid")
        .map(|u| u.trim().to_owned())
        .unwrap_or_else(|_| "<run uuidgen>".to_owned())
}

/// The pinned mdbook, with the cargo bin directory first on `PATH` so that it runs the pinned
/// plugins too.
fn mdbook() -> Command {
    let mut command = Command::new(tools::cargo_bin_dir().join("mdbook"));
    command.current_dir(root());
    if let Some(path) = tools::path_with_cargo_bin() {
        command.env("PATH", path);
    }
    command
}

/// Writes src/theme/highlight.js (gitignored), mdBook's highlighter cut down to the languages
/// the book shows, from the pinned npm highlight.js (ci/web/build-highlight.mjs). mdBook uses a
/// theme's highlight.js in place of its own.
fn build_highlight() -> Result {
    tools::check_node()?;
    run(cmd("node")
        .arg(tools::web_dir().join("build-highlight.mjs"))
        .arg(root().join("src").join("theme").join("highlight.js")))
}

/// Runs the browser check on the built site.
fn check_site() -> Result {
    tools::check_node()?;
    run(cmd("node")
        .arg(tools::web_dir().join("check-site.mjs"))
        .arg(html_dir())
        .env("CHROMIUM", tools::chromium()))
}

/// Fails if any page or stylesheet would load something from another host, or if a page
/// still holds an mdBook directive or a formula KaTeX could not render. The browser check
/// sees real requests; this catches the same mistakes in `cargo xtask build` (and so before a
/// deploy), in particular mdbook-katex falling back to its CDN stylesheet when its
/// `book.toml` table does not parse.
fn check_built_site(html: &Path) -> Result {
    step("checking that the site loads nothing from another host");
    let mut problems = Vec::new();
    let files = files_under(html)?;
    for file in &files {
        let extension = file.extension().and_then(|e| e.to_str()).unwrap_or("");
        if extension != "html" && extension != "css" {
            continue;
        }
        let text = fs::read_to_string(file)?;
        let shown = file.strip_prefix(html).unwrap_or(file).display();
        for url in external_loads(&text, extension == "css") {
            problems.push(format!("{shown}: loads {url}"));
        }
        // A directive that reached the HTML was not expanded (see `run_mdbook_build`), and a
        // formula KaTeX could not parse is a `katex-error` span (see book.toml).
        if extension == "html" {
            for (start, _) in text.match_indices("class=\"katex-error\"") {
                let tag = &text[start..text[start..].find('>').map_or(text.len(), |e| start + e)];
                let message = tag
                    .split_once("title=\"")
                    .map_or("", |(_, rest)| rest.split('"').next().unwrap_or(""));
                problems.push(format!(
                    "{shown}: KaTeX could not render a formula: {message}"
                ));
            }
            for directive in [
                "{{#include",
                "{{#rustdoc_include",
                "{{#quiz",
                "{{#playground",
            ] {
                if text.contains(directive) {
                    problems.push(format!("{shown}: unexpanded `{directive} ...}}}}`"));
                }
            }
        }
    }
    if problems.is_empty() {
        eprintln!(
            "{} files checked: every resource is served by the site itself, every directive expanded",
            files.len()
        );
        Ok(())
    } else {
        Err(anyhow!(
            "problems in the built site:\n  {}",
            problems.join("\n  ")
        ))
    }
}

/// The absolute URLs that `text` would make a browser fetch: `src`/`href` of the tags that load
/// something (`<a href>` is a link, not a load, and may point anywhere), CSS `url(...)` and
/// `@import`, and any mention of a CDN host.
fn external_loads(text: &str, is_css: bool) -> Vec<String> {
    let mut found = Vec::new();
    let is_remote = |url: &str| {
        let url = url.trim_matches(|c| c == '"' || c == '\'' || c == ' ');
        url.starts_with("http:") || url.starts_with("https:") || url.starts_with("//")
    };
    if !is_css {
        for tag in [
            "<link", "<script", "<img", "<iframe", "<source", "<video", "<audio", "<embed",
        ] {
            for (start, _) in text.match_indices(tag) {
                let end = text[start..].find('>').map_or(text.len(), |e| start + e);
                let element = &text[start..end];
                for attribute in [" src=\"", " href=\"", " srcset=\""] {
                    if let Some(at) = element.find(attribute) {
                        let value = &element[at + attribute.len()..];
                        let value = &value[..value.find('"').unwrap_or(value.len())];
                        if is_remote(value) {
                            found.push(value.to_owned());
                        }
                    }
                }
            }
        }
    }
    for (start, _) in text.match_indices("url(") {
        let value = &text[start + 4..];
        let value = &value[..value.find(')').unwrap_or(value.len())];
        if is_remote(value) {
            found.push(value.to_owned());
        }
    }
    for (start, _) in text.match_indices("@import") {
        let value = &text[start + 7..];
        let value = value[..value.find(';').unwrap_or(value.len())].trim();
        let value = value.trim_start_matches("url(");
        if is_remote(value) {
            found.push(value.to_owned());
        }
    }
    for cdn in [
        "cdn.jsdelivr.net",
        "cdnjs.cloudflare.com",
        "unpkg.com",
        "fonts.googleapis.com",
    ] {
        if text.contains(cdn) {
            found.push(format!("a reference to {cdn}"));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::external_loads;

    #[test]
    fn finds_remote_loads_and_ignores_links() {
        let html = r#"<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/katex/katex.min.css">
            <script src="../book.js"></script><a href="https://github.com/">repo</a>
            <img alt="x" src="//example.com/x.png">"#;
        let found = external_loads(html, false);
        assert!(found.contains(&"https://cdn.jsdelivr.net/npm/katex/katex.min.css".to_owned()));
        assert!(found.contains(&"//example.com/x.png".to_owned()));
        assert!(!found.iter().any(|u| u.contains("github.com")));
        assert!(external_loads(r#"<a href="https://github.com/">x</a>"#, false).is_empty());
        assert_eq!(
            external_loads("@font-face{src:url(fonts/KaTeX_Main.woff2)}", true),
            Vec::<String>::new()
        );
        assert!(!external_loads("@import url(https://fonts.example/x.css);", true).is_empty());
    }
}
