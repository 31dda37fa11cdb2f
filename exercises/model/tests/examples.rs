//! The examples in `examples/`, which the book's appendix "The model, executable"
//! (`src/appendix/model.md`) includes, with the verdicts that page states:
//! `cargo test -p model --test examples`.

use model::Model;
use model::verdict::{Observation, Verdict};
use std::path::Path;

fn check(file: &str, model: Model) -> Verdict {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(file);
    model::check_path(&path, model).unwrap_or_else(|e| panic!("{e}"))
}

/// The one state satisfying the condition; panics unless there is exactly one.
fn only_witness(verdict: &Verdict) -> &model::verdict::StateInfo {
    let witnesses: Vec<_> = verdict.witnesses().collect();
    assert_eq!(witnesses.len(), 1, "{}: {witnesses:?}", verdict.name);
    witnesses[0].1
}

/// herd7's C format: LB with Relaxed accesses. C++20 allows both loads to read 1, and only
/// with weak memory, in a cycle of sb ∪ rf; RC11's no-thin-air axiom forbids it.
#[test]
fn load_buffering_is_allowed_by_cpp20_and_forbidden_by_rc11() {
    let cpp20 = check("lb.litmus", Model::Cpp20);
    assert_eq!(cpp20.observation(), Observation::Sometimes);
    assert_eq!((cpp20.candidates, cpp20.consistent), (4, 4));
    let witness = only_witness(&cpp20);
    assert!(!witness.under_sc && witness.thin_air, "{witness:?}");
    let rc11 = check("lb.litmus", Model::Rc11);
    assert_eq!(rc11.observation(), Observation::Never);
    assert_eq!((rc11.candidates, rc11.consistent), (4, 3));
}

/// The Rust form, both threads read from the litmus crate's functions: MP with a Release
/// store and an Acquire load never shows the flag without the data, under either model.
#[test]
fn message_passing_read_from_the_litmus_crate_never_loses_the_data() {
    for model in Model::ALL {
        let verdict = check("mp.litmus", model);
        assert_eq!(verdict.observation(), Observation::Never, "{model}");
        assert_eq!(verdict.states.len(), 3, "{model}");
        assert!(verdict.states.values().all(|s| s.under_sc), "{model}");
        assert!(verdict.races.is_empty(), "{model}");
    }
}

/// P0982: a Relaxed store by the releasing thread ends its release sequence in C++20, so an
/// Acquire load of that store acquires nothing; C++11's rule, which RC11 as published keeps,
/// continues the sequence through it.
#[test]
fn a_later_relaxed_store_continues_the_release_sequence_in_rc11_only() {
    let cpp20 = check("release-sequence.litmus", Model::Cpp20);
    assert_eq!(cpp20.observation(), Observation::Sometimes);
    let witness = only_witness(&cpp20);
    assert!(!witness.under_sc && !witness.thin_air, "{witness:?}");
    let rc11 = check("release-sequence.litmus", Model::Rc11);
    assert_eq!(rc11.observation(), Observation::Never);
}

/// A plain write published by a Relaxed store: the reader's plain read races it, and the
/// report names the two statements by line and column.
#[test]
fn a_relaxed_flag_leaves_the_plain_accesses_racing() {
    for model in Model::ALL {
        let verdict = check("race.litmus", model);
        assert_eq!(verdict.observation(), Observation::Sometimes, "{model}");
        let sites: Vec<_> = verdict
            .races
            .iter()
            .map(|r| {
                let (a, b) = (r.first.span, r.second.span);
                ((a.line, a.column), (b.line, b.column))
            })
            .collect();
        assert_eq!(sites, [((4, 5), (10, 9))], "{model}");
    }
}
