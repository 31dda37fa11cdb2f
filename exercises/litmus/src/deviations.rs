//! Where loom and Miri are known to differ from the model on these tests.
//!
//! Each entry names the section of the book's Tools appendix (`tools.md#<anchor>`) that
//! explains it. "The model" is what the model checker computes from the row's litmus file
//! ([`crate::Variant::model`]): the loom test and the native Miri run compare against that set,
//! and `tests/model.rs` checks that every entry here departs from it. (Under Miri, which may not
//! read files, the Miri test uses [`Test::allowed`], which `tests/model.rs` holds equal to it.) The tests assert these entries exactly (`tests/loom.rs`, `tests/miri.rs`): a
//! new loom or Miri that fixes one, or adds another, fails a test that says which table to
//! update, so the book cannot keep describing a blind spot that is gone.

use crate::{Outcome, Test};
use std::collections::BTreeSet;

/// How a tool departs from the model on one test and set of orderings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The tool produces the outcome in question, which the model forbids: a false alarm.
    ProducesForbidden,
    /// The tool never produces the outcome in question, which the model allows: a blind spot.
    NeverProducesAllowed,
}

/// One known departure from the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deviation {
    /// [`Test::name`].
    pub test: &'static str,
    /// [`crate::Variant::orderings`].
    pub orderings: &'static str,
    pub kind: Kind,
    /// The Tools appendix section that explains it.
    pub anchor: &'static str,
}

/// loom 0.7's departures.
pub const KNOWN_LOOM_DEVIATIONS: &[Deviation] = &[
    // loom gives SeqCst loads and stores no single total order (loom issue 180): beyond
    // Acquire/Release, a SeqCst load only skips a SeqCst store that a newer SeqCst store to the
    // same atomic replaced. The total order across atomics is what forbids these outcomes, and
    // it is missing. Its SeqCst *fence* is modelled, so SB with fences is not here.
    Deviation {
        test: "SB",
        orderings: "SeqCst",
        kind: Kind::ProducesForbidden,
        anchor: "loom-seqcst",
    },
    Deviation {
        test: "IRIW",
        orderings: "SeqCst",
        kind: Kind::ProducesForbidden,
        anchor: "loom-seqcst",
    },
    Deviation {
        test: "2+2W",
        orderings: "SeqCst",
        kind: Kind::ProducesForbidden,
        anchor: "loom-seqcst",
    },
    // A load in loom reads only stores that already ran, so no load can read a store that
    // its own thread's later code leads to (loom's own LB test is #[ignore]d).
    Deviation {
        test: "LB",
        orderings: "Relaxed",
        kind: Kind::NeverProducesAllowed,
        anchor: "loom-no-lb",
    },
];

/// Miri's departures (the pinned nightly's weak-memory emulation).
pub const KNOWN_MIRI_DEVIATIONS: &[Deviation] = &[
    // Miri emulates store buffers: a load may read an older store, but only one that already
    // ran, so no load buffering; and stores enter each location's history in the order they
    // run, so each modification order follows execution and 2+2W cannot end with both first
    // writes.
    Deviation {
        test: "LB",
        orderings: "Relaxed",
        kind: Kind::NeverProducesAllowed,
        anchor: "miri-no-lb-2-2w",
    },
    Deviation {
        test: "2+2W",
        orderings: "Relaxed",
        kind: Kind::NeverProducesAllowed,
        anchor: "miri-no-lb-2-2w",
    },
    Deviation {
        test: "2+2W",
        orderings: "Release",
        kind: Kind::NeverProducesAllowed,
        anchor: "miri-no-lb-2-2w",
    },
];

/// The known deviation in `table` for this test and set of orderings, if there is one.
pub fn find(
    table: &'static [Deviation],
    test: &str,
    orderings: &str,
) -> Option<&'static Deviation> {
    table
        .iter()
        .find(|d| d.test == test && d.orderings == orderings)
}

/// What a tool with this known deviation (or none) should produce: `allowed`, the outcomes the
/// model allows, plus the outcome in question for a false alarm, minus it for a blind spot.
pub fn tool_outcomes(
    test: &Test,
    allowed: &BTreeSet<Outcome>,
    deviation: Option<&Deviation>,
) -> BTreeSet<Outcome> {
    let mut outcomes = allowed.clone();
    match deviation.map(|d| d.kind) {
        Some(Kind::ProducesForbidden) => {
            outcomes.insert(test.question());
        }
        Some(Kind::NeverProducesAllowed) => {
            outcomes.remove(&test.question());
        }
        None => {}
    }
    outcomes
}

