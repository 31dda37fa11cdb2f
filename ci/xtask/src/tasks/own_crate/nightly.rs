//! The guide's Miri and ThreadSanitizer commands on the crate outside the workspace: every
//! console command of the page that runs `cargo +<the pinned nightly>`, as the page shows it.
//! A command with `--ignored` runs a broken test, which the tool must fail for the reason the
//! page gives; any other must pass. The output the page shows under a command must be there.

use super::guide::{self, Shown};
use super::{GUIDE, OwnCrate, guide_commands};
use crate::expectation::{self, TSAN_REPORT, passes};
use crate::toolchain::{NIGHTLY, ensure_miri};
use crate::util::{Result, anyhow, root, text_of, timed, timed_ok};
use std::collections::BTreeSet;
use std::ops::Range;
use std::process::Output;
use std::time::{Duration, Instant};

/// The deadline of a build: the first TSan build compiles std with the sanitizer, and the
/// first Miri build its sysroot.
const BUILD_LIMIT: Duration = Duration::from_secs(1200);

/// The deadline of one command once built: the slowest, 32 Miri seeds of a small test, takes
/// about a minute on a loaded 2-core machine.
const RUN_LIMIT: Duration = Duration::from_secs(300);

const LIKELY: &str = "a spin-wait that never ends (Miri reports a deadlock only when every \
    thread blocks, and TSan reports races, not hangs), or a stalled build";

/// What Miri prints when the broken push's node is read: the error that ends the run.
const MIRI_RACE: &str =
    "error: Undefined Behavior: Data race detected between (1) non-atomic write on thread";

/// TSan's report, which ends the process with [`expectation::TSAN_EXIT`] once the tests have passed.
const TSAN_RACE: &str = "WARNING: ThreadSanitizer: data race";

/// The target triple the page shows; a run on another architecture uses its own.
const GUIDE_TRIPLE: &str = "x86_64-unknown-linux-gnu";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tool {
    Miri,
    Tsan,
}

impl std::fmt::Display for Tool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Tool::Miri => "Miri",
            Tool::Tsan => "TSan",
        })
    }
}

/// Runs the guide's Miri and TSan commands on a copy of its Treiber stack, and checks the
/// install lines and every pinned nightly the page names against [`NIGHTLY`].
pub fn guide_miri_and_tsan() -> Result {
    // TSan needs `rust-src`, which this installs with Miri (and `cargo xtask tsan` checks).
    ensure_miri()?;
    let page = std::fs::read_to_string(root().join(GUIDE))?;
    pinned_nightly(&page)?;
    let commands = guide_commands()?;
    install_lines(&commands)?;
    let own = OwnCrate::new("own-crate-nightly")?;
    let mut judged = Vec::new();
    for shown in &commands {
        if shown.program != "cargo" || shown.args.first() != Some(&format!("+{NIGHTLY}")) {
            continue;
        }
        let tool = tool_of(shown)?;
        let broken = shown.args.iter().any(|arg| arg == "--ignored");
        run(&own, shown, tool, broken)?;
        judged.push((tool, broken));
    }
    for (tool, broken) in [
        (Tool::Miri, false),
        (Tool::Miri, true),
        (Tool::Tsan, false),
        (Tool::Tsan, true),
    ] {
        if !judged.contains(&(tool, broken)) {
            let what = if broken {
                "a broken test"
            } else {
                "passing tests"
            };
            return Err(anyhow!("{GUIDE} shows no {tool} command for {what}"));
        }
    }
    Ok(())
}

fn tool_of(shown: &Shown) -> Result<Tool> {
    if shown.args.get(1).is_some_and(|arg| arg == "miri") {
        Ok(Tool::Miri)
    } else if shown
        .var("RUSTFLAGS")
        .is_some_and(|flags| flags.contains("-Zsanitizer=thread"))
    {
        Ok(Tool::Tsan)
    } else {
        Err(anyhow!(
            "{GUIDE}:{}: `{}` uses the pinned nightly for neither Miri nor TSan; this test \
             does not know what it should do",
            shown.line,
            shown.text()
        ))
    }
}

