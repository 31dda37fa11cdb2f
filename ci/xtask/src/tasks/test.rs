//! `cargo xtask test` (everything CI runs) and `cargo xtask check` (fmt and clippy).

use crate::util::{self, Result, cmd, files_under, no_args, relative, root, step};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Every check CI runs, in the order that fails fastest. `.ci/run` calls this.
pub fn run(args: &[String]) -> Result {
    no_args("test", args)?;
    let started = Instant::now();
    check(&[])?;
    conventions()?;
    // Each lesson fits the minutes it promises.
    step("cargo xtask reading --check");
    crate::tasks::reading::run(&["--check".to_owned()])?;

    // The instruction tables (orderings, hoisted loop, spinlock, counter) match what this compiler
    // emits.
    step("cargo xtask asm --check");
    crate::tasks::asm::run(&["--check".to_owned()])?;

    // The happens-before graphs match their specs.
    step("cargo xtask diagrams --check");
    crate::tasks::diagrams::run(&["--check".to_owned()])?;

    // Unit tests, std stress tests, doc tests, and the task runner's own tests.
    util::run(cmd("cargo").args(["test", "--workspace", "--locked"]))?;

    // The loom models. Their own target dir: a different RUSTFLAGS would otherwise force a
    // full rebuild of the normal build each time.
    util::run(loom(cmd("cargo").args([
        "test",
        "--workspace",
        "--exclude",
        "xtask",
        "--exclude",
        "benches",
        "--release",
        "--locked",
    ])))?;

    // Miri: fixed code passes many schedules; each broken program is caught for its reason.
    step("cargo xtask miri");
    crate::tasks::miri::run_task(&[])?;

    // ThreadSanitizer's reports (true and false) and silences, as the Tools appendix states
    // them; then that appendix's table against its claims, whose tests all ran above.
    step("cargo xtask tsan");
    crate::tasks::tsan::run_task(&[])?;
    step("cargo xtask tools --check");
    crate::tasks::tools::run(&["--check".to_owned()])?;

    // Each ordering in the case studies is the weakest the loom checker accepts, and the
    // chapters' tables (src/appendix/audit/) say what the audit found.
    step("cargo xtask audit --check");
    crate::tasks::audit::run(&["--check".to_owned()])?;

    // Every exercise fails as shipped and every solution passes.
    step("cargo xtask learn --verify");
    crate::tasks::learn::run(&["--verify".to_owned()])?;

    // Benches run once each, unmeasured, so they cannot rot.
    util::run(cmd("cargo").args(["bench", "-p", "benches", "--locked", "--", "--test"]))?;

    crate::toolchain::lint_workflows()?;
    crate::tasks::book::test()?;

    step(&format!(
        "all checks passed in {:.0} s",
        started.elapsed().as_secs_f64()
    ));
    Ok(())
}

/// `cargo fmt --check` and clippy with warnings as errors, for the std and the loom builds.
pub fn check(args: &[String]) -> Result {
    no_args("check", args)?;
    util::run(cmd("cargo").args(["fmt", "--all", "--check"]))?;
    let clippy = ["clippy", "--workspace", "--all-targets", "--locked", "--"];
    util::run(cmd("cargo").args(clippy).args(["-D", "warnings"]))?;
    // The loom build compiles the models and the shim's loom half: lint those too.
    util::run(loom(cmd("cargo").args(clippy).args(["-D", "warnings"])))?;
    Ok(())
}

/// Sets up `command` for a loom build in its own target directory.
fn loom(command: &mut std::process::Command) -> &mut std::process::Command {
    command
        .env("RUSTFLAGS", "--cfg loom")
        .env("CARGO_TARGET_DIR", root().join("target/loom"))
}

/// The project's two promises that a compiler cannot check:
/// - one source of truth: every Rust block in the book is included from a tested crate file;
/// - every ordering is defended: each `Ordering::` in fixed code has a comment on its line or
///   the line above saying what it pairs with.
fn conventions() -> Result {
    step("checking conventions: included code blocks, defended orderings");
    let mut problems = Vec::new();
    for page in files_with_extension(&root().join("src"), "md")? {
        problems.extend(pasted_rust(&page, &std::fs::read_to_string(&page)?));
    }
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
    if problems.is_empty() {
        Ok(())
    } else {
        Err(anyhow::Error::msg(problems.join("\n")))
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

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
