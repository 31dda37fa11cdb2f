//! `cargo xtask learn <exercise>`: the learner loop.
//!
//! An exercise is any workspace crate with a `[package.metadata.learn]` table naming its
//! `exercise` file (the broken code, shipped), its `solution` file and a `hint`. The reader's
//! attempt is `exercises/<crate>/attempt.rs`: copied from the exercise on first use, ignored by
//! git (so a reader's edits never reach CI), and never overwritten without a yes at the prompt.
//!
//! The crate compiles the attempt as `<crate>::attempt` when built with `--cfg learner` (it
//! `include!`s the file named by `LEARNER_ATTEMPT`), and its `learner_attempt` test runs the
//! chapter's loom checker against it. That keeps this runner the same for every chapter.

use crate::util::{Result, capture, cargo_metadata, cmd, describe, relative, root, step};
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

const USAGE: &str = "\
cargo xtask learn                      list the exercises
cargo xtask learn <exercise>           check your attempt (made from the exercise on first use)
cargo xtask learn <exercise> --reset   start again from the exercise (asks first)
cargo xtask learn <exercise> --attempt <file>   check another file instead
cargo xtask learn --verify             every exercise fails as shipped; every solution passes";

/// One exercise, as its crate's `[package.metadata.learn]` describes it.
#[derive(Debug)]
pub struct Exercise {
    pub name: String,
    pub dir: PathBuf,
    pub exercise: PathBuf,
    pub solution: PathBuf,
    pub hint: String,
}

impl Exercise {
    /// The reader's own copy.
    pub fn attempt(&self) -> PathBuf {
        self.dir.join("attempt.rs")
    }
}

/// What the checker said about a file.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Correct,
    /// The checker's failure message.
    StillBroken(String),
    /// The compiler's messages.
    DoesNotCompile(String),
}

pub fn run(args: &[String]) -> Result {
    let exercises = exercises()?;
    let mut args = args.iter().map(String::as_str);
    match (args.next(), args.next(), args.next(), args.next()) {
        (None, ..) => {
            list(&exercises);
            Ok(())
        }
        (Some("--verify"), None, ..) => verify(&exercises),
        (Some(name), None, ..) => check_attempt(find(&exercises, name)?),
        (Some(name), Some("--reset"), None, ..) => reset(find(&exercises, name)?),
        (Some(name), Some("--attempt"), Some(file), None) => {
            let exercise = find(&exercises, name)?;
            let file = std::env::current_dir()?.join(file);
            report(exercise, &file, &judge(exercise, &file)?)
        }
        _ => Err(format!("usage:\n{USAGE}").into()),
    }
}

/// Every crate with a `[package.metadata.learn]` table, by package name.
pub fn exercises() -> Result<Vec<Exercise>> {
    parse_metadata(&cargo_metadata()?)
}

fn parse_metadata(metadata: &serde_json::Value) -> Result<Vec<Exercise>> {
    let mut found = Vec::new();
    for package in metadata["packages"].as_array().into_iter().flatten() {
        let learn = &package["metadata"]["learn"];
        if learn.is_null() {
            continue;
        }
        let name = package["name"].as_str().unwrap_or_default().to_owned();
        let manifest = PathBuf::from(package["manifest_path"].as_str().unwrap_or_default());
        let dir = manifest.parent().unwrap_or(Path::new(".")).to_path_buf();
        let field = |key: &str| {
            learn[key]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("{name}: [package.metadata.learn] needs `{key}`"))
        };
        found.push(Exercise {
            exercise: dir.join(field("exercise")?),
            solution: dir.join(field("solution")?),
            hint: field("hint")?,
            dir,
            name,
        });
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

fn find<'a>(exercises: &'a [Exercise], name: &str) -> Result<&'a Exercise> {
    exercises.iter().find(|e| e.name == name).ok_or_else(|| {
        let names: Vec<&str> = exercises.iter().map(|e| e.name.as_str()).collect();
        format!(
            "there is no exercise `{name}`. The exercises are: {}",
            names.join(", ")
        )
        .into()
    })
}

fn list(exercises: &[Exercise]) {
    println!("Exercises (run `cargo xtask learn <exercise>`):");
    for exercise in exercises {
        let state = if exercise.attempt().exists() {
            format!("your attempt: {}", relative(&exercise.attempt()))
        } else {
            "not started".to_owned()
        };
        println!("  {:<12} {state}", exercise.name);
    }
}

fn check_attempt(exercise: &Exercise) -> Result {
    let attempt = exercise.attempt();
    if !attempt.exists() {
        std::fs::copy(&exercise.exercise, &attempt)?;
        println!(
            "Created {} from the broken code in {}.\n\
             It is yours: git ignores it and this command never overwrites it.\n\
             Fix it, then run `cargo xtask learn {}` again.",
            relative(&attempt),
            relative(&exercise.exercise),
            exercise.name
        );
    }
    report(exercise, &attempt, &judge(exercise, &attempt)?)
}

