//! The checker's verdicts: `RUSTFLAGS="--cfg loom" cargo test -p counter --release`.
#![cfg(loom)]

use counter::{broken, check, fixed};

// ANCHOR: broken_is_caught
#[test]
fn broken_counter_loses_an_update() {
    let model = check::two_increments::<broken::Counter>;
    let report = support::expect_bug("lost update", model);
    assert!(report.contains("the counter reads 1"), "{report}");
}
// ANCHOR_END: broken_is_caught

#[test]
fn broken_counter_loses_an_update_within_the_preemption_bound() {
    // Proves the bound of 2 in `three_threads_with_reader` is enough to catch the bug.
    support::expect_bug(
        "lost update",
        check::three_threads_with_reader::<broken::Counter>,
    );
}

#[test]
fn fixed_counter_never_loses_an_update() {
    check::two_increments::<fixed::Counter>();
}

#[test]
fn fixed_counter_is_exact_and_monotonic_with_three_threads() {
    check::three_threads_with_reader::<fixed::Counter>();
}

#[test]
fn sharded_counter_sums_are_monotonic_and_exact_when_joined() {
    check::sharded_sums();
}

/// The learner loop's test: `cargo xtask learn counter` runs only this one.
#[cfg(learner = "counter")]
#[test]
fn learner_attempt() {
    check::two_increments::<counter::attempt::Counter>();
    check::three_threads_with_reader::<counter::attempt::Counter>();
}
