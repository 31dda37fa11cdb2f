//! The checker: loom models that every reference count must pass (compiled only under
//! `--cfg loom`).
//!
//! Each model is generic over [`Shared`], so the broken pointers, the fixed one and a reader's
//! attempt are judged by the same code. The test binaries install
//! [`Quarantine`](crate::harness::Quarantine) as their allocator, so a double free shows up
//! as a second drop instead of corrupting the heap.

use crate::Shared;
use crate::harness::{Counted, Tracked};
use support::thread;

// ANCHOR: last_use_then_drop
/// Three owners on three threads each read the value, then drop their
/// owner. Whoever drops last frees the value, and the free must happen
/// after every other owner's read. Exhaustive.
pub fn last_use_then_drop<P>()
where
    P: Shared<Tracked> + Send + 'static,
{
    support::model(|| {
        let main = P::new(Tracked::new(7));
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let owner = main.clone();
                thread::spawn(move || {
                    assert_eq!(owner.get(), 7);
                    drop(owner); // may be the last owner: frees the value
                })
            })
            .collect();
        assert_eq!(main.get(), 7);
        drop(main);
        for handle in handles {
            handle.join().unwrap();
        }
    });
}
// ANCHOR_END: last_use_then_drop

/// One owner reads the value and leaves; the other, once it is the only owner, writes through
/// `get_mut`. The write must happen after the read (rust-lang/rust#51780). Exhaustive.
pub fn get_mut_after_the_other_owner_left<P>()
where
    P: Shared<Tracked> + Send + 'static,
{
    support::model(|| {
        let mut main = P::new(Tracked::new(7));
        let other = main.clone();
        let handle = thread::spawn(move || {
            assert_eq!(other.get(), 7);
            drop(other);
        });
        if let Some(value) = P::get_mut(&mut main) {
            value.set(8);
        }
        handle.join().unwrap();
        let value = P::get_mut(&mut main).expect("get_mut failed for the only owner");
        assert!(matches!(value.get(), 7 | 8));
    });
}

// ANCHOR: dropped_exactly_once
/// Two owners on two threads drop at the same time. The value must be
/// dropped exactly once: never twice, never leaked. Exhaustive.
pub fn dropped_exactly_once<P>()
where
    P: Shared<Counted> + Send + 'static,
{
    support::model(|| {
        let drops = Counted::counter();
        let main = P::new(Counted::new(drops));
        let other = main.clone();
        let handle = thread::spawn(move || drop(other));
        drop(main);
        handle.join().unwrap();
        // Relaxed: pairs with nothing; the join ordered every drop before.
        let n = drops.load(std::sync::atomic::Ordering::Relaxed);
        assert!(n != 0, "leak: no owner dropped the value");
        assert!(n == 1, "double drop: the value was dropped {n} times");
    });
}
// ANCHOR_END: dropped_exactly_once

/// Clones made from a shared `&P` on two threads, then dropped: the count returns to one and
/// the value is still there. Exhaustive.
pub fn clones_from_a_shared_reference<P>()
where
    P: Shared<Tracked> + Send + Sync + 'static,
{
    support::model(|| {
        let main = support::sync::Arc::new(P::new(Tracked::new(7)));
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let shared = main.clone();
                thread::spawn(move || {
                    let owner = (*shared).clone();
                    assert_eq!(owner.get(), 7);
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
        assert_eq!(P::strong_count(&main), 1, "a clone was not counted");
        assert_eq!(main.get(), 7);
    });
}