fn reset(exercise: &Exercise) -> Result {
    let attempt = exercise.attempt();
    if attempt.exists() {
        let question = format!(
            "Overwrite {} with the broken code? Your edits will be lost. [y/N] ",
            relative(&attempt)
        );
        if !confirm(&question)? {
            println!("Left {} as it was.", relative(&attempt));
            return Ok(());
        }
    }
    std::fs::copy(&exercise.exercise, &attempt)?;
    println!("{} now holds the broken code again.", relative(&attempt));
    Ok(())
}

/// Asks on the terminal; with no terminal to ask on, the answer is no.
fn confirm(question: &str) -> Result<bool> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        println!("{question}\nNo terminal to ask on, so: no.");
        return Ok(false);
    }
    print!("{question}");
    std::io::stdout().flush()?;
    let mut answer = String::new();
    stdin.lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes"))
}

/// Builds `file` as the exercise crate's attempt and runs the checker on it.
pub fn judge(exercise: &Exercise, file: &Path) -> Result<Verdict> {
    if !file.exists() {
        return Err(format!("{} does not exist", file.display()).into());
    }
    let source = std::fs::read_to_string(file)?;
    if let Some(problem) = unseen_by_loom(&source) {
        return Ok(Verdict::StillBroken(problem));
    }
    let test = |no_run: bool| {
        let mut command = cmd("cargo");
        command
            .args(["test", "--release", "-p", &exercise.name])
            // A target dir of its own: these flags differ from the normal and loom builds, and
            // sharing one directory would make each of them rebuild everything every time.
            .env("CARGO_TARGET_DIR", root().join("target/learner"))
            .env("RUSTFLAGS", "--cfg loom --cfg learner")
            .env("LEARNER_ATTEMPT", file)
            .env("RUST_BACKTRACE", "0");
        if no_run {
            command.arg("--no-run");
        } else {
            command.args(["--", "learner_attempt", "--exact"]);
        }
        command
    };
    step(&format!(
        "checking {} with the `{}` checker (the first run builds loom: about a minute)",
        relative(file),
        exercise.name
    ));
    let build = capture(&mut test(true))?;
    if !build.status.success() {
        return Ok(Verdict::DoesNotCompile(compiler_messages(
            &String::from_utf8_lossy(&build.stderr),
        )));
    }
    let mut command = test(false);
    let run = capture(&mut command)?;
    let stdout = String::from_utf8_lossy(&run.stdout);
    if run.status.success() {
        if stdout.contains("test learner_attempt ... ok") {
            Ok(Verdict::Correct)
        } else {
            Err(format!(
                "`{}` ran no `learner_attempt` test; does the crate define one under \
                 cfg(learner)?\n{stdout}",
                describe(&command)
            )
            .into())
        }
    } else {
        Ok(Verdict::StillBroken(
            failure_message(&stdout).unwrap_or_else(|| stdout.into_owned()),
        ))
    }
}

/// loom can only judge atomics it provides; std's are invisible to it.
fn unseen_by_loom(source: &str) -> Option<String> {
    ["std::sync::atomic", "core::sync::atomic"]
        .iter()
        .find(|path| source.contains(*path))
        .map(|path| {
            format!(
                "the attempt uses `{path}`, which the loom checker cannot see into. \
                 Import atomics from `support::sync::atomic` (the same types, swapped for \
                 loom's when checking)."
            )
        })
}

/// The panic message of the failing `learner_attempt` test, without the backtrace.
fn failure_message(stdout: &str) -> Option<String> {
    let start = stdout.find("panicked at ")?;
    let after = &stdout[start..];
    let body = &after[after.find('\n')? + 1..];
    let message: Vec<&str> = body
        .lines()
        .take_while(|line| {
            !(line.is_empty() || line.starts_with("stack backtrace") || line.starts_with("note:"))
        })
        .collect();
    let message = message.join("\n");
    Some(
        message
            .strip_prefix("assertion `left == right` failed: ")
            .unwrap_or(&message)
            .to_owned(),
    )
}

/// cargo's stderr from the first error on, without the "Compiling …" progress lines.
fn compiler_messages(stderr: &str) -> String {
    let from_error = stderr
        .find("error")
        .map_or(stderr, |start| &stderr[start..]);
    from_error
        .lines()
        .filter(|line| !line.trim_start().starts_with("Compiling "))
        .collect::<Vec<_>>()
        .join("\n")
}

