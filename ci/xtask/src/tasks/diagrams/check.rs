//! Each graph checked against the model: some consistent execution of the program the graph
//! names, under C++20, has every edge the graph draws.
//!
//! Each box names the model event it draws (`= T.K`: thread T's K-th event in program order,
//! from 0, a read-modify-write's read and write counting as one; `= T.end`: the end of thread
//! T, which the model represents by its last event). An execution *matches* the graph when
//! every box's event exists in it, every box whose label ends in a value (`→ 42`, `= 1`,
//! `→ true`) has that value, each column draws one thread's events in program order, and:
//!
//! - `rf a b`, `mo a b`, `rb a b`: the relation holds between (a half of) a and (a half of) b;
//! - `sw a b`: a synchronizes with b; from a spawn only to the first event of the thread it
//!   starts, and into a join only from the end of the thread it waits for (C++20: thread
//!   creation synchronizes with the start of the new thread, and the thread's completion
//!   with the join returning), drawn as a `T.end` box;
//! - `hb a b`: a happens before b;
//! - `nohb a b`: happens-before orders them neither way.

use super::spec::{At, Draws, Spec};
use model::execution::{Execution, Kind as EventKind};
use model::graph::Kind;
use model::program::{Program, Value};
use model::relation::Rel;
use model::verdict::Consistent;
use model::{Model, consistent_executions};

/// What went wrong, at a line of the spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Miss {
    pub line: usize,
    pub message: String,
}

/// Checks `spec` against `program` (read from `litmus`, named in messages). `Err` is the whole
/// message, each line starting with `spec_name:LINE:`.
pub fn check(spec: &Spec, spec_name: &str, program: &Program, litmus: &str) -> Result<(), String> {
    let at = |miss: &Miss| format!("{spec_name}:{}: {}", miss.line, miss.message);
    let draws = resolve(spec, program).map_err(|miss| at(&miss))?;
    let found = consistent_executions(litmus, program, Model::Cpp20).map_err(|e| e.to_string())?;
    let mut closest: Option<(usize, Vec<Miss>)> = None;
    for (index, execution) in found.iter().enumerate() {
        let misses = misses(spec, &draws, execution);
        if misses.is_empty() {
            return Ok(());
        }
        if closest
            .as_ref()
            .is_none_or(|(_, best)| misses.len() < best.len())
        {
            closest = Some((index, misses));
        }
    }
    let Some((index, misses)) = closest else {
        return Err(format!(
            "{spec_name}: {litmus} has no consistent execution under c++20 to draw"
        ));
    };
    let lines: Vec<String> = misses.iter().map(|m| format!("  {}", at(m))).collect();
    Err(format!(
        "{spec_name}: no consistent execution of {litmus} under c++20 has every edge the graph \
         draws; the closest (execution {} of {}, ending in `{}`) misses:\n{}",
        index + 1,
        found.len(),
        found[index].state,
        lines.join("\n")
    ))
}

/// Each box's thread as an index, once every box says what it draws and each column draws
/// one thread in program order.
fn resolve(spec: &Spec, program: &Program) -> Result<Vec<(usize, At)>, Miss> {
    let mut out = Vec::new();
    for event in &spec.events {
        let miss = |message: String| Miss {
            line: event.line,
            message,
        };
        let Some(Draws { thread, at }) = &event.draws else {
            return Err(miss(format!(
                "event `{}` does not say which event of the program it draws (`= T.K`)",
                event.id
            )));
        };
        let index = program
            .threads
            .iter()
            .position(|t| &t.name == thread)
            .or_else(|| thread.parse().ok().filter(|&t| t < program.threads.len()))
            .ok_or_else(|| {
                let names: Vec<String> = program
                    .threads
                    .iter()
                    .enumerate()
                    .map(|(i, t)| format!("{} ({i})", t.name))
                    .collect();
                miss(format!(
                    "event `{}` draws thread `{thread}`, which the program does not have \
                     (its threads: {})",
                    event.id,
                    names.join(", ")
                ))
            })?;
        out.push((index, *at));
    }
    for column in 0..spec.graph.threads.len() {
        let boxes: Vec<usize> = (0..spec.events.len())
            .filter(|&e| spec.graph.events[e].thread == Some(column))
            .collect();
        for pair in boxes.windows(2) {
            let ((t0, a0), (t1, a1)) = (out[pair[0]], out[pair[1]]);
            let in_order = match (a0, a1) {
                (At::Event(k0), At::Event(k1)) => k0 < k1,
                (At::Event(_), At::End) => true,
                (At::End, _) => false,
            };
            if t0 != t1 || !in_order {
                let event = &spec.events[pair[1]];
                return Err(Miss {
                    line: event.line,
                    message: format!(
                        "event `{}` sits below `{}` in its column, so it must draw a later \
                         event of the same thread (sequenced-before runs down a column)",
                        event.id, spec.events[pair[0]].id
                    ),
                });
            }
        }
    }
    Ok(out)
}

