//! The checker's verdicts: `RUSTFLAGS="--cfg loom" cargo test -p refcount --release`.
//!
//! Each expected failure has its own test: a model that panics inside a destructor can take
//! the test binary down with it, and one failure per binary run keeps the report readable.
#![cfg(loom)]

use refcount::broken_check_then_act as check_then_act;
use refcount::harness::Quarantine;
use refcount::{broken_relaxed, check, fixed};

// A double free must be reported, not corrupt the heap: see `refcount::harness`.
#[global_allocator]
static ALLOCATOR: Quarantine = Quarantine;

// ANCHOR: relaxed_is_caught
#[test]
fn relaxed_decrement_frees_during_a_last_use() {
    let model = check::last_use_then_drop::<broken_relaxed::RefCount<_>>;
    let report = support::expect_bug("Causality violation", model);
    assert!(report.contains("UnsafeCell"), "{report}");
}
// ANCHOR_END: relaxed_is_caught

#[test]
fn relaxed_get_mut_writes_during_a_last_use() {
    let model = check::get_mut_after_the_other_owner_left::<broken_relaxed::RefCount<_>>;
    support::expect_bug("Causality violation", model);
}

// ANCHOR: check_then_act_is_caught
#[test]
fn check_then_act_drops_twice() {
    let model = check::dropped_exactly_once::<check_then_act::RefCount<_>>;
    let report = support::expect_bug("double drop", model);
    assert!(report.contains("dropped 2 times"), "{report}");
}
// ANCHOR_END: check_then_act_is_caught

#[test]
fn relaxed_decrement_still_drops_exactly_once() {
    // The Relaxed pointer's bug is ordering, not counting: exactly one owner frees.
    check::dropped_exactly_once::<broken_relaxed::RefCount<_>>();
}

#[test]
fn fixed_frees_after_every_last_use() {
    check::last_use_then_drop::<fixed::RefCount<_>>();
}

#[test]
fn fixed_get_mut_writes_after_the_last_use() {
    check::get_mut_after_the_other_owner_left::<fixed::RefCount<_>>();
}

#[test]
fn fixed_drops_exactly_once() {
    check::dropped_exactly_once::<fixed::RefCount<_>>();
}

#[test]
fn fixed_counts_clones_made_from_a_shared_reference() {
    check::clones_from_a_shared_reference::<fixed::RefCount<_>>();
}

/// The learner loop's test: `cargo xtask learn refcount` runs only this one.
#[cfg(learner)]
#[test]
fn learner_attempt() {
    use refcount::attempt::RefCount;
    check::last_use_then_drop::<RefCount<_>>();
    check::get_mut_after_the_other_owner_left::<RefCount<_>>();
    check::dropped_exactly_once::<RefCount<_>>();
    check::clones_from_a_shared_reference::<RefCount<_>>();
}
