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
//!
//! A crate whose `[package.metadata.audit]` has an `exercise` table also offers a "pick the
//! orderings" exercise, `<crate>-orderings`: its starting file is made from the solution with
//! every ordering set to SeqCst (see `audit::sites::orderings_exercise`), its attempt is
//! `exercises/<crate>/attempt-orderings.rs`, and it is solved when the checker passes *and* the
//! audit grades every ordering minimal. Solved exercises are recorded in `.learn-progress`
//! (git ignores it) for `cargo xtask learn --progress`.

use crate::util::{Result, capture, cargo_metadata, cmd, describe, relative, root, step};
use anyhow::anyhow;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

const USAGE: &str = "\
cargo xtask learn                      list the exercises
cargo xtask learn <exercise>           check your attempt (made from the exercise on first use)
cargo xtask learn <exercise> --reset   start again from the exercise (asks first)
cargo xtask learn <exercise> --attempt <file>   check another file instead
cargo xtask learn --progress           which exercises you have solved
cargo xtask learn --verify             every exercise fails as shipped; every solution passes";

/// One exercise, as its crate's `[package.metadata.learn]` (or audit `exercise`) table
/// describes it.
#[derive(Debug)]
pub struct Exercise {
    pub name: String,
    /// The crate whose checker judges it.
    pub package: String,
    pub dir: PathBuf,
    /// The starting file: the broken code for a fix, the solution (to be made all-SeqCst)
    /// for a "pick the orderings" exercise.
    pub exercise: PathBuf,
    pub solution: PathBuf,
    pub hint: String,
    pub kind: Kind,
}

/// What the reader is asked to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Fix the broken code: solved when the checker passes.
    Fix,
    /// Weaken every ordering as far as it goes: solved when the checker passes and the audit
    /// grades every ordering minimal.
    Orderings,
}

impl Exercise {
    /// The reader's own copy.
    pub fn attempt(&self) -> PathBuf {
        match self.kind {
            Kind::Fix => self.dir.join("attempt.rs"),
            Kind::Orderings => self.dir.join("attempt-orderings.rs"),
        }
    }

    /// What the reader starts from.
    fn starting_text(&self) -> Result<String> {
        let source = std::fs::read_to_string(&self.exercise)?;
        match self.kind {
            Kind::Fix => Ok(source),
            Kind::Orderings => Ok(crate::tasks::audit::sites::orderings_exercise(
                &source, &self.name,
            )
            .map_err(|e| anyhow!("{}: {e}", relative(&self.exercise)))?),
        }
    }

    fn starting_point(&self) -> &'static str {
        match self.kind {
            Kind::Fix => "the broken code",
            Kind::Orderings => "the solution with every ordering set to SeqCst",
        }
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
        (Some("--progress"), None, ..) => {
            progress(&exercises);
            Ok(())
        }
        (Some(name), None, ..) => check_attempt(find(&exercises, name)?),
        (Some(name), Some("--reset"), None, ..) => reset(find(&exercises, name)?),
        (Some(name), Some("--attempt"), Some(file), None) => {
            let exercise = find(&exercises, name)?;
            let file = std::env::current_dir()?.join(file);
            report(exercise, &file, &judge(exercise, &file)?)
        }
        _ => Err(anyhow!("usage:\n{USAGE}")),
    }
}

/// Every crate with a `[package.metadata.learn]` table, by package name.
pub fn exercises() -> Result<Vec<Exercise>> {
    parse_metadata(&cargo_metadata()?)
}

fn parse_metadata(metadata: &serde_json::Value) -> Result<Vec<Exercise>> {
    let mut found = Vec::new();
    for package in metadata["packages"].as_array().into_iter().flatten() {
        let name = package["name"].as_str().unwrap_or_default().to_owned();
        let manifest = PathBuf::from(package["manifest_path"].as_str().unwrap_or_default());
        let dir = manifest.parent().unwrap_or(Path::new(".")).to_path_buf();
        let learn = &package["metadata"]["learn"];
        if !learn.is_null() {
            let field = |key: &str| {
                learn[key]
                    .as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| anyhow!("{name}: [package.metadata.learn] needs `{key}`"))
            };
            found.push(Exercise {
                exercise: dir.join(field("exercise")?),
                solution: dir.join(field("solution")?),
                hint: field("hint")?,
                dir: dir.clone(),
                package: name.clone(),
                name: name.clone(),
                kind: Kind::Fix,
            });
        }
        let orderings = &package["metadata"]["audit"]["exercise"];
        if !orderings.is_null() {
            let solution = orderings["solution"]
                .as_str()
                .ok_or_else(|| {
                    format!("{name}: [package.metadata.audit.exercise] needs `solution`")
                })
                .map_err(anyhow::Error::msg)?;
            found.push(Exercise {
                exercise: dir.join(solution),
                solution: dir.join(solution),
                hint: orderings["hint"]
                    .as_str()
                    .unwrap_or(ORDERINGS_HINT)
                    .to_owned(),
                dir,
                package: name.clone(),
                name: format!("{name}-orderings"),
                kind: Kind::Orderings,
            });
        }
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(found)
}

