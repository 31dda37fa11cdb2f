//! The model checker's answers (`exercises/model`, the C++20 memory model) for lesson 6's
//! programs: `cargo test -p happens-before --test model_release`. The same files run from the
//! command line, e.g.
//! `cargo run -p model --release -- exercises/happens-before/litmus/chain.litmus`.
#![cfg(not(loom))]

// Shared with tests/model.rs and tests/loom.rs; this file needs only `verdict`.
mod outcomes;

use model::Model;
use model::program::{Value, Var};
use model::verdict::{Observation, State, Verdict};

/// C's final `(saw the flag, value read)` registers in each state the model allows.
fn states_of_c(verdict: &Verdict, flag: &str, value: &str) -> Vec<(Value, Value)> {
    let register = |state: &State, reg: &str| {
        let var = Var::Reg {
            thread: 2,
            reg: reg.to_owned(),
        };
        state.get(&var).expect("the condition names the register")
    };
    verdict
        .states
        .keys()
        .map(|state| (register(state, flag), register(state, value)))
        .collect()
}

/// The one data race `verdict` reports, as the model prints it: thread A's write of `data`
/// against thread C's read, each with its line and column in the file its thread comes from.
fn assert_one_race(verdict: &Verdict, expected: &str) {
    let races: Vec<String> = verdict.races.iter().map(ToString::to_string).collect();
    assert_eq!(races, [expected]);
}

// ANCHOR: chain
/// A releases to B, B releases to C: no execution races, and a C that sees `flag2` reads
/// A's 42, under both models.
#[test]
fn the_chain_hands_a_write_on_through_a_thread_that_never_touches_it() {
    for model in Model::ALL {
        let verdict = outcomes::verdict("chain.litmus", model);
        assert_eq!(verdict.observation(), Observation::Never, "{model}");
        assert!(verdict.races.is_empty(), "{model}: {:?}", verdict.races);
        assert_eq!(
            states_of_c(&verdict, "seen2", "value"),
            [(0, 0), (1, 42)],
            "{model}"
        );
    }
}
// ANCHOR_END: chain

/// B's store Relaxed: a C that sees `flag2` may read 0, and A's write races with C's read.
#[test]
fn a_relaxed_relay_breaks_the_chain() {
    let verdict = outcomes::verdict("chain-relaxed-relay.litmus", Model::Cpp20);
    assert_eq!(verdict.observation(), Observation::Sometimes);
    assert_eq!(
        states_of_c(&verdict, "seen2", "value"),
        [(0, 0), (1, 0), (1, 42)]
    );
    // Lesson 6's Going-further page shows this line.
    assert_one_race(
        &verdict,
        "thread 0 (9:5) W data=42 na ~ thread 2 (33:9) R data=0 na",
    );
}

// ANCHOR: release_sequence
/// A Relaxed `fetch_add` by B continues the release sequence of A's Release store: a C that
/// reads B's 2 synchronizes with A, reads 42, and nothing races.
#[test]
fn a_relaxed_read_modify_write_continues_the_release_sequence() {
    for model in Model::ALL {
        let verdict = outcomes::verdict("release-sequence.litmus", model);
        assert_eq!(verdict.observation(), Observation::Never, "{model}");
        assert!(verdict.races.is_empty(), "{model}: {:?}", verdict.races);
        assert_eq!(
            states_of_c(&verdict, "seen", "value"),
            [(0, 0), (1, 0), (2, 42)],
            "{model}"
        );
    }
}
// ANCHOR_END: release_sequence

/// A Relaxed plain store of 2 in B's place is no read-modify-write: it ends nothing and
/// continues nothing, and a C that reads it races with A's write.
#[test]
fn a_relaxed_store_by_another_thread_is_not_in_the_release_sequence() {
    for model in Model::ALL {
        let verdict = outcomes::verdict("release-sequence-store.litmus", model);
        assert_eq!(verdict.observation(), Observation::Sometimes, "{model}");
        assert_eq!(
            states_of_c(&verdict, "seen", "value"),
            [(0, 0), (1, 0), (2, 0), (2, 42)],
            "{model}"
        );
        assert_one_race(
            &verdict,
            "thread 0 (18:5) W data=42 na ~ thread 2 (37:9) R data=0 na",
        );
    }
}

/// The quiz's sender raises `ready` before it writes the payload: both receivers, the Acquire
/// one and the SeqCst one, race with the write.
#[test]
fn a_write_after_the_release_store_is_not_handed_over() {
    let verdict = outcomes::verdict("release-then-write.litmus", Model::Cpp20);
    assert_eq!(verdict.observation(), Observation::Sometimes);
    let racing: Vec<_> = verdict
        .races
        .iter()
        .map(|race| (race.first.thread, race.second.thread))
        .collect();
    assert_eq!(racing, [(0, 1), (0, 2)]);
}
