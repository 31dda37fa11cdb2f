//! The checker's verdicts: `RUSTFLAGS="--cfg loom" cargo test -p once-init --release`.
//!
//! Each expected failure has a test of its own: a loom execution that panics unwinds through
//! the cell's destructor, and keeping the failures apart keeps one from masking another.
#![cfg(loom)]

use once_init::{broken_check_then_act, broken_relaxed, check, fixed};

// ANCHOR: broken_is_caught
#[test]
fn check_then_act_runs_the_initialiser_twice() {
    let model = check::init_runs_once::<broken_check_then_act::OnceCell<u64>>;
    let report = support::expect_bug("double init", model);
    assert!(report.contains("ran 2 times"), "{report}");
}

#[test]
fn relaxed_publication_lets_a_reader_see_done_but_not_the_value() {
    let model = check::reader_sees_the_value::<broken_relaxed::OnceCell<u64>>;
    support::expect_bug("Causality violation", model);
}
// ANCHOR_END: broken_is_caught

#[test]
fn relaxed_publication_lets_a_waiter_see_done_but_not_the_value() {
    // The same bug through the other door: the thread that lost the CAS waits for DONE and
    // reads the value. The CAS does keep the initialiser to one run.
    let model = check::init_runs_once::<broken_relaxed::OnceCell<u64>>;
    support::expect_bug("Causality violation", model);
}

#[test]
fn fixed_runs_the_initialiser_once() {
    check::init_runs_once::<fixed::OnceCell<u64>>();
}

#[test]
fn fixed_publishes_the_value_with_done() {
    check::reader_sees_the_value::<fixed::OnceCell<u64>>();
}

#[test]
fn fixed_survives_a_panicking_initialiser() {
    check::panicking_initialiser_leaves_the_cell_usable::<fixed::OnceCell<u64>>();
}

#[test]
fn fixed_parks_a_waiter_until_the_owner_finishes() {
    check::a_waiter_parks_until_the_owner_finishes();
}

#[test]
fn fixed_wakes_a_parked_waiter_to_take_over_after_a_panic() {
    check::a_parked_waiter_takes_over_after_a_panic();
}

/// The learner loop's test: `cargo xtask learn once-init` runs only this one.
#[cfg(learner = "once-init")]
#[test]
fn learner_attempt() {
    type Attempt = once_init::attempt::OnceCell<u64>;
    check::init_runs_once::<Attempt>();
    check::reader_sees_the_value::<Attempt>();
    check::panicking_initialiser_leaves_the_cell_usable::<Attempt>();
}
