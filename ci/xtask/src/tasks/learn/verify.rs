//! `cargo xtask learn --verify`: the exercises checked as CI checks them.

use super::attempt::starting_text;
use crate::checker::{Exercise, Kind, Verdict, judge};
use crate::util::{Result, anyhow, relative, root};

/// The rustlings "dev check": every exercise must fail as shipped and every solution pass, so a
/// change to a crate can never leave a reader with an exercise that is already solved or a
/// solution that no longer passes. A "pick the orderings" exercise passes the checker as
/// shipped but must not be graded minimal, and its solution must be.
pub fn verify(exercises: &[Exercise]) -> Result {
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
    std::fs::write(&shipped, starting_text(exercise)?)?;
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
