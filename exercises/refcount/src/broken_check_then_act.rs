// Decrement first, then look at the count in a second step. The orderings are the strong ones,
// and it still frees twice: two owners can both see zero.
//
// The decision is its own function, `leave`, so that the checkers can run it on real threads
// and under loom without anything being freed: the crate never lets this pointer free twice,
// because a second free is undefined behaviour whatever runs it. `litmus/check-then-act.litmus`
// reads `leave` too.

use crate::Shared;
use std::marker::PhantomData;
use std::ops::Deref;
use std::ptr::NonNull;
use support::sync::atomic::{AtomicUsize, Ordering};

/// A reference-counted pointer that checks the count after decrementing.
pub struct RefCount<T> {
    inner: NonNull<Inner<T>>,
    // Tells the drop checker that a RefCount may drop a T.
    owns: PhantomData<Inner<T>>,
}

struct Inner<T> {
    count: AtomicUsize,
    value: T,
}

// SAFETY: as for the fixed pointer: sending or sharing an owner lets
// another thread read the T and maybe drop it.
unsafe impl<T: Send + Sync> Send for RefCount<T> {}
// SAFETY: as above.
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

    fn get_mut(this: &mut Self) -> Option<&mut T> {
        // As in the fixed pointer: not where this one goes wrong.
        if this.inner().count.load(Ordering::Acquire) == 1 {
            // SAFETY: we hold the only owner.
            Some(unsafe { &mut (*this.inner.as_ptr()).value })
        } else {
            None
        }
    }

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
        if leave(&self.inner().count) {
            // SAFETY: (claimed) the count is zero: no owner is left.
            drop(unsafe { Box::from_raw(self.inner.as_ptr()) });
        }
    }
}

// ANCHOR: leave
/// Gives up one owner's share of `count`: was it the last one?
pub fn leave(count: &AtomicUsize) -> bool {
    // Release and Acquire, as the fixed pointer uses them (SeqCst would
    // not help either): the bug is the gap between the two lines.
    count.fetch_sub(1, Ordering::Release);
    let left = count.load(Ordering::Acquire);
    left == 0
}
// ANCHOR_END: leave
// ANCHOR_END: drop
