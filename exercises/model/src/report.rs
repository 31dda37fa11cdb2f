//! The verdict as herd7 prints it, so the two can be diffed line by line, followed by what
//! herd7 does not say: the model, the execution counts, which states need weak memory or a
//! load-buffering cycle, and the data races.

use crate::program::{Condition, Prop, Quantifier, Var};
use crate::verdict::Verdict;
use std::fmt::{self, Write};

/// The full report for one test.
pub fn render(verdict: &Verdict, condition: Option<&Condition>) -> String {
    let mut out = String::new();
    let kind = match verdict.quantifier {
        Some(Quantifier::Forall) => "Required",
        _ => "Allowed",
    };
    let name = &verdict.name;
    let _ = writeln!(out, "Test {name} {kind}");
    let _ = writeln!(out, "States {}", verdict.states.len());
    for state in verdict.states.keys() {
        let _ = writeln!(out, "{state}");
    }
    let _ = writeln!(out, "{}", if verdict.ok() { "Ok" } else { "No" });
    let _ = writeln!(out, "Witnesses");
    let _ = writeln!(
        out,
        "Positive: {} Negative: {}",
        verdict.positive, verdict.negative
    );
    if let Some(condition) = condition {
        let _ = writeln!(out, "Condition {}", CondText(condition));
    }
    let _ = writeln!(
        out,
        "Observation {name} {} {} {}",
        verdict.observation(),
        verdict.positive,
        verdict.negative
    );
    let _ = writeln!(out, "Model {}", verdict.model);
    let _ = writeln!(
        out,
        "Executions {} candidates, {} consistent{}",
        verdict.candidates,
        verdict.consistent,
        match verdict.undetermined {
            0 => String::new(),
            n => format!(", {n} reads-from choices with out-of-thin-air values left out"),
        }
    );
    for (state, info) in &verdict.states {
        if !info.under_sc {
            let shape = if info.thin_air {
                " (load buffering: a cycle in sb ∪ rf, which rc11 forbids)"
            } else {
                ""
            };
            let _ = writeln!(out, "Weak {state}{shape}");
        }
    }
    for race in &verdict.races {
        let _ = writeln!(out, "Race {race}");
    }
    if !verdict.races.is_empty() {
        let _ = writeln!(
            out,
            "Undefined a data race: the program's behaviour is undefined, not just these states"
        );
    }
    let _ = writeln!(out, "Time {name} {:.3}", verdict.elapsed.as_secs_f64());
    out
}

/// A condition in herd7's syntax: `exists (0:r0=1 /\ x=2)`.
pub struct CondText<'a>(pub &'a Condition);

impl fmt::Display for CondText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let q = match self.0.quantifier {
            Quantifier::Exists => "exists",
            Quantifier::NotExists => "~exists",
            Quantifier::Forall => "forall",
        };
        write!(f, "{q} ({})", PropText(&self.0.prop))
    }
}

/// A proposition in herd7's syntax.
pub struct PropText<'a>(pub &'a Prop);

impl fmt::Display for PropText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Prop::True => f.write_str("true"),
            Prop::Eq(Var::Reg { thread, reg }, v) => write!(f, "{thread}:{reg}={v}"),
            Prop::Eq(Var::Loc(loc), v) => write!(f, "{loc}={v}"),
            Prop::Not(p) => write!(f, "~({})", PropText(p)),
            Prop::And(a, b) => write!(f, "{} /\\ {}", Operand(a), Operand(b)),
            Prop::Or(a, b) => write!(f, "{} \\/ {}", Operand(a), Operand(b)),
        }
    }
}

/// A sub-proposition, parenthesised unless it is atomic.
struct Operand<'a>(&'a Prop);

impl fmt::Display for Operand<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Prop::And(..) | Prop::Or(..) => write!(f, "({})", PropText(self.0)),
            _ => write!(f, "{}", PropText(self.0)),
        }
    }
}
