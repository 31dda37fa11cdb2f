//! `model --graph DIR [--state STATE]`: every consistent execution as an SVG file.

use super::{from_execution, render};
use crate::program::Program;
use crate::verdict::{Consistent, Model, State, consistent_executions};
use std::collections::BTreeSet;
use std::path::Path;

/// Writes every consistent execution of `program` under `model` (only those ending in
/// `state`, if given, written as the report prints states: `0:r0=0; 1:r0=0;`) as an SVG file
/// into `dir`, which is created if missing; returns how many. The files are named by
/// [`file_name`].
pub fn write_all(
    program: &Program,
    model: Model,
    state: Option<&str>,
    dir: &Path,
) -> Result<usize, String> {
    let found = consistent_executions(&program.name, program, model).map_err(|e| e.to_string())?;
    let chosen = select(&found, state)?;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for &(s, e, execution) in &chosen {
        let mut graph = from_execution(program, model, execution);
        graph.title = format!("{} (execution {e} of state {s})", graph.title);
        let path = dir.join(file_name(&program.name, s, e));
        std::fs::write(&path, render(&graph))
            .map_err(|err| format!("cannot write {}: {err}", path.display()))?;
    }
    Ok(chosen.len())
}

/// The executions to draw, each with its state's number (the states counted from 1 in the
/// order the report lists them) and its own number among that state's executions (from 1,
/// in the order the checker finds them). With `state`, only that state's; a state no
/// execution ends in is an error that lists the states there are.
pub fn select<'a>(
    found: &'a [Consistent],
    state: Option<&str>,
) -> Result<Vec<(usize, usize, &'a Consistent)>, String> {
    let states: Vec<&State> = found
        .iter()
        .map(|c| &c.state)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if let Some(wanted) = state
        && !states.iter().any(|s| same_state(&s.to_string(), wanted))
    {
        let listed: Vec<String> = states.iter().map(|s| format!("  {s}")).collect();
        return Err(format!(
            "no consistent execution ends in `{wanted}`; the states are:\n{}",
            listed.join("\n")
        ));
    }
    let mut chosen = Vec::new();
    for (index, s) in states.iter().enumerate() {
        if state.is_some_and(|wanted| !same_state(&s.to_string(), wanted)) {
            continue;
        }
        let of_state = found.iter().filter(|c| &c.state == *s);
        for (e, execution) in of_state.enumerate() {
            chosen.push((index + 1, e + 1, execution));
        }
    }
    Ok(chosen)
}

/// Two states written alike, spacing and the last `;` aside.
fn same_state(a: &str, b: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(';')
            .map(|part| part.split_whitespace().collect::<String>())
            .filter(|part| !part.is_empty())
            .collect()
    };
    words(a) == words(b)
}

/// `NAME-S-E.svg`: the test's name (characters other than letters, digits, `+`, `-`, `_`
/// and `.` made `_`), the state's number and the execution's, as [`select`] counts them.
pub fn file_name(name: &str, state: usize, execution: usize) -> String {
    let name: String = name
        .chars()
        .map(|c| match c {
            c if c.is_ascii_alphanumeric() || "+-_.".contains(c) => c,
            _ => '_',
        })
        .collect();
    format!("{name}-{state}-{execution}.svg")
}
