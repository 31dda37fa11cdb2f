//! What ThreadSanitizer sees: `cargo xtask tsan refcount`, which builds this file with
//! `-Zsanitizer=thread` on the pinned nightly and checks each test's verdict against the
//! `[package.metadata.tsan]` table in Cargo.toml.
//!
//! Every test here is `#[ignore]`d: two of them contain a real data race (undefined behaviour
//! when run natively), and the others only mean something under the sanitizer.
//!
//! All four run the same program: another owner reads the value on its own thread and drops
//! its clone, while the main thread waits until it is the only owner and then drops the last
//! one, which frees the value. The wait is a Relaxed load of the count, so it adds no
//! happens-before edge of its own: the only edge from the reader's last use to the free is the
//! one the pointer's `Drop` makes.
#![cfg(not(loom))]

use refcount::{Shared, broken_relaxed, fixed};
use std::ops::Deref;
use std::ptr::NonNull;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// The value lives in its own heap block, so the free is a write TSan watches.
fn last_use_then_free<P: Shared<Box<u64>> + Send + 'static>() {
    let owner = P::new(Box::new(7));
    let other = owner.clone();
    let reader = thread::spawn(move || assert_eq!(**other, 7));
    while P::strong_count(&owner) > 1 {
        thread::yield_now();
    }
    drop(owner);
    reader.join().unwrap();
}

// ANCHOR: false_positive
/// The book's correct pointer: `fetch_sub(Release)`, then `fence(Acquire)`
/// in the last owner. TSan does not model fences, so it sees no edge from
/// the reader's last use to the free, and reports a data race that cannot
/// happen. `cargo xtask tsan` expects that report.
#[test]
#[ignore = "run by cargo xtask tsan, which expects TSan's false positive"]
fn fixed_fence_drop_is_reported_as_a_race() {
    last_use_then_free::<fixed::RefCount<_>>();
}
// ANCHOR_END: false_positive

/// The real bug: a Relaxed decrement. TSan reports it too, and here it is right.
#[test]
#[ignore = "undefined behaviour: run by cargo xtask tsan, which expects a data race"]
fn broken_relaxed_drop_is_reported_as_a_race() {
    last_use_then_free::<broken_relaxed::RefCount<_>>();
}

// ANCHOR: control
/// The control: the same pointer with an Acquire *load* of the count where
/// the fixed one has the fence. The two are equally correct; TSan models
/// this one, and stays silent.
#[test]
#[ignore = "run by cargo xtask tsan, which expects no report"]
fn acquire_load_drop_is_clean() {
    last_use_then_free::<AcquireLoad<_>>();
}
// ANCHOR_END: control

/// std's `Arc` does the same under TSan: built with `cfg(sanitize = "thread")`, its `Drop`
/// uses an Acquire load instead of the fence (this runner rebuilds std with the sanitizer).
#[test]
#[ignore = "run by cargo xtask tsan, which expects no report"]
fn std_arc_drop_is_clean() {
    last_use_then_free::<StdArc<_>>();
}

/// `fixed::RefCount` with one change, for the control: the last owner's
/// `fence(Acquire)` becomes `count.load(Acquire)`, which is what std's `Arc` does under TSan.
struct AcquireLoad<T> {
    inner: NonNull<(AtomicUsize, T)>,
}

// SAFETY: as for `fixed::RefCount`: another thread may read the value (T: Sync) and may be
// the owner that drops it (T: Send).
unsafe impl<T: Send + Sync> Send for AcquireLoad<T> {}
// SAFETY: as for `fixed::RefCount`: sharing an owner lets another thread clone its own.
unsafe impl<T: Send + Sync> Sync for AcquireLoad<T> {}

impl<T> AcquireLoad<T> {
    fn inner(&self) -> &(AtomicUsize, T) {
        // SAFETY: while this owner exists the count is at least one: nobody freed the block.
        unsafe { self.inner.as_ref() }
    }
}

impl<T> Shared<T> for AcquireLoad<T> {
    fn new(value: T) -> Self {
        let inner = Box::new((AtomicUsize::new(1), value));
        AcquireLoad {
            inner: NonNull::from(Box::leak(inner)),
        }
    }

    fn get_mut(_: &mut Self) -> Option<&mut T> {
        unimplemented!("the TSan control never asks")
    }

    fn strong_count(this: &Self) -> usize {
        // Relaxed: a snapshot for the waiting loop; it pairs with nothing.
        this.inner().0.load(Ordering::Relaxed)
    }
}

impl<T> Clone for AcquireLoad<T> {
    fn clone(&self) -> Self {
        // Relaxed: as in `fixed::RefCount::clone`, the new owner needs nothing published.
        self.inner().0.fetch_add(1, Ordering::Relaxed);
        AcquireLoad { inner: self.inner }
    }
}

impl<T> Deref for AcquireLoad<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner().1
    }
}

impl<T> Drop for AcquireLoad<T> {
    fn drop(&mut self) {
        // Release: publishes this owner's uses to the owner that frees; pairs with the load.
        if self.inner().0.fetch_sub(1, Ordering::Release) != 1 {
            return;
        }
        // Acquire: reads the end of the release sequence that every other owner's Release
        // decrement belongs to, so their uses happen before the free (as the fence would).
        self.inner().0.load(Ordering::Acquire);
        // SAFETY: the count reached zero and the load ordered every other owner's uses first.
        drop(unsafe { Box::from_raw(self.inner.as_ptr()) });
    }
}

/// std's `Arc`, behind the chapter's trait so the same program runs on it.
struct StdArc<T>(Arc<T>);

impl<T> Clone for StdArc<T> {
    fn clone(&self) -> Self {
        StdArc(Arc::clone(&self.0))
    }
}

impl<T> Deref for StdArc<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> Shared<T> for StdArc<T> {
    fn new(value: T) -> Self {
        StdArc(Arc::new(value))
    }

    fn get_mut(this: &mut Self) -> Option<&mut T> {
        Arc::get_mut(&mut this.0)
    }

    fn strong_count(this: &Self) -> usize {
        Arc::strong_count(&this.0)
    }
}
