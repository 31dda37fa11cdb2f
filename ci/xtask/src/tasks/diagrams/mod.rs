//! `cargo xtask diagrams [--check]`: happens-before graphs, drawn from small spec files and
//! checked against the model.
//!
//! Each `src/diagrams/hb/<name>.hb` describes one execution of one program: threads (one
//! column each), the events on each thread (program order runs down the column) and the
//! edges between them. This task writes `src/diagrams/hb/<name>.svg` next to it, drawn by the
//! checker's renderer ([`model::graph`]). The output depends only on the spec, so `--check`
//! can tell whether a committed SVG is stale. The format, one statement a line (`#` starts a
//! comment; text with spaces goes in double quotes):
//!
//! ```text
//! title   "Message passing with Release and Acquire"
//! desc    "What a screen reader says: every event and edge, in words."
//! program "../../../exercises/happens-before/litmus/release-acquire.litmus"
//! thread  s "thread 1 (sender)"            # id, heading; columns in this order
//! event   w  s 0 "payload = 42" = 0.0      # id, thread, row (0 is the top), label,
//! event   st s 1 "ready.store(true, Release)" = sender.1   # and the event it draws
//! edge    sw st ld                         # kind, from, to [, label] [, at=0.3] [, bend=40]
//! note    "A sentence printed under the legend."
//! ```
//!
//! Sequenced-before edges are drawn between consecutive events of a thread without being
//! written. The other kinds: `rf` (reads-from), `mo` (modification order), `rb`
//! (reads-before), `sw` (synchronizes-with), `hb` (a happens-before edge that follows from the
//! others) and `nohb` (two accesses that no happens-before path orders: the missing edge of a
//! data race). Each has its own colour and dash pattern, and the legend lists the kinds the
//! graph uses.
//!
//! Every graph names the program it draws: `program` is a Rust-flavoured litmus file,
//! relative to the spec, and each event's `= T.K` names the model event its box draws
//! (thread T, by name or index; its K-th event from 0, a read-modify-write counting once) or
//! `= T.end`, the end of thread T. The task fails unless some consistent execution of the
//! program under C++20 has every drawn edge and the values the labels state
//! ([`check`] says exactly what is checked).

mod check;
mod spec;

use crate::generated::{Mode, all_fresh, header, write_or_check};
use crate::util::{Result, anyhow, files_under, relative, root, step};
use std::path::{Path, PathBuf};

/// `cargo xtask diagrams` regenerates every SVG; `--check` only reports stale ones. Both
/// check every graph against the model.
pub fn run(flags: crate::flags::Generate) -> Result {
    let mode = Mode::from_flag(flags.check);
    let dir = root().join("src/diagrams/hb");
    let specs = spec_files(&dir)?;
    if specs.is_empty() {
        return Err(anyhow!("no .hb graph specs in {}", relative(&dir)));
    }
    let mut stale = Vec::new();
    let mut refuted = Vec::new();
    for spec_path in &specs {
        let text = std::fs::read_to_string(spec_path)?;
        let spec = spec::parse(&text).map_err(|e| anyhow!("{}:{e}", relative(spec_path)))?;
        if let Err(message) = against_model(&spec, spec_path) {
            refuted.push(message);
        }
        // The header comment goes before the root element: XML allows comments there, and
        // an SVG shown with `<img>` ignores it.
        let svg = header("diagrams") + &model::graph::render(&spec.graph);
        stale.extend(write_or_check(
            mode,
            &spec_path.with_extension("svg"),
            &svg,
        )?);
    }
    let orphans = orphan_svgs(&dir, &specs)?;
    if !orphans.is_empty() {
        return Err(anyhow!(
            "SVGs in {} without a .hb spec (delete them, or add their spec):\n  {}",
            relative(&dir),
            orphans.join("\n  ")
        ));
    }
    if !refuted.is_empty() {
        return Err(anyhow!(
            "these happens-before graphs do not match the model:\n{}",
            refuted.join("\n")
        ));
    }
    all_fresh(stale)?;
    step(&format!(
        "{} happens-before graphs match their specs and the model",
        specs.len()
    ));
    Ok(())
}

/// Reads the program `spec` names and checks the graph against its executions.
fn against_model(spec: &spec::Spec, spec_path: &Path) -> std::result::Result<(), String> {
    let name = relative(spec_path);
    let Some((program, line)) = &spec.program else {
        return Err(format!(
            "{name}: every graph names the program it draws: add `program \"PATH.litmus\"` \
             (relative to the spec) and `= T.K` on each event"
        ));
    };
    let path = normalize(&spec_path.parent().unwrap_or(Path::new("")).join(program));
    let litmus = relative(&path);
    let parsed = model::parse_file(&path).map_err(|mut e| {
        e.file = relative(Path::new(&e.file));
        format!("{name}:{line}: {e}")
    })?;
    check::check(spec, &name, &parsed, &litmus)
}

/// `a/b/../c` as `a/c`, for messages.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

fn spec_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut specs = files_under(dir)?;
    specs.retain(|p| p.extension().is_some_and(|e| e == "hb"));
    Ok(specs)
}

fn orphan_svgs(dir: &Path, specs: &[PathBuf]) -> Result<Vec<String>> {
    Ok(files_under(dir)?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .filter(|p| !specs.contains(&p.with_extension("hb")))
        .map(|p| relative(&p))
        .collect())
}

#[cfg(test)]
mod tests;
