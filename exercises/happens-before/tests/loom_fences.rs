//! The fences of lesson 7's Going-further page under loom:
//! `RUSTFLAGS="--cfg loom" cargo test -p happens-before --release --test loom_fences`.
//!
//! Each pairing of a Release store or fence with an Acquire load or fence hands the payload
//! over in every execution loom explores; the Acquire fence placed before the load is caught.
//! The expected failure has a test of its own, so it cannot mask another.
#![cfg(loom)]

use happens_before::fences::{broken_fence_first, check, fenced};

// ANCHOR: fence_loop
/// A Relaxed loop, then one Acquire fence (the receiver lesson 7 describes).
#[test]
fn a_relaxed_loop_then_an_acquire_fence_claims_the_payload() {
    check::hands_over(fenced::send, fenced::wait_fenced);
}
// ANCHOR_END: fence_loop

/// A Release fence, then a Relaxed store, read by an Acquire load.
#[test]
fn a_release_fence_then_a_relaxed_store_publishes_the_payload() {
    check::hands_over(fenced::send_fenced, fenced::wait);
}

/// A Release fence on one side, an Acquire fence on the other.
#[test]
fn a_release_fence_synchronizes_with_an_acquire_fence() {
    check::hands_over(fenced::send_fenced, fenced::wait_fenced);
}

// ANCHOR: fence_first
/// The Acquire fence before the loop orders nothing after the load that saw the flag.
#[test]
fn an_acquire_fence_before_the_load_claims_nothing() {
    let model = || check::hands_over(fenced::send, broken_fence_first::wait_fence_first);
    support::expect_bug("Causality violation", model);
}
// ANCHOR_END: fence_first