/// The hint of a "pick the orderings" exercise whose crate gives none.
const ORDERINGS_HINT: &str = "For each access, ask what it hands over. A store that publishes \
    writes made before it needs Release; a load after which this thread reads what another \
    thread published needs Acquire; an access that only watches a value, or counts, needs \
    Relaxed. Weaken one ordering at a time and run the checker after each.";

pub fn find<'a>(exercises: &'a [Exercise], name: &str) -> Result<&'a Exercise> {
    exercises.iter().find(|e| e.name == name).ok_or_else(|| {
        let names: Vec<&str> = exercises.iter().map(|e| e.name.as_str()).collect();
        anyhow!(
            "there is no exercise `{name}`. The exercises are: {}",
            names.join(", ")
        )
    })
}

fn list(exercises: &[Exercise]) {
    println!("Exercises (run `cargo xtask learn <exercise>`):");
    let solved = Progress::load();
    for exercise in exercises {
        let state = match solved.state(exercise) {
            State::NotStarted => "not started".to_owned(),
            State::Solved => format!("solved: {}", relative(&exercise.attempt())),
            State::Started | State::EditedSinceSolved => {
                format!("your attempt: {}", relative(&exercise.attempt()))
            }
        };
        println!("  {:<20} {state}", exercise.name);
    }
}

/// `cargo xtask learn --progress`: like rustlings, what is solved and what is left.
fn progress(exercises: &[Exercise]) {
    let solved = Progress::load();
    let mut done = 0;
    for exercise in exercises {
        let state = solved.state(exercise);
        let mark = match state {
            State::Solved => {
                done += 1;
                "[x]"
            }
            State::EditedSinceSolved => "[~]",
            State::Started | State::NotStarted => "[ ]",
        };
        let note = match state {
            State::Solved => "solved",
            State::EditedSinceSolved => "solved, then edited: run it again",
            State::Started => "started",
            State::NotStarted => "not started",
        };
        println!("  {mark} {:<20} {note}", exercise.name);
    }
    let width: usize = 30;
    let filled = (done * width).checked_div(exercises.len()).unwrap_or(0);
    println!(
        "\n  [{}{}] {done}/{} exercises solved",
        "#".repeat(filled),
        "-".repeat(width - filled),
        exercises.len()
    );
}

/// Where an exercise stands for this reader.
#[derive(Debug, PartialEq, Eq)]
enum State {
    NotStarted,
    Started,
    Solved,
    /// Solved once, and the attempt has changed since.
    EditedSinceSolved,
}

/// The exercises the reader has solved: `.learn-progress` at the repository root (ignored by
/// git), one `name hash` line each, the hash being that of the attempt that passed.
#[derive(Debug, Default)]
struct Progress {
    solved: Vec<(String, u64)>,
}

impl Progress {
    fn path() -> PathBuf {
        root().join(".learn-progress")
    }

    fn load() -> Progress {
        Progress::parse(&std::fs::read_to_string(Progress::path()).unwrap_or_default())
    }

    fn parse(text: &str) -> Progress {
        let solved = text
            .lines()
            .filter_map(|line| {
                let (name, hash) = line.split_once(' ')?;
                Some((name.to_owned(), u64::from_str_radix(hash.trim(), 16).ok()?))
            })
            .collect();
        Progress { solved }
    }

    fn state(&self, exercise: &Exercise) -> State {
        let Ok(attempt) = std::fs::read(exercise.attempt()) else {
            return State::NotStarted;
        };
        match self.solved.iter().find(|(name, _)| *name == exercise.name) {
            Some((_, hash)) if *hash == fingerprint(&attempt) => State::Solved,
            Some(_) => State::EditedSinceSolved,
            None => State::Started,
        }
    }

