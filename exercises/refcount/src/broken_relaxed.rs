// A reference count whose decrement is Relaxed. `cargo xtask learn refcount` copies this file to
// `exercises/refcount/attempt.rs` for you to fix; the checker must reject it as shipped.

use crate::Shared;
use std::marker::PhantomData;
use std::ops::Deref;
use std::ptr::NonNull;
use support::sync::atomic::{AtomicUsize, Ordering};

/// A thread-safe reference-counted pointer... or so it seems.
pub struct RefCount<T> {
    inner: NonNull<Inner<T>>,
    // Tells the drop checker that a RefCount may drop a T.
    owns: PhantomData<Inner<T>>,
}

struct Inner<T> {
    count: AtomicUsize,
    value: T,
}

// SAFETY: a RefCount sent to another thread lets that thread read the T
// (so T: Sync) and maybe be the owner that drops it (so T: Send).
unsafe impl<T: Send + Sync> Send for RefCount<T> {}
// SAFETY: with a &RefCount, another thread can clone its own owner.
unsafe impl<T: Send + Sync> Sync for RefCount<T> {}

impl<T> RefCount<T> {
    fn inner(&self) -> &Inner<T> {
        // SAFETY: while this owner exists the count is at least one.
        unsafe { self.inner.as_ref() }
    }
}

impl<T> Shared<T> for RefCount<T> {
    fn new(value: T) -> Self {
        let inner = Box::new(Inner {
            count: AtomicUsize::new(1),
            value,
        });
        RefCount {
            inner: NonNull::from(Box::leak(inner)),
            owns: PhantomData,
        }
    }

    // ANCHOR: get_mut
    fn get_mut(this: &mut Self) -> Option<&mut T> {
        // "The count is atomic, so any ordering will do."
        if this.inner().count.load(Ordering::Relaxed) == 1 {
            // SAFETY: (claimed) we hold the only owner.
            Some(unsafe { &mut (*this.inner.as_ptr()).value })
        } else {
            None
        }
    }
    // ANCHOR_END: get_mut

    fn strong_count(this: &Self) -> usize {
        this.inner().count.load(Ordering::Relaxed)
    }
}

impl<T> Deref for RefCount<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner().value
    }
}

impl<T> Clone for RefCount<T> {
    fn clone(&self) -> Self {
        self.inner().count.fetch_add(1, Ordering::Relaxed);
        RefCount {
            inner: self.inner,
            owns: PhantomData,
        }
    }
}

// ANCHOR: drop
impl<T> Drop for RefCount<T> {
    fn drop(&mut self) {
        // "fetch_sub is atomic: exactly one owner sees 1, so exactly
        // one owner frees. Relaxed is the fastest ordering."
        if self.inner().count.fetch_sub(1, Ordering::Relaxed) == 1 {
            // SAFETY: (claimed) the count reached zero: no owner is left.
            drop(unsafe { Box::from_raw(self.inner.as_ptr()) });
        }
    }
}
// ANCHOR_END: drop
