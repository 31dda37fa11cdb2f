//! The model checker's answers (`exercises/model`, the C++20 memory model) for the chapter's
//! slot hand-overs: `cargo test -p spsc --test model`. Each file in `litmus/` inlines a queue's
//! `push` and `pop` on a ring small enough that a slot is reused, and says which code it
//! mirrors. The model is the oracle; loom and Miri, in the other test files, are tools under
//! study.
#![cfg(not(loom))]

use model::Model;
use model::verdict::{Observation, Verdict};
use std::path::Path;

/// The model's verdict on `litmus/<file>`.
fn verdict(file: &str, model: Model) -> Verdict {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("litmus")
        .join(file);
    model::check_path(&path, model).unwrap_or_else(|e| panic!("{e}"))
}

/// The data races of `verdict`, as the model prints them: each access's thread, line and
/// column in the litmus file, and the value it wrote or read.
fn races(verdict: &Verdict) -> Vec<String> {
    verdict.races.iter().map(ToString::to_string).collect()
}

// ANCHOR: fixed
/// Release/Acquire on both positions: the consumer always gets the message of the `tail` it
/// saw, and no execution races, under both models.
#[test]
fn release_acquire_positions_hand_each_slot_over() {
    for model in Model::ALL {
        let verdict = verdict("spsc-fixed.litmus", model);
        assert_eq!(verdict.observation(), Observation::Never, "{model}");
        assert_eq!(races(&verdict), Vec::<String>::new(), "{model}");
    }
}
// ANCHOR_END: fixed

// ANCHOR: relaxed
/// Every position access Relaxed (`broken_relaxed`): the producer's first write races with
/// the consumer's read (nothing publishes it), and the read with the rewrite (nothing tells
/// the producer the read is over).
#[test]
fn relaxed_positions_race_on_both_hand_overs() {
    let verdict = verdict("spsc-relaxed.litmus", Model::Cpp20);
    assert_eq!(
        races(&verdict),
        [
            "thread 0 (4:5) W slot=1 na ~ thread 1 (15:9) R slot=0 na",
            "thread 0 (8:9) W slot=2 na ~ thread 1 (15:9) R slot=0 na",
        ]
    );
}
// ANCHOR_END: relaxed

/// `tail` Release/Acquire but `head` Relaxed (the quiz's "the consumer only reads"): the
/// publication holds, and the rewrite of the slot races with the read.
#[test]
fn a_relaxed_head_races_the_rewrite_with_the_read() {
    let verdict = verdict("spsc-head-relaxed.litmus", Model::Cpp20);
    assert_eq!(
        races(&verdict),
        ["thread 0 (9:9) W slot=2 na ~ thread 1 (16:9) R slot=1 na"]
    );
}

// ANCHOR: wrapping
/// Positions that wrap at the capacity (`broken_index`), every ordering right: once the
/// producer laps the consumer, its overwrite of slot 0 races with the consumer's read of it.
/// That is why the crate never runs this queue with both sides busy on real threads.
#[test]
fn positions_wrapping_at_the_capacity_race_the_overwrite_with_the_read() {
    let verdict = verdict("spsc-wrapping.litmus", Model::Cpp20);
    assert_eq!(
        races(&verdict),
        ["thread 0 (13:5) W slot0=3 na ~ thread 1 (19:9) R slot0=1 na"]
    );
}
// ANCHOR_END: wrapping