fn report(exercise: &Exercise, file: &Path, verdict: &Verdict) -> Result {
    match verdict {
        Verdict::Correct => {
            println!(
                "\ncorrect — compare with the solution: {}",
                relative(&exercise.solution)
            );
            Ok(())
        }
        Verdict::StillBroken(message) => Err(format!(
            "still broken: {message}\n\nhint: {}\n\nEdit {} and run `cargo xtask learn {}` again.",
            exercise.hint,
            relative(file),
            exercise.name
        )
        .into()),
        Verdict::DoesNotCompile(messages) => Err(format!(
            "{} does not compile yet; the compiler says:\n\n{messages}",
            relative(file)
        )
        .into()),
    }
}

/// The rustlings "dev check": every exercise must fail as shipped and every solution pass, so a
/// change to a crate can never leave a reader with an exercise that is already solved or a
/// solution that no longer passes.
fn verify(exercises: &[Exercise]) -> Result {
    if exercises.is_empty() {
        return Err("no crate has a [package.metadata.learn] table".into());
    }
    let mut problems = Vec::new();
    for exercise in exercises {
        match judge(exercise, &exercise.exercise)? {
            Verdict::StillBroken(message) => println!(
                "{}: exercise fails as shipped: {}",
                exercise.name,
                message.lines().next().unwrap_or_default()
            ),
            other => problems.push(format!(
                "{}: the shipped exercise {} should fail the checker, but: {other:?}",
                exercise.name,
                relative(&exercise.exercise)
            )),
        }
        match judge(exercise, &exercise.solution)? {
            Verdict::Correct => println!("{}: solution passes", exercise.name),
            other => problems.push(format!(
                "{}: the solution {} should pass the checker, but: {other:?}",
                exercise.name,
                relative(&exercise.solution)
            )),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n").into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_learn_table_and_skips_other_packages() {
        let json = r#"{"packages":[
            {"name":"support","manifest_path":"/r/exercises/support/Cargo.toml","metadata":null},
            {"name":"counter","manifest_path":"/r/exercises/counter/Cargo.toml",
             "metadata":{"learn":{"exercise":"src/broken.rs","solution":"src/fixed.rs","hint":"h"}}}
        ]}"#;
        let found = parse_metadata(&serde_json::from_str(json).unwrap()).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "counter");
        assert_eq!(
            found[0].exercise,
            Path::new("/r/exercises/counter/src/broken.rs")
        );
        assert_eq!(
            found[0].attempt(),
            Path::new("/r/exercises/counter/attempt.rs")
        );
    }

    #[test]
    fn a_learn_table_without_a_solution_is_an_error() {
        let json = r#"{"packages":[{"name":"c","manifest_path":"/c/Cargo.toml",
            "metadata":{"learn":{"exercise":"e.rs","hint":"h"}}}]}"#;
        let error = parse_metadata(&serde_json::from_str(json).unwrap())
            .unwrap_err()
            .to_string();
        assert!(error.contains("needs `solution`"), "{error}");
    }

    #[test]
    fn an_unknown_exercise_lists_the_valid_ones() {
        let json = r#"{"packages":[{"name":"counter","manifest_path":"/c/Cargo.toml",
            "metadata":{"learn":{"exercise":"e.rs","solution":"s.rs","hint":"h"}}}]}"#;
        let exercises = parse_metadata(&serde_json::from_str(json).unwrap()).unwrap();
        let error = find(&exercises, "conter").unwrap_err().to_string();
        assert!(error.contains("no exercise `conter`"), "{error}");
        assert!(error.contains("The exercises are: counter"), "{error}");
    }

    #[test]
    fn the_failure_message_drops_the_backtrace() {
        let stdout = "---- learner_attempt stdout ----\n\nthread 'learner_attempt' (1) panicked \
            at exercises/counter/src/check.rs:33:13:\nassertion `left == right` failed: lost \
            update: the counter reads 1\n  left: 1\n right: 2\nstack backtrace:\n   0: x\n";
        assert_eq!(
            failure_message(stdout).unwrap(),
            "lost update: the counter reads 1\n  left: 1\n right: 2"
        );
    }

    #[test]
    fn std_atomics_are_refused_with_the_reason() {
        let problem = unseen_by_loom("use std::sync::atomic::AtomicU64;").unwrap();
        assert!(problem.contains("support::sync::atomic"), "{problem}");
        assert_eq!(
            unseen_by_loom("use support::sync::atomic::AtomicU64;"),
            None
        );
    }

    #[test]
    fn compiler_messages_start_at_the_first_error() {
        let stderr =
            "   Compiling counter v0.1.0\nerror[E0425]: cannot find value `x`\n  --> a.rs:1:1\n";
        assert_eq!(
            compiler_messages(stderr),
            "error[E0425]: cannot find value `x`\n  --> a.rs:1:1"
        );
    }
}