/// Thread `t`'s events in program order, a read-modify-write's two halves as one.
fn units(x: &Execution, rmw: &Rel, t: usize) -> Vec<Vec<usize>> {
    let mut units: Vec<Vec<usize>> = Vec::new();
    for e in (0..x.len()).filter(|&e| x.events[e].thread == Some(t)) {
        match units.last_mut() {
            Some(last) if rmw.contains(last[0], e) => last.push(e),
            _ => units.push(vec![e]),
        }
    }
    units
}

/// How `execution` differs from the graph; empty when it matches.
fn misses(spec: &Spec, draws: &[(usize, At)], found: &Consistent) -> Vec<Miss> {
    let x = &found.execution;
    let rel = &found.relations;
    let threads = x.threads();
    let all: Vec<Vec<Vec<usize>>> = (0..threads).map(|t| units(x, &rel.rmw, t)).collect();
    let mut misses = Vec::new();
    let mut events: Vec<Option<&[usize]>> = Vec::new();
    for (i, &(t, at)) in draws.iter().enumerate() {
        let unit = match at {
            At::Event(k) => all[t].get(k),
            At::End => all[t].last(),
        };
        let event = &spec.events[i];
        match unit {
            None => misses.push(Miss {
                line: event.line,
                message: format!(
                    "event `{}` draws {}, but that thread has {} event(s) in this execution",
                    event.id,
                    event
                        .draws
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default(),
                    all[t].len()
                ),
            }),
            Some(unit) => {
                let last = *unit.last().expect("a unit has an event");
                let label = &spec.graph.events[i].label;
                if let Some(stated) = stated_value(label).filter(|&v| v != x.events[last].value) {
                    misses.push(Miss {
                        line: event.line,
                        message: format!(
                            "event `{}` is drawn as `{label}` (value {stated}), but the model's \
                             event is {}",
                            event.id,
                            x.describe(last)
                        ),
                    });
                }
            }
        }
        events.push(unit.map(Vec::as_slice));
    }
    for (edge, written) in spec.graph.edges.iter().zip(&spec.edges) {
        let (Some(a), Some(b)) = (events[edge.from], events[edge.to]) else {
            continue;
        };
        let is_end = |e: usize| draws[e].1 == At::End;
        let holds = match edge.kind {
            Kind::Rf => any(a, b, &rel.rf),
            Kind::Mo => any(a, b, &rel.mo),
            Kind::Rb => any(a, b, &rel.rb),
            Kind::Sw => sw_holds(x, &rel.sw, (a, b), is_end(edge.from), &all),
            Kind::Hb => any(a, b, &rel.hb),
            Kind::NoHb => !any(a, b, &rel.hb) && !any(b, a, &rel.hb),
            Kind::Sb => true,
        };
        if !holds {
            let name = |e: usize, unit: &[usize]| {
                let shown: Vec<String> = unit.iter().map(|&u| x.describe(u)).collect();
                format!("`{}` ({})", spec.events[e].id, shown.join(" + "))
            };
            misses.push(Miss {
                line: written.line,
                message: format!(
                    "`{}` does not hold: {} {} {}",
                    written.text,
                    name(edge.from, a),
                    negated(edge.kind),
                    name(edge.to, b)
                ),
            });
        }
    }
    misses
}

fn any(a: &[usize], b: &[usize], rel: &Rel) -> bool {
    a.iter().any(|&x| b.iter().any(|&y| rel.contains(x, y)))
}

/// Synchronizes-with as C++20 states it for threads: a spawn with the first event of the
/// thread it starts, the end of a thread with the join that waits for it. Between other
/// events, the model's sw.
fn sw_holds(
    x: &Execution,
    sw: &Rel,
    (a, b): (&[usize], &[usize]),
    from_end: bool,
    all: &[Vec<Vec<usize>>],
) -> bool {
    let kind = |unit: &[usize]| x.events[unit[0]].kind;
    match (kind(a), kind(b)) {
        (EventKind::Spawn(t), _) => all
            .get(t)
            .and_then(|units| units.first())
            .is_some_and(|first| first.as_slice() == b),
        (_, EventKind::Join(t)) => {
            from_end
                && all
                    .get(t)
                    .and_then(|units| units.last())
                    .is_some_and(|last| last.as_slice() == a)
        }
        _ => any(a, b, sw),
    }
}

/// "does not …" for an edge that does not hold.
fn negated(kind: Kind) -> &'static str {
    match kind {
        Kind::Rf => "is not read by",
        Kind::Mo => "does not precede in modification order",
        Kind::Rb => "does not read a value overwritten by",
        Kind::Sw => "does not synchronize with",
        Kind::Hb => "does not happen before",
        Kind::NoHb => "is ordered by happens-before with",
        Kind::Sb => "is not sequenced before",
    }
}

/// The value a label ends in, if it states one: what follows its last `→` or `=`, less a
/// trailing remark in parentheses, when that is a number or `true`/`false` (1 and 0).
pub fn stated_value(label: &str) -> Option<Value> {
    let cut = label.rfind(['→', '='])?;
    let tail = &label[cut..];
    let tail = tail[tail.chars().next()?.len_utf8()..].trim();
    let tail = match tail.find(" (") {
        Some(paren) if tail.ends_with(')') => tail[..paren].trim(),
        _ => tail,
    };
    match tail {
        "true" => Some(1),
        "false" => Some(0),
        number => number.parse().ok(),
    }
}