    /// Records `exercise` as solved by the attempt as it is now.
    fn record(exercise: &Exercise, attempt: &Path) -> Result {
        let mut progress = Progress::load();
        progress.solved.retain(|(name, _)| *name != exercise.name);
        progress
            .solved
            .push((exercise.name.clone(), fingerprint(&std::fs::read(attempt)?)));
        progress.solved.sort();
        let text: String = progress
            .solved
            .iter()
            .map(|(name, hash)| format!("{name} {hash:016x}\n"))
            .collect();
        std::fs::write(Progress::path(), text)?;
        Ok(())
    }
}

/// FNV-1a: enough to notice that a file changed, with no dependency.
fn fingerprint(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn check_attempt(exercise: &Exercise) -> Result {
    let attempt = exercise.attempt();
    if !attempt.exists() {
        std::fs::write(&attempt, exercise.starting_text()?)?;
        let task = match exercise.kind {
            Kind::Fix => "Fix it",
            Kind::Orderings => "Weaken its orderings",
        };
        println!(
            "Created {} from {}.\n\
             It is yours: git ignores it and this command never overwrites it.\n\
             {task}, then run `cargo xtask learn {}` again.",
            relative(&attempt),
            exercise.starting_point(),
            exercise.name
        );
    }
    report(exercise, &attempt, &judge(exercise, &attempt)?)
}

fn reset(exercise: &Exercise) -> Result {
    let attempt = exercise.attempt();
    if attempt.exists() {
        let question = format!(
            "Overwrite {} with {}? Your edits will be lost. [y/N] ",
            relative(&attempt),
            exercise.starting_point()
        );
        if !confirm(&question)? {
            println!("Left {} as it was.", relative(&attempt));
            return Ok(());
        }
    }
    std::fs::write(&attempt, exercise.starting_text()?)?;
    println!(
        "{} now holds {} again.",
        relative(&attempt),
        exercise.starting_point()
    );
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
        return Err(anyhow!("{} does not exist", file.display()));
    }
    let source = std::fs::read_to_string(file)?;
    if let Some(problem) = unseen_by_loom(&source) {
        return Ok(Verdict::StillBroken(problem));
    }
    let test = |no_run: bool| {
        let mut command = cmd("cargo");
        command
            .args(["test", "--release", "-p", &exercise.package])
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
        exercise.package
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
            Err(anyhow!(
                "`{}` ran no `learner_attempt` test; does the crate define one under \
                 cfg(learner)?\n{stdout}",
                describe(&command)
            ))
        }
    } else {
        Ok(Verdict::StillBroken(
            failure_message(&stdout).unwrap_or_else(|| stdout.into_owned()),
        ))
    }
}

/// loom can only judge atomics it provides; std's are invisible to it.
pub fn unseen_by_loom(source: &str) -> Option<String> {
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
pub fn failure_message(stdout: &str) -> Option<String> {
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
        Verdict::Correct if exercise.kind == Kind::Orderings => {
            let grade = crate::tasks::audit::grade(&exercise.package, file)?;
            println!(
                "\nThe checker passes. Each ordering, weakened alone:\n{}",
                grade.report
            );
            if grade.minimal {
                record_if_attempt(exercise, file)?;
                println!(
                    "solved: every ordering is the weakest the checker accepts — compare with \
                     the solution: {}",
                    relative(&exercise.solution)
                );
                Ok(())
            } else {
                Err(anyhow!(
                    "correct, but {} ordering(s) are stronger than the checker needs (above). \
                     Weaken them and run `cargo xtask learn {}` again.\n\nhint: {}",
                    grade.too_strong.max(1),
                    exercise.name,
                    exercise.hint
                ))
            }
        }
        Verdict::Correct => {
            record_if_attempt(exercise, file)?;
            println!(
                "\ncorrect — compare with the solution: {}",
                relative(&exercise.solution)
            );
            // The fix passes; how do its orderings compare with the weakest that work?
            if crate::tasks::audit::crates()?
                .iter()
                .any(|c| c.name == exercise.package)
            {
                let grade = crate::tasks::audit::grade(&exercise.package, file)?;
                println!("\nYour orderings, each weakened alone:\n{}", grade.report);
                if !grade.minimal {
                    println!(
                        "Solved, and some orderings are stronger than the checker needs: try \
                         `cargo xtask learn {}-orderings` next.",
                        exercise.package
                    );
                }
            }
            Ok(())
        }
        Verdict::StillBroken(message) => Err(anyhow!(
            "{}: {message}\n\nhint: {}\n\nEdit {} and run `cargo xtask learn {}` again.",
            match exercise.kind {
                Kind::Fix => "still broken",
                Kind::Orderings => "broken (an ordering is too weak)",
            },
            exercise.hint,
            relative(file),
            exercise.name
        )),
        Verdict::DoesNotCompile(messages) => Err(anyhow!(
            "{} does not compile yet; the compiler says:\n\n{messages}",
            relative(file)
        )),
    }
}

