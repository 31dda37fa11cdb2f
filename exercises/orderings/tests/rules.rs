//! Which operation accepts which ordering, checked where std checks it: at run time.
//!
//! rustc's deny-by-default `invalid_atomic_ordering` lint already rejects these calls when the
//! ordering is a constant, so this file turns the lint off to reach std's own panics: an
//! ordering chosen at run time gets no help from the lint.
#![allow(invalid_atomic_ordering)]

use std::sync::atomic::{AtomicU64, Ordering, fence};

// ANCHOR: invalid
#[test]
#[should_panic(expected = "there is no such thing as a release load")]
fn a_load_cannot_release() {
    AtomicU64::new(0).load(Ordering::Release);
}

#[test]
#[should_panic(expected = "there is no such thing as an acquire store")]
fn a_store_cannot_acquire() {
    AtomicU64::new(0).store(1, Ordering::Acquire);
}

#[test]
#[should_panic(expected = "there is no such thing as a release failure ordering")]
fn a_failed_compare_exchange_is_a_load_and_cannot_release() {
    let _ = AtomicU64::new(0).compare_exchange(1, 2, Ordering::AcqRel, Ordering::Release);
}

#[test]
#[should_panic(expected = "there is no such thing as a relaxed fence")]
fn a_fence_cannot_be_relaxed() {
    fence(Ordering::Relaxed);
}
// ANCHOR_END: invalid

#[test]
#[should_panic(expected = "there is no such thing as an acquire-release load")]
fn a_load_cannot_be_acq_rel() {
    AtomicU64::new(0).load(Ordering::AcqRel);
}

#[test]
#[should_panic(expected = "there is no such thing as an acquire-release store")]
fn a_store_cannot_be_acq_rel() {
    AtomicU64::new(0).store(1, Ordering::AcqRel);
}

#[test]
fn a_failure_ordering_may_be_stronger_than_the_success_ordering() {
    // Allowed since Rust 1.64: only Release and AcqRel are refused for failure.
    let x = AtomicU64::new(5);
    assert_eq!(
        x.compare_exchange(0, 1, Ordering::Relaxed, Ordering::SeqCst),
        Err(5)
    );
}

#[test]
fn every_probe_does_its_operation() {
    use orderings::*;
    let x = AtomicU64::new(1);
    assert_eq!(load_relaxed(&x), 1);
    store_release(&x, 2);
    assert_eq!(load_acquire(&x), 2);
    store_seq_cst(&x, 3);
    store_relaxed(&x, 4);
    assert_eq!(load_seq_cst(&x), 4);
    let adds = [
        fetch_add_relaxed,
        fetch_add_acquire,
        fetch_add_release,
        fetch_add_acq_rel,
        fetch_add_seq_cst,
    ];
    for (i, add) in adds.into_iter().enumerate() {
        assert_eq!(add(&x, 1), 4 + i as u64);
    }
    let cases = [
        compare_exchange_relaxed_relaxed,
        compare_exchange_acquire_acquire,
        compare_exchange_release_relaxed,
        compare_exchange_acq_rel_acquire,
        compare_exchange_seq_cst_seq_cst,
    ];
    for (i, cas) in cases.into_iter().enumerate() {
        let now = 9 + i as u64;
        assert_eq!(cas(&x, now + 100, 0), now, "a wrong guess writes nothing");
        assert_eq!(cas(&x, now, now + 1), now, "the right guess writes");
    }
    assert_eq!(x.load(Ordering::Relaxed), 14);
    fence_acquire();
    fence_release();
    fence_acq_rel();
    fence_seq_cst();
}

#[test]
fn each_wait_returns_once_the_flag_is_set() {
    use orderings::hoisting::{wait_plain, wait_relaxed};
    use std::sync::atomic::AtomicBool;
    // Only with the flag already set: with it clear, each would spin forever, since no other
    // thread here sets it (and none could set the plain one without a data race).
    wait_plain(&true);
    wait_relaxed(&AtomicBool::new(true));
}
