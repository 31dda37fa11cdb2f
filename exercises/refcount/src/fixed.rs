// The solution to `cargo xtask learn refcount`.

use crate::Shared;
use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::ops::Deref;
use std::ptr::NonNull;
use support::sync::atomic::{AtomicUsize, Ordering, fence};

// ANCHOR: layout
/// A thread-safe reference-counted pointer: `std::sync::Arc` without
/// weak pointers.
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
// SAFETY: with a &RefCount, another thread can clone its own owner,
// so sharing one needs exactly what sending one needs.
unsafe impl<T: Send + Sync> Sync for RefCount<T> {}
// ANCHOR_END: layout

/// Past this many owners `clone` aborts (the same limit as std's Arc).
const MAX_COUNT: usize = isize::MAX as usize;

impl<T> RefCount<T> {
    fn inner(&self) -> &Inner<T> {
        // SAFETY: while this owner exists the count is at least one, so
        // no one has freed the allocation.
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
        // Acquire: pairs with the Release decrement of every owner that
        // has gone, so their last uses happen before our writes. With
        // Relaxed here this was rust-lang/rust#51780.
        if this.inner().count.load(Ordering::Acquire) == 1 {
            // SAFETY: we hold the only owner, and `&mut this` means no
            // one can clone it, so no one else can reach the value.
            Some(unsafe { &mut (*this.inner.as_ptr()).value })
        } else {
            None
        }
    }
    // ANCHOR_END: get_mut

    fn strong_count(this: &Self) -> usize {
        // Relaxed: a snapshot to print or assert on; it pairs with nothing
        // and no access to the value depends on it.
        this.inner().count.load(Ordering::Relaxed)
    }

    // ANCHOR: try_unwrap
    /// The value, if `this` is its only owner; otherwise `this` back.
    fn try_unwrap(this: Self) -> Result<T, Self> {
        // Acquire: pairs with the Release decrement of every owner that
        // has gone, as in get_mut, so their uses happen before we take
        // the value.
        if this.inner().count.load(Ordering::Acquire) != 1 {
            return Err(this);
        }
        let this = ManuallyDrop::new(this);
        // SAFETY: we hold the only owner, by value, so no one can clone
        // it and the block is ours. ManuallyDrop keeps our own drop from
        // decrementing the count and freeing the block a second time.
        let inner = unsafe { Box::from_raw(this.inner.as_ptr()) };
        let Inner { value, .. } = *inner;
        Ok(value)
    }
    // ANCHOR_END: try_unwrap
}

impl<T> Deref for RefCount<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner().value
    }
}

// ANCHOR: clone
impl<T> Clone for RefCount<T> {
    fn clone(&self) -> Self {
        // Relaxed: pairs with nothing. We clone from an owner that
        // already keeps the value alive and visible to this thread; the
        // new owner needs nothing published to it.
        let old = self.inner().count.fetch_add(1, Ordering::Relaxed);
        if old > MAX_COUNT {
            // Owners leaked with mem::forget could wrap the count to 0
            // and free a live value. Abort, not panic: a caught panic
            // would let the loop go on, and other threads are cloning.
            std::process::abort();
        }
        RefCount {
            inner: self.inner,
            owns: PhantomData,
        }
    }
}
// ANCHOR_END: clone

// ANCHOR: drop
impl<T> Drop for RefCount<T> {
    fn drop(&mut self) {
        // Release: publishes this owner's uses of the value to the owner
        // that frees it; pairs with the fence(Acquire) below.
        if self.inner().count.fetch_sub(1, Ordering::Release) != 1 {
            return;
        }
        // Acquire: pairs with every other owner's Release decrement.
        // Each read-modify-write continues the release sequence, so our
        // fetch_sub read from all of them and the fence makes all their
        // uses happen before the free. Only the last owner pays for it.
        fence(Ordering::Acquire);
        // SAFETY: the count reached zero, so no owner is left, and the
        // fence ordered every other owner's uses before this point.
        drop(unsafe { Box::from_raw(self.inner.as_ptr()) });
    }
}
// ANCHOR_END: drop
