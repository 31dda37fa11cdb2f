//! Checks both formats share: orderings an access may not have, and what the whole program
//! must satisfy once parsed (thread count, distinct names, a condition that names only
//! threads, registers and locations that exist).

use crate::error::{Error, Span};
use crate::program::{Program, Thread, Var};
use std::collections::BTreeSet;

/// The kind of operation an ordering is given to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Load,
    Store,
    /// The second ordering of a compare-exchange: the load it does when it fails.
    CasFailure,
    Fence,
}

/// Why `mode` is not allowed on `access`, in Rust's words (its `atomic` functions panic with
/// these messages), or `None` if it is allowed. C leaves the same combinations undefined,
/// except a relaxed fence, which C defines to do nothing.
pub fn forbidden(access: Access, mode: crate::program::Mode) -> Option<&'static str> {
    use crate::program::Mode::*;
    Some(match (access, mode) {
        (Access::Load, Release) => "there is no such thing as a release load",
        (Access::Load, AcqRel) => "there is no such thing as an acquire-release load",
        (Access::Store, Acquire) => "there is no such thing as an acquire store",
        (Access::Store, AcqRel) => "there is no such thing as an acquire-release store",
        (Access::CasFailure, Release) => "there is no such thing as a release failure ordering",
        (Access::CasFailure, AcqRel) => {
            "there is no such thing as an acquire-release failure ordering"
        }
        (Access::Fence, Relaxed) => "there is no such thing as a relaxed fence",
        _ => return None,
    })
}

/// The full message for an ordering written `written` that [`forbidden`] rejects.
pub fn forbidden_message(access: Access, written: &str, reason: &str) -> String {
    let what = match access {
        Access::Load => "a load",
        Access::Store => "a store",
        Access::CasFailure => "the failure ordering of a compare-exchange",
        Access::Fence => "a fence",
    };
    let c = if access == Access::Fence {
        "in C it does nothing"
    } else {
        "C leaves it undefined"
    };
    format!("{written} is not allowed on {what}: {reason} (Rust panics; {c})")
}

/// Where the parser found the things these checks report on.
pub struct Places {
    /// Each thread's name, in order.
    pub threads: Vec<Span>,
    /// Each variable the condition and the observed list name.
    pub vars: Vec<(Var, Span)>,
    /// Where a thread was expected when there is none.
    pub end: Span,
}

/// The program-wide checks, each failing at the place it concerns.
pub fn program(file: &str, program: &Program, places: &Places) -> Result<(), Error> {
    let error = |span, message: String| Error::new(file, span, message);
    if program.threads.is_empty() {
        return Err(error(
            places.end,
            "expected a thread: a litmus test needs at least one".to_owned(),
        ));
    }
    if let Some(span) = places.threads.get(crate::MAX_THREADS) {
        return Err(error(
            *span,
            format!(
                "too many threads: the checker takes at most {}",
                crate::MAX_THREADS
            ),
        ));
    }
    for (i, thread) in program.threads.iter().enumerate() {
        if program.threads[..i].iter().any(|t| t.name == thread.name) {
            let span = places.threads.get(i).copied().unwrap_or_default();
            return Err(error(
                span,
                format!("a second thread named `{}`", thread.name),
            ));
        }
    }
    let locations = locations(program);
    for (var, span) in &places.vars {
        match var {
            Var::Loc(loc) if !locations.contains(loc) => {
                return Err(error(
                    *span,
                    format!(
                        "unknown location `{loc}`: no thread accesses it and init does not name \
                         it (locations: {})",
                        list(locations.iter())
                    ),
                ));
            }
            Var::Reg { thread, reg } => {
                let Some(t) = program.threads.get(*thread) else {
                    return Err(error(
                        *span,
                        format!(
                            "unknown thread {thread} (threads: {})",
                            thread_list(program)
                        ),
                    ));
                };
                let registers = registers(t);
                if !registers.contains(reg) {
                    return Err(error(
                        *span,
                        format!(
                            "thread {} never assigns a register `{reg}` (its registers: {})",
                            t.name,
                            list(registers.iter())
                        ),
                    ));
                }
            }
            Var::Loc(_) => {}
        }
    }
    Ok(())
}

/// `a, b, c`, or `none`.
pub fn list<'a>(names: impl Iterator<Item = &'a String>) -> String {
    let names: Vec<&str> = names.map(String::as_str).collect();
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(", ")
    }
}

/// The threads' names, with their indices where they differ: `a (0), b (1)`.
pub fn thread_list(program: &Program) -> String {
    let names: Vec<String> = program
        .threads
        .iter()
        .enumerate()
        .map(|(i, t)| {
            if t.name == i.to_string() {
                t.name.clone()
            } else {
                format!("{} ({i})", t.name)
            }
        })
        .collect();
    names.join(", ")
}

/// Every register a thread assigns, leaving out the parser's own temporaries.
pub fn registers(thread: &Thread) -> BTreeSet<String> {
    thread.registers()
}

/// Every location a thread accesses or init names.
pub fn locations(program: &Program) -> BTreeSet<String> {
    program.locations()
}
