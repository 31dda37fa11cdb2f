//! The checker's verdicts: `RUSTFLAGS="--cfg loom" cargo test -p spinlock --release`.
#![cfg(loom)]

use spinlock::{broken_relaxed, broken_weak, check, fixed};

// ANCHOR: relaxed_is_caught
#[test]
fn relaxed_lock_does_not_hand_the_data_over() {
    let model = check::two_increments::<broken_relaxed::SpinLock<u64>>;
    support::expect_bug("Causality violation", model);
}
// ANCHOR_END: relaxed_is_caught

// ANCHOR: blind_spot
/// loom's blind spot, asserted: its `compare_exchange_weak` never fails
/// spuriously, so the lock that deadlocks on a spurious failure passes.
/// If this test ever fails, loom has learned to fail weak CASes: turn it
/// into an `expect_bug` for the deadlock and update the chapter.
#[test]
fn loom_passes_the_lock_that_deadlocks_on_arm() {
    check::two_increments::<broken_weak::SpinLock<u64>>();
}
// ANCHOR_END: blind_spot

#[test]
fn fixed_lock_hands_the_data_over() {
    check::two_increments::<fixed::SpinLock<u64>>();
}

#[test]
fn fixed_try_lock_hands_the_data_over() {
    check::try_lock_hands_the_data_over::<fixed::SpinLock<u64>>();
}

/// The learner loop's test: `cargo xtask learn spinlock` runs only this one.
#[cfg(learner = "spinlock")]
#[test]
fn learner_attempt() {
    check::two_increments::<spinlock::attempt::SpinLock<u64>>();
    check::try_lock_hands_the_data_over::<spinlock::attempt::SpinLock<u64>>();
}
