//! What Rust accepts as a compare-and-swap's failure ordering: `cargo test -p happens-before`.
//!
//! These tests are about std's API itself, so they use std's atomics directly.
#![cfg(not(loom))]

use std::hint::black_box;
use std::sync::atomic::AtomicBool;
use std::sync::atomic::Ordering::{AcqRel, Acquire, Relaxed, Release, SeqCst};

// ANCHOR: failure_rules
/// A CAS with its orderings chosen at run time. Written with literal orderings, the refused
/// combinations below do not even compile: rustc's `invalid_atomic_ordering` lint, an error by
/// default, rejects them. `black_box` hides the values from the lint, so the check inside std
/// runs instead.
fn claim(success: std::sync::atomic::Ordering, failure: std::sync::atomic::Ordering) -> bool {
    let flag = AtomicBool::new(false);
    flag.compare_exchange(false, true, black_box(success), black_box(failure))
        .is_ok()
}

#[test]
#[should_panic(expected = "there is no such thing as a release failure ordering")]
fn a_failure_ordering_cannot_release() {
    // A failed CAS writes nothing, so there is nothing for it to publish.
    claim(Release, Release);
}

#[test]
#[should_panic(expected = "there is no such thing as an acquire-release failure ordering")]
fn a_failure_ordering_cannot_be_acqrel() {
    claim(AcqRel, AcqRel);
}

#[test]
fn a_failure_ordering_may_be_stronger_than_the_success_ordering() {
    // Refused before Rust 1.64 (rust-lang/rust#98383), as in C++11; allowed since, as in C++17.
    assert!(claim(Relaxed, Acquire));
    assert!(claim(Relaxed, SeqCst));
    assert!(claim(Release, Acquire));
}
// ANCHOR_END: failure_rules
