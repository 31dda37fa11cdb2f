//! The project's promises that a compiler cannot check, as tests, so `cargo test` (and with it
//! `cargo xtask test`) keeps them:
//! - one source of truth: every Rust block in the book is included from a tested crate file;
//! - every ordering is defended: each `Ordering::` in fixed code has a comment on its line or
//!   the line above saying what it pairs with;
//! - the task runner stays walkable: no source file over 600 lines, the commands' imports form
//!   no cycle, and the shared layer never imports a command.

use crate::util::{Result, files_under, relative, root};
use std::path::{Path, PathBuf};

/// Rust code blocks whose lines are not all `{{#include …}}` directives, one report a block.
fn pasted_rust(path: &Path, text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    // The line a Rust block opened on, and whether that block has been reported already.
    let mut block: Option<(usize, bool)> = None;
    for (number, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        match &mut block {
            None if trimmed.starts_with("```rust") => block = Some((number + 1, false)),
            Some(_) if trimmed.starts_with("```") => block = None,
            Some((start, reported)) => {
                let included = trimmed.is_empty()
                    || trimmed.starts_with("{{#include ")
                    || trimmed.starts_with("{{#rustdoc_include ");
                if !included && !*reported {
                    *reported = true;
                    problems.push(format!(
                        "{}:{start}: Rust code pasted into a page; include it from a crate \
                         file with {{{{#include file.rs:anchor}}}}",
                        relative(path)
                    ));
                }
            }
            None => {}
        }
    }
    problems
}

/// `Ordering::` uses with no `//` comment on the same line or the line above.
fn undefended_orderings(path: &Path, text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut previous = "";
    for (number, line) in text.lines().enumerate() {
        if line.contains("Ordering::") && !line.contains("//") && !previous.contains("//") {
            problems.push(format!(
                "{}:{}: an ordering with no comment saying what it pairs with",
                relative(path),
                number + 1
            ));
        }
        previous = line;
    }
    problems
}

/// Files under `dir` with this extension, leaving out readers' attempts (theirs to get wrong).
fn files_with_extension(dir: &Path, extension: &str) -> Result<Vec<PathBuf>> {
    let mut files = files_under(dir)?;
    files.retain(|path| {
        path.extension().is_some_and(|e| e == extension)
            && path
                .file_name()
                .is_some_and(|n| n != "attempt.rs" && n != "attempt-orderings.rs")
    });
    Ok(files)
}

/// Source files of the task runner longer than `limit` lines.
fn long_files(limit: usize) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for file in files_with_extension(&root().join("ci/xtask/src"), "rs")? {
        let lines = std::fs::read_to_string(&file)?.lines().count();
        if lines > limit {
            problems.push(format!(
                "{}: {lines} lines; split it by stage (the limit is {limit})",
                relative(&file)
            ));
        }
    }
    Ok(problems)
}

/// The command a file of `ci/xtask/src/tasks/` belongs to (`tasks/audit/sites.rs` → `audit`).
fn command_of(file: &Path) -> Option<String> {
    let tasks = root().join("ci/xtask/src/tasks");
    let first = file.strip_prefix(&tasks).ok()?.components().next()?;
    let name = first.as_os_str().to_string_lossy();
    Some(name.trim_end_matches(".rs").to_owned()).filter(|n| n != "mod")
}

/// The commands a file names through `crate::tasks::<command>` paths, with the line of each.
fn commands_named(text: &str) -> Vec<(usize, String)> {
    let mut named = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("crate::tasks::") {
            rest = &rest[at + "crate::tasks::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            named.push((number + 1, name));
        }
    }
    named
}