/// Checks what a tool produced for one row (`orderings`) against `allowed`, the outcomes the
/// model allows, and the tool's known deviations. `exact`: the tool must produce every outcome
/// it should (loom, which enumerates); otherwise it need only produce nothing else (Miri, which
/// samples), though a known blind spot must still stay blind. The error says what changed and
/// which table to update; a listed deviation that is no departure from `allowed` is an error
/// too.
#[allow(clippy::too_many_arguments)]
pub fn check(
    tool: &str,
    table: &str,
    test: &Test,
    orderings: &str,
    allowed: &BTreeSet<Outcome>,
    deviation: Option<&Deviation>,
    produced: &BTreeSet<Outcome>,
    exact: bool,
) -> Result<(), String> {
    let question = test.question();
    let shows_question = produced.contains(&question);
    let question_allowed = allowed.contains(&question);
    let row = format!("{} {orderings}", test.name);
    if let Some(deviation) = deviation
        && question_allowed != (deviation.kind == Kind::NeverProducesAllowed)
    {
        return Err(format!(
            "{table} lists {:?} for {row} (tools.md#{}), but the model {} ({}): that is no \
             departure from the model",
            deviation.kind,
            deviation.anchor,
            if question_allowed {
                "allows"
            } else {
                "forbids"
            },
            test.describe(&question)
        ));
    }
    let list = |set: &BTreeSet<Outcome>| {
        set.iter()
            .map(|o| format!("({})", test.describe(o)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    if let Some(deviation) = deviation {
        let still = match deviation.kind {
            Kind::ProducesForbidden => shows_question || !exact,
            Kind::NeverProducesAllowed => !shows_question,
        };
        if !still {
            return Err(format!(
                "{tool} no longer shows its known deviation on {row} (tools.md#{}): it now \
                 agrees with the model about ({}). Remove the entry from {table} and update the \
                 Tools appendix section.",
                deviation.anchor,
                test.describe(&question)
            ));
        }
    } else if shows_question && !question_allowed {
        return Err(format!(
            "{tool} produced ({}) on {row}, which the model forbids, and {table} lists no such \
             deviation: a new tool bug (add an entry and a Tools appendix section) or a bug in \
             the test",
            test.describe(&question)
        ));
    }
    let should = tool_outcomes(test, allowed, deviation);
    let unexpected: BTreeSet<Outcome> = produced.difference(&should).copied().collect();
    let missing: BTreeSet<Outcome> = should.difference(produced).copied().collect();
    if !unexpected.is_empty() || (exact && !missing.is_empty()) {
        return Err(format!(
            "{tool}'s outcomes for {row} changed: it should produce exactly {}, but produced {} \
             (unexpected: {}; missing: {})",
            list(&should),
            list(produced),
            list(&unexpected),
            if exact { list(&missing) } else { "-".into() }
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TESTS;

    /// A deviation is a departure from the model's answer, so its kind must fit that answer,
    /// and it must name a test and orderings that exist.
    #[test]
    fn every_deviation_names_a_row_and_fits_its_answer() {
        for deviation in KNOWN_LOOM_DEVIATIONS.iter().chain(KNOWN_MIRI_DEVIATIONS) {
            let test = TESTS
                .iter()
                .find(|t| t.name == deviation.test)
                .unwrap_or_else(|| panic!("no test {}", deviation.test));
            let expected = test
                .expected
                .iter()
                .find(|e| e.orderings == deviation.orderings)
                .unwrap_or_else(|| panic!("{} has no {}", test.name, deviation.orderings));
            assert_eq!(
                expected.allowed,
                deviation.kind == Kind::NeverProducesAllowed,
                "{deviation:?}"
            );
        }
    }

    fn sb(values: &[[u32; 2]]) -> BTreeSet<Outcome> {
        values.iter().map(|v| Outcome::new(v)).collect()
    }

    #[test]
    fn a_known_false_alarm_must_stay_and_nothing_else_may_change() {
        let test = &crate::tests::sb::SB;
        let seqcst = test.allowed(test.expected[2]);
        let deviation = find(KNOWN_LOOM_DEVIATIONS, "SB", "SeqCst");
        let all = sb(&[[0, 0], [0, 1], [1, 0], [1, 1]]);
        let loom = |produced: &BTreeSet<Outcome>| {
            check(
                "loom", "T", test, "SeqCst", &seqcst, deviation, produced, true,
            )
        };
        loom(&all).unwrap();
        let fixed = sb(&[[0, 1], [1, 0], [1, 1]]);
        let error = loom(&fixed).unwrap_err();
        assert!(
            error.contains("no longer shows its known deviation"),
            "{error}"
        );
        let short = sb(&[[0, 0], [0, 1], [1, 0]]);
        let error = loom(&short).unwrap_err();
        assert!(error.contains("missing: (r1 = 1, r2 = 1)"), "{error}");
        // Sampling (Miri) may miss outcomes, but never the deviation's direction.
        check("miri", "T", test, "SeqCst", &seqcst, None, &fixed, false).unwrap();
        // A listed false alarm on a row whose outcome the model allows is no deviation.
        let error = check("loom", "T", test, "SeqCst", &all, deviation, &all, true).unwrap_err();
        assert!(error.contains("no departure from the model"), "{error}");
    }

    #[test]
    fn a_forbidden_outcome_without_a_known_deviation_is_reported() {
        let test = &crate::tests::sb::SB;
        let fenced = test.allowed(test.expected[3]);
        let (orderings, produced) = ("Relaxed + fence(SeqCst)", sb(&[[0, 0]]));
        let error = check(
            "miri", "T", test, orderings, &fenced, None, &produced, false,
        )
        .unwrap_err();
        assert!(error.contains("which the model forbids"), "{error}");
    }

    #[test]
    fn a_known_blind_spot_must_stay_blind() {
        let test = &crate::tests::lb::LB;
        let relaxed = test.allowed(test.expected[0]);
        let deviation = find(KNOWN_MIRI_DEVIATIONS, "LB", "Relaxed");
        let miri = |produced: &BTreeSet<Outcome>| {
            check(
                "miri", "T", test, "Relaxed", &relaxed, deviation, produced, false,
            )
        };
        miri(&sb(&[[0, 0], [0, 1]])).unwrap();
        let error = miri(&sb(&[[1, 1]])).unwrap_err();
        assert!(error.contains("no longer shows"), "{error}");
    }
}
