//! The checker's verdicts: `RUSTFLAGS="--cfg loom" cargo test -p refcount --release`.
//!
//! Each expected failure has its own test: a model that panics inside a destructor can take
//! the test binary down with it, and one failure per binary run keeps the report readable.
#![cfg(loom)]

use refcount::broken_check_then_act as check_then_act;
use refcount::harness::Quarantine;
use refcount::{broken_relaxed, check, fixed};
use support::sync::atomic::{AtomicUsize, Ordering};

// For the reader's attempt: if it frees twice, loom reports the second drop before the
// allocator can abort the binary. None of the crate's own pointers frees twice: see
// `refcount::harness`.
#[global_allocator]
static ALLOCATOR: Quarantine = Quarantine;

// ANCHOR: relaxed_is_caught
#[test]
fn relaxed_decrement_frees_during_a_last_use() {
    let model = check::last_use_then_drop::<broken_relaxed::RefCount<_>>;
    let report = support::expect_bug("Causality violation", model);
    assert!(report.contains("Concurrent read and write"), "{report}");
}
// ANCHOR_END: relaxed_is_caught

#[test]
fn relaxed_get_mut_writes_during_a_last_use() {
    let model = check::get_mut_after_the_other_owner_left::<broken_relaxed::RefCount<_>>;
    let report = support::expect_bug("Causality violation", model);
    assert!(report.contains("Concurrent write accesses"), "{report}");
}

// ANCHOR: check_then_act_is_caught
#[test]
fn check_then_act_frees_twice() {
    let model = || check::one_owner_decides_to_free(check_then_act::leave);
    let report = support::expect_bug("double free", model);
    assert!(report.contains("2 owners decided to free"), "{report}");
}
// ANCHOR_END: check_then_act_is_caught

/// The control for the model above: the fixed pointer's decision (its `drop` decides from the
/// value its own `fetch_sub` returned) passes it.
#[test]
fn fixed_decides_from_the_value_fetch_sub_returned() {
    fn leave(count: &AtomicUsize) -> bool {
        // Release: as in `fixed::RefCount::drop`; this model frees nothing, so nothing pairs.
        count.fetch_sub(1, Ordering::Release) == 1
    }
    check::one_owner_decides_to_free(leave);
}

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

#[test]
fn fixed_try_unwrap_takes_the_value_after_the_last_use() {
    check::try_unwrap_after_the_other_owner_left::<fixed::RefCount<_>>();
}

/// The learner loop's test: `cargo xtask learn refcount` runs only this one.
#[cfg(learner = "refcount")]
#[test]
fn learner_attempt() {
    use refcount::attempt::RefCount;
    check::last_use_then_drop::<RefCount<_>>();
    check::get_mut_after_the_other_owner_left::<RefCount<_>>();
    check::dropped_exactly_once::<RefCount<_>>();
    check::clones_from_a_shared_reference::<RefCount<_>>();
    check::try_unwrap_after_the_other_owner_left::<RefCount<_>>();
}