/// The layering rules: the shared layer (every file outside `tasks/`) never reaches up into a
/// command, and the commands' imports form no cycle (`tasks::test`, which runs the others, is
/// left out: nothing imports it).
fn layering_problems(files: &[(PathBuf, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut edges: Vec<(String, String, String)> = Vec::new();
    for (file, text) in files {
        match command_of(file) {
            None => {
                for (line, name) in commands_named(text) {
                    problems.push(format!(
                        "{}:{line}: the shared layer imports the `{name}` command",
                        relative(file)
                    ));
                }
            }
            Some(own) if own != "test" => {
                for (line, name) in commands_named(text) {
                    if name != own {
                        let at = format!("{}:{line}", relative(file));
                        edges.push((own.clone(), name, at));
                    }
                }
            }
            Some(_) => {}
        }
    }
    for (from, to, at) in &edges {
        if reaches(&edges, to, from) {
            problems.push(format!(
                "{at}: `{from}` imports `{to}`, which leads back to `{from}`: a cycle; move \
                 what both need into the shared layer (util, workspace, checker, generated, …)"
            ));
        }
    }
    problems
}

/// Whether `from` reaches `to` along `edges`.
fn reaches(edges: &[(String, String, String)], from: &str, to: &str) -> bool {
    let mut seen = vec![from.to_owned()];
    let mut pending = vec![from.to_owned()];
    while let Some(at) = pending.pop() {
        if at == to {
            return true;
        }
        for (a, b, _) in edges {
            if *a == at && !seen.contains(b) {
                seen.push(b.clone());
                pending.push(b.clone());
            }
        }
    }
    false
}

/// Fails with every problem found, one per line.
fn none(problems: Vec<String>) {
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rust_block_in_the_book_is_included_from_a_crate_file() -> Result {
        let mut problems = Vec::new();
        for page in files_with_extension(&root().join("src"), "md")? {
            problems.extend(pasted_rust(&page, &std::fs::read_to_string(&page)?));
        }
        none(problems);
        Ok(())
    }

    #[test]
    fn every_ordering_in_fixed_code_says_what_it_pairs_with() -> Result {
        let mut problems = Vec::new();
        for source in files_with_extension(&root().join("exercises"), "rs")? {
            let is_fixed_code = source.components().any(|c| c.as_os_str() == "src")
                && !source
                    .file_name()
                    .is_some_and(|n| n.to_string_lossy().contains("broken"));
            if is_fixed_code {
                problems.extend(undefended_orderings(
                    &source,
                    &std::fs::read_to_string(&source)?,
                ));
            }
        }
        none(problems);
        Ok(())
    }

    #[test]
    fn no_file_of_the_task_runner_is_over_600_lines() -> Result {
        none(long_files(600)?);
        Ok(())
    }

    #[test]
    fn the_commands_form_no_cycle_and_the_shared_layer_imports_none() -> Result {
        let mut files = Vec::new();
        for file in files_with_extension(&root().join("ci/xtask/src"), "rs")? {
            // This file names commands in its tests' sample sources.
            if file.ends_with("tidy.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&file)?;
            files.push((file, text));
        }
        none(layering_problems(&files));
        Ok(())
    }

    #[test]
    fn a_cycle_and_an_upward_import_are_reported() {
        let src = root().join("ci/xtask/src");
        let file = |path: &str, text: &str| (src.join(path), text.to_owned());
        let files = [
            file("tasks/learn.rs", "use crate::tasks::audit::grade;"),
            file("tasks/audit/mod.rs", "x(crate::tasks::learn::judge)"),
            file("tasks/tsan.rs", "use crate::tasks::miri::NIGHTLY;"),
            file("tasks/test.rs", "crate::tasks::tsan::run()"),
            file("util.rs", "use crate::tasks::asm;"),
        ];
        let problems = layering_problems(&files);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems[0].contains("shared layer imports the `asm` command"));
        assert!(problems[1].contains("`learn` imports `audit`, which leads back"));
        assert!(problems[2].contains("`audit` imports `learn`"));
        assert_eq!(
            command_of(&src.join("tasks/audit/sites.rs")).as_deref(),
            Some("audit")
        );
    }

    #[test]
    fn an_included_block_passes_and_a_pasted_one_is_reported_once() {
        let page = "```rust\n{{#include ../x.rs:a}}\n```\n\ntext\n\n```rust,ignore\nfn a() {}\nfn b() {}\n```\n";
        let problems = pasted_rust(Path::new("p.md"), page);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("p.md:7:"), "{problems:?}");
    }

    #[test]
    fn other_languages_are_not_checked() {
        assert!(pasted_rust(Path::new("p.md"), "```console\n$ cargo test\n```\n").is_empty());
    }

    #[test]
    fn an_ordering_needs_a_comment_on_its_line_or_the_line_above() {
        let source = "// pairs with the Acquire in get\nx.store(1, Ordering::Release);\n\
                      y.load(Ordering::Acquire); // pairs with set\n\nz.load(Ordering::Relaxed);\n";
        let problems = undefended_orderings(Path::new("f.rs"), source);
        assert_eq!(
            problems,
            ["f.rs:5: an ordering with no comment saying what it pairs with"]
        );
    }
}