/// Marks the exercise solved, if `file` is the reader's own attempt (not `--attempt <file>`).
fn record_if_attempt(exercise: &Exercise, file: &Path) -> Result {
    if file == exercise.attempt() {
        Progress::record(exercise, file)?;
    }
    Ok(())
}

/// The rustlings "dev check": every exercise must fail as shipped and every solution pass, so a
/// change to a crate can never leave a reader with an exercise that is already solved or a
/// solution that no longer passes. A "pick the orderings" exercise passes the checker as
/// shipped but must not be graded minimal, and its solution must be.
fn verify(exercises: &[Exercise]) -> Result {
    if exercises.is_empty() {
        return Err(anyhow!("no crate has a [package.metadata.learn] table"));
    }
    let mut problems = Vec::new();
    for exercise in exercises {
        if exercise.kind == Kind::Orderings {
            problems.extend(verify_orderings(exercise)?);
            continue;
        }
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
        Err(anyhow::Error::msg(problems.join("\n")))
    }
}

/// The shipped "pick the orderings" file passes the checker and is not minimal; the solution
/// passes and is minimal. (The audit's first run is the checker on the file as written, so no
/// separate `judge` build is needed.)
fn verify_orderings(exercise: &Exercise) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    let shipped = root()
        .join("target/audit/exercises")
        .join(format!("{}.rs", exercise.name));
    std::fs::create_dir_all(shipped.parent().expect("a parent"))?;
    std::fs::write(&shipped, exercise.starting_text()?)?;
    let grade = crate::tasks::audit::grade(&exercise.package, &shipped)?;
    if !grade.passes {
        problems.push(format!(
            "{}: the all-SeqCst file should pass the checker, but:\n{}",
            exercise.name, grade.report
        ));
    } else if grade.too_strong == 0 {
        problems.push(format!(
            "{}: as shipped, the audit finds nothing to weaken:\n{}",
            exercise.name, grade.report
        ));
    } else {
        println!(
            "{}: as shipped, passes and has {} ordering(s) to weaken",
            exercise.name, grade.too_strong
        );
    }
    let grade = crate::tasks::audit::grade(&exercise.package, &exercise.solution)?;
    if grade.passes && grade.minimal {
        println!("{}: the solution is graded minimal", exercise.name);
    } else {
        problems.push(format!(
            "{}: the solution {} should pass and be graded minimal, but:\n{}",
            exercise.name,
            relative(&exercise.solution),
            grade.report
        ));
    }
    Ok(problems)
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
    fn an_audit_exercise_table_adds_a_pick_the_orderings_exercise() {
        let json = r#"{"packages":[
            {"name":"spinlock","manifest_path":"/r/exercises/spinlock/Cargo.toml",
             "metadata":{"learn":{"exercise":"src/broken.rs","solution":"src/fixed.rs","hint":"h"},
                         "audit":{"files":["src/fixed.rs"],"checker":"loom",
                                  "exercise":{"solution":"src/fixed.rs"}}}}
        ]}"#;
        let found = parse_metadata(&serde_json::from_str(json).unwrap()).unwrap();
        let names: Vec<&str> = found.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["spinlock", "spinlock-orderings"]);
        let orderings = &found[1];
        assert_eq!(orderings.kind, Kind::Orderings);
        assert_eq!(orderings.package, "spinlock");
        // Its own attempt file: never the fix exercise's.
        assert_eq!(
            orderings.attempt(),
            Path::new("/r/exercises/spinlock/attempt-orderings.rs")
        );
        assert_eq!(
            found[0].attempt(),
            Path::new("/r/exercises/spinlock/attempt.rs")
        );
        assert_eq!(orderings.hint, ORDERINGS_HINT);
    }

    #[test]
    fn progress_is_solved_only_for_the_attempt_that_passed() {
        let progress = Progress::parse("a 00000000000000ff\nbroken line\n");
        assert_eq!(progress.solved, [("a".to_owned(), 0xff)]);
        assert_ne!(fingerprint(b"x"), fingerprint(b"y"));
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
