//! What Miri checks: `cargo xtask miri refcount` (16 schedules each).
//!
//! The fixed pointer's tests must pass under every schedule. The `#[ignore]`d tests run the
//! Relaxed pointer, and Miri must stop them with "Data race detected": its race detector
//! counts freeing memory as a write. They are ignored so that a native `cargo test` never
//! runs the undefined behaviour they contain.
#![cfg(not(loom))]

use refcount::{Shared, broken_relaxed, fixed};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// A heap value (so a use after free touches freed memory) that counts its drops.
struct Noisy {
    value: Box<u64>,
    drops: Arc<AtomicUsize>,
}

impl Drop for Noisy {
    fn drop(&mut self) {
        // Relaxed: pairs with nothing; the test reads the count after joining.
        self.drops.fetch_add(1, Ordering::Relaxed);
    }
}

fn noisy<P: Shared<Noisy>>() -> (P, Arc<AtomicUsize>) {
    let drops = Arc::new(AtomicUsize::new(0));
    let value = Noisy {
        value: Box::new(7),
        drops: Arc::clone(&drops),
    };
    (P::new(value), drops)
}

#[test]
fn fixed_frees_once_after_every_last_use() {
    let (owner, drops) = noisy::<fixed::RefCount<_>>();
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let owner = owner.clone();
            thread::spawn(move || assert_eq!(*owner.value, 7))
        })
        .collect();
    assert_eq!(*owner.value, 7);
    drop(owner);
    for handle in handles {
        handle.join().unwrap();
    }
    assert_eq!(drops.load(Ordering::Relaxed), 1);
}

#[test]
fn fixed_get_mut_writes_after_the_last_use() {
    let (mut owner, drops) = noisy::<fixed::RefCount<_>>();
    let other = owner.clone();
    let handle = thread::spawn(move || assert_eq!(*other.value, 7));
    loop {
        if let Some(value) = fixed::RefCount::get_mut(&mut owner) {
            *value.value = 8;
            break;
        }
        thread::yield_now();
    }
    handle.join().unwrap();
    drop(owner);
    assert_eq!(drops.load(Ordering::Relaxed), 1);
}

#[test]
fn fixed_clones_from_a_shared_reference() {
    let (owner, drops) = noisy::<fixed::RefCount<_>>();
    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                let clone = owner.clone();
                assert_eq!(*clone.value, 7);
            });
        }
    });
    assert_eq!(fixed::RefCount::strong_count(&owner), 1);
    drop(owner);
    assert_eq!(drops.load(Ordering::Relaxed), 1);
}

/// Waits, without synchronizing, until `owner` is the only one left. This makes the main
/// thread the last owner in every schedule, and (since the wait is Relaxed) adds no
/// happens-before edge of its own that could hide the bug.
fn wait_until_alone<P: Shared<Noisy>>(owner: &P) {
    while P::strong_count(owner) > 1 {
        thread::yield_now();
    }
}

#[test]
#[ignore = "undefined behaviour: run by `cargo xtask miri refcount`, which expects a data race"]
fn broken_relaxed_drop_races_with_the_last_use() {
    let (owner, _drops) = noisy::<broken_relaxed::RefCount<_>>();
    let other = owner.clone();
    let handle = thread::spawn(move || assert_eq!(*other.value, 7));
    wait_until_alone(&owner);
    drop(owner); // frees the Box<u64> the other thread read
    handle.join().unwrap();
}

#[test]
#[ignore = "undefined behaviour: run by `cargo xtask miri refcount`, which expects a data race"]
fn broken_relaxed_get_mut_races_with_the_last_use() {
    let (mut owner, _drops) = noisy::<broken_relaxed::RefCount<_>>();
    let other = owner.clone();
    let handle = thread::spawn(move || assert_eq!(*other.value, 7));
    wait_until_alone(&owner);
    let value = broken_relaxed::RefCount::get_mut(&mut owner).unwrap();
    *value.value = 8; // writes the u64 the other thread read
    handle.join().unwrap();
}
