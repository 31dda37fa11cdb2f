//! What Miri checks: `cargo xtask miri refcount` (16 schedules each).
//!
//! The fixed pointer's tests must pass under every schedule. The `#[ignore]`d tests run the
//! Relaxed pointer, and Miri must stop them with the data race the `[package.metadata.miri]`
//! table names: `Box::from_raw` (in `drop`) or the `&mut` that `get_mut` returns is a *retag*
//! of the shared block, which Miri's race detector counts as a write, and the other owner
//! touched the block with nothing ordering the two. Miri stops there, before anything is
//! freed. The tests are ignored so that a native `cargo test` never runs the undefined
//! behaviour they contain.
#![cfg(not(loom))]

use refcount::{Shared, broken_relaxed, fixed};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

/// The configuration of the story, on the heap: a setting, and a cached entry that handlers
/// replace through `&self` (freeing the old one), and that the destructor frees.
struct Noisy {
    setting: u64,
    cache: Mutex<Box<u64>>,
    drops: Arc<AtomicUsize>,
}

impl Noisy {
    /// A handler's request: reads the setting, replaces the cached entry.
    fn handle(&self) {
        assert_eq!(self.setting, 7);
        let old = std::mem::replace(&mut *self.cache.lock().unwrap(), Box::new(8));
        drop(old); // frees the entry it replaced
    }
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
        setting: 7,
        cache: Mutex::new(Box::new(0)),
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
            thread::spawn(move || owner.handle())
        })
        .collect();
    owner.handle();
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
    let handle = thread::spawn(move || other.handle());
    loop {
        if let Some(value) = fixed::RefCount::get_mut(&mut owner) {
            drop(std::mem::replace(
                value.cache.get_mut().unwrap(),
                Box::new(9),
            ));
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
                clone.handle();
            });
        }
    });
    assert_eq!(fixed::RefCount::strong_count(&owner), 1);
    drop(owner);
    assert_eq!(drops.load(Ordering::Relaxed), 1);
}

#[test]
fn fixed_try_unwrap_takes_the_value_after_the_last_use() {
    let (owner, drops) = noisy::<fixed::RefCount<_>>();
    let other = owner.clone();
    let handle = thread::spawn(move || other.handle());
    let mut owner = owner;
    let value = loop {
        match fixed::RefCount::try_unwrap(owner) {
            Ok(value) => break value,
            Err(back) => owner = back,
        }
        thread::yield_now();
    };
    assert_eq!(**value.cache.lock().unwrap(), 8);
    handle.join().unwrap();
    drop(value);
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
    let handle = thread::spawn(move || other.handle());
    wait_until_alone(&owner);
    drop(owner); // Box::from_raw, then the destructor frees the entry the handler replaced
    handle.join().unwrap();
}

#[test]
#[ignore = "undefined behaviour: run by `cargo xtask miri refcount`, which expects a data race"]
fn broken_relaxed_get_mut_races_with_the_last_use() {
    let (mut owner, _drops) = noisy::<broken_relaxed::RefCount<_>>();
    let other = owner.clone();
    let handle = thread::spawn(move || other.handle());
    wait_until_alone(&owner);
    let value = broken_relaxed::RefCount::get_mut(&mut owner).unwrap();
    // Replaces (and frees) the handler's entry, with no lock.
    drop(std::mem::replace(
        value.cache.get_mut().unwrap(),
        Box::new(9),
    ));
    handle.join().unwrap();
}