/// Builds (`--no-run`, under [`BUILD_LIMIT`]), then runs the command as shown and judges it.
fn run(own: &OwnCrate, shown: &Shown, tool: Tool, broken: bool) -> Result {
    let mut shown = shown.clone();
    for arg in &mut shown.args {
        if arg == GUIDE_TRIPLE {
            *arg = format!("{}-unknown-linux-gnu", std::env::consts::ARCH);
        }
    }
    let what = format!("{GUIDE}:{} `{}`", shown.line, shown.text());
    let mut build = shown.clone();
    let end = build
        .args
        .iter()
        .position(|arg| arg == "--")
        .unwrap_or(build.args.len());
    build.args.truncate(end);
    build.args.push("--no-run".to_owned());
    timed_ok(
        &mut own.command(&build),
        BUILD_LIMIT,
        &format!("the build for {what}"),
        LIKELY,
    )?;
    let started = Instant::now();
    let output = timed(&mut own.command(&shown), RUN_LIMIT, &what, LIKELY)?;
    let text = text_of(&output);
    let result = match (tool, broken) {
        (Tool::Miri, false) => miri_passed(&shown, &output, &text),
        (Tool::Miri, true) => expectation::miri(
            exact_test(&shown)?,
            Some(MIRI_RACE),
            output.status.success(),
            &text,
        ),
        (Tool::Tsan, false) => tsan_passed(&output, &text),
        (Tool::Tsan, true) => expectation::tsan(
            exact_test(&shown)?,
            Some(TSAN_RACE),
            output.status.code(),
            &text,
        ),
    };
    let verdict = result.map_err(|e| anyhow!("{what}: {e}\nIt printed:\n{text}"))?;
    let missing = guide::unmatched(&shown.output, &text);
    if !missing.is_empty() {
        return Err(anyhow!(
            "{what}: the page shows these lines, which the command did not print:\n{}\n\
             It printed:\n{text}",
            missing.join("\n")
        ));
    }
    println!(
        "{tool} on the e2e crate, `{}`: {verdict} ({:.0} s)",
        shown.text(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The seeds of `-Zmiri-many-seeds=A..B`, if the command asks for many.
fn seeds(shown: &Shown) -> Result<Option<Range<u64>>> {
    let Some(range) = shown
        .var("MIRIFLAGS")
        .unwrap_or_default()
        .split_whitespace()
        .find_map(|flag| flag.strip_prefix("-Zmiri-many-seeds="))
    else {
        return Ok(None);
    };
    let (from, to) = range
        .split_once("..")
        .ok_or_else(|| anyhow!("`{range}` is not a range of seeds"))?;
    Ok(Some(from.parse()?..to.parse()?))
}

/// Every test passed; with many seeds, on every seed. Miri runs the seeds in parallel, so
/// libtest's lines interleave and cannot be counted, but it says on stderr which seed it
/// tries, one whole line each.
fn miri_passed(shown: &Shown, output: &Output, text: &str) -> Result<String> {
    if !output.status.success() {
        return Err(anyhow!("Miri should pass it ({})", output.status));
    }
    let Some(seeds) = seeds(shown)? else {
        let passed = passes(text).len();
        return match passed {
            0 => Err(anyhow!("no test passed: did any run?")),
            _ => Ok(format!("passed {passed} tests")),
        };
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    let tried: BTreeSet<u64> = stderr
        .lines()
        .filter_map(|line| line.strip_prefix("Trying seed: ")?.trim().parse().ok())
        .collect();
    if !tried.iter().copied().eq(seeds.clone()) || !text.contains(" ... ok") {
        return Err(anyhow!(
            "Miri tried seeds {tried:?}, not each of {seeds:?} with a test that passed"
        ));
    }
    Ok(format!("passed on all {} seeds", seeds.end - seeds.start))
}

/// The broken test a command runs: the name after `--exact`.
fn exact_test(shown: &Shown) -> Result<&str> {
    shown
        .args
        .iter()
        .skip_while(|arg| *arg != "--exact")
        .nth(1)
        .map(String::as_str)
        .ok_or_else(|| {
            anyhow!(
                "{GUIDE}:{}: `{}` runs ignored tests without `--exact NAME`; name the broken \
                 test it should catch",
                shown.line,
                shown.text()
            )
        })
}

/// Passed with no report: TSan would have exited with [`expectation::TSAN_EXIT`].
fn tsan_passed(output: &Output, text: &str) -> Result<String> {
    if !output.status.success() || text.contains(TSAN_REPORT) || passes(text).is_empty() {
        return Err(anyhow!(
            "TSan should pass it with no report ({})",
            output.status
        ));
    }
    Ok(format!("passed {} tests, no report", passes(text).len()))
}

/// Every `nightly-YYYY-MM-DD` on the page is [`NIGHTLY`]: move the pin, and the page follows.
fn pinned_nightly(page: &str) -> Result {
    for (at, _) in page.match_indices("nightly-") {
        let date = page[at + "nightly-".len()..].get(..10).unwrap_or_default();
        let is_date = date.len() == 10
            && date.char_indices().all(|(i, c)| {
                if i == 4 || i == 7 {
                    c == '-'
                } else {
                    c.is_ascii_digit()
                }
            });
        let named = format!("nightly-{date}");
        if is_date && named != NIGHTLY {
            return Err(anyhow!(
                "{GUIDE} names {named}, but the pinned nightly is {NIGHTLY}"
            ));
        }
    }
    Ok(())
}

/// The page's `rustup toolchain install` lines are the ones the runner itself runs for Miri
/// and TSan (`toolchain::install_nightly`), so CI proves them on every fresh machine. They
/// are not run here: with the toolchain installed they would only ask the network.
fn install_lines(commands: &[Shown]) -> Result {
    let installs: Vec<&Shown> = commands.iter().filter(|c| c.program == "rustup").collect();
    if installs.is_empty() {
        return Err(anyhow!("{GUIDE} shows no `rustup toolchain install` line"));
    }
    for shown in installs {
        let expected = crate::toolchain::nightly_install_args;
        if shown.args != expected("miri,rust-src") && shown.args != expected("rust-src") {
            return Err(anyhow!(
                "{GUIDE}:{}: `{}` is not `rustup toolchain install {NIGHTLY} --profile minimal \
                 --component miri,rust-src` (or `rust-src`), which the runner installs with",
                shown.line,
                shown.text()
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expectation::TSAN_EXIT;

    fn shown(line: &str) -> Shown {
        guide::commands(&format!("```console\n$ {line}\n```\n")).unwrap()[0].clone()
    }

    #[test]
    fn a_pinned_nightly_other_than_the_runners_is_an_error() {
        pinned_nightly(&format!("`cargo +{NIGHTLY} miri test`; nightly-only")).unwrap();
        let error = pinned_nightly("cargo +nightly-2020-01-01 miri test").unwrap_err();
        assert!(
            error.to_string().contains("names nightly-2020-01-01"),
            "{error}"
        );
    }

    #[test]
    fn install_lines_must_be_the_runners() {
        let good = shown(&format!(
            "rustup toolchain install {NIGHTLY} --profile minimal --component miri,rust-src"
        ));
        install_lines(std::slice::from_ref(&good)).unwrap();
        let bad = shown(&format!(
            "rustup toolchain install {NIGHTLY} --component miri"
        ));
        let error = install_lines(&[good, bad]).unwrap_err();
        assert!(
            error.to_string().contains("which the runner installs with"),
            "{error}"
        );
    }

    #[test]
    fn the_tool_is_miri_or_tsan_and_seeds_are_read() {
        let miri = shown(&format!(
            "MIRIFLAGS=\"-Zmiri-many-seeds=0..32\" cargo +{NIGHTLY} miri test --test miri"
        ));
        assert_eq!(tool_of(&miri).unwrap(), Tool::Miri);
        assert_eq!(seeds(&miri).unwrap(), Some(0..32));
        let tsan = shown(&format!(
            "RUSTFLAGS=\"-Zsanitizer=thread\" cargo +{NIGHTLY} test -Zbuild-std"
        ));
        assert_eq!(tool_of(&tsan).unwrap(), Tool::Tsan);
        assert_eq!(seeds(&tsan).unwrap(), None);
        assert!(tool_of(&shown(&format!("cargo +{NIGHTLY} doc"))).is_err());
    }

    /// A finished `sh -c` that printed `stderr` and exited with `code`.
    fn exit(code: i32, stderr: &str) -> Output {
        std::process::Command::new("sh")
            .args(["-c", &format!("printf '{stderr}' >&2; exit {code}")])
            .output()
            .unwrap()
    }

    #[test]
    fn a_seed_miri_did_not_try_fails_the_miri_verdict() {
        let miri = shown("MIRIFLAGS=\"-Zmiri-many-seeds=0..2\" cargo +n miri test");
        let both = exit(0, "Trying seed: 1\nTrying seed: 0\n");
        // Interleaved, as parallel seeds print it.
        let text = "test a ... test a ... ok\nok\n";
        assert_eq!(
            miri_passed(&miri, &both, text).unwrap(),
            "passed on all 2 seeds"
        );
        let error = miri_passed(&miri, &exit(0, "Trying seed: 0\n"), text).unwrap_err();
        assert!(error.to_string().contains("tried seeds {0}"), "{error}");
        assert!(miri_passed(&miri, &exit(1, "Trying seed: 1\nTrying seed: 0\n"), text).is_err());
        let one = shown("cargo +n miri test");
        assert_eq!(
            miri_passed(&one, &exit(0, ""), "test a ... ok\ntest b ... ok\n").unwrap(),
            "passed 2 tests"
        );
        assert!(miri_passed(&one, &exit(0, ""), "running 0 tests\n").is_err());
    }

    #[test]
    fn tsan_verdicts_need_the_report_and_its_exit_status() {
        let report = format!("{TSAN_RACE} (pid=1)\ntest broken ... ok\n");
        tsan_passed(&exit(0, ""), "test fixed ... ok\n").unwrap();
        assert!(tsan_passed(&exit(0, ""), &report).is_err());
        assert!(tsan_passed(&exit(TSAN_EXIT, ""), "test fixed ... ok\n").is_err());
    }

    #[test]
    fn the_broken_test_is_the_one_after_exact() {
        let broken = shown(&format!(
            "cargo +{NIGHTLY} miri test --test miri -- --ignored --exact broken_push"
        ));
        assert_eq!(exact_test(&broken).unwrap(), "broken_push");
        let vague = shown(&format!("cargo +{NIGHTLY} miri test -- --ignored"));
        assert!(exact_test(&vague).is_err());
    }
}
