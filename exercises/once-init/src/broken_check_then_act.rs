// Check-then-act: "if nobody has initialised it, initialise it". Every access is atomic and the
// orderings are right, so there is no data race, and the initialiser still runs twice.

use crate::InitOnce;
use std::ptr;
use support::sync::atomic::{AtomicPtr, Ordering};

/// A lazily initialised value behind a pointer: null means "not done yet".
pub struct OnceCell<T> {
    value: AtomicPtr<T>,
}

// SAFETY: every thread that calls `get` gets a `&T` (so `T: Sync`), and
// the value may be made on one thread and dropped on another (`T: Send`).
unsafe impl<T: Send + Sync> Sync for OnceCell<T> {}

impl<T> InitOnce<T> for OnceCell<T> {
    fn new() -> Self {
        OnceCell {
            value: AtomicPtr::new(ptr::null_mut()),
        }
    }

    fn get(&self) -> Option<&T> {
        // Acquire: pairs with the Release store in `get_or_init`, so the
        // boxed value is visible once the pointer is.
        let value = self.value.load(Ordering::Acquire);
        // SAFETY: a non-null pointer came from `Box::into_raw` and is
        // freed only when the cell is dropped.
        unsafe { value.as_ref() }
    }

    // ANCHOR: check_then_act
    fn get_or_init<F: FnOnce() -> T>(&self, init: F) -> &T {
        // Check: has anybody initialised it?
        if let Some(value) = self.get() {
            return value;
        }
        // Act: nobody had, a moment ago. Another thread can be right here
        // too, running its own `init`.
        let fresh = Box::into_raw(Box::new(init()));
        // Mark done by publishing the pointer (Release: pairs with the
        // Acquire in `get`). This overwrites any value another thread
        // stored meanwhile; that one is leaked, since its caller holds a
        // reference to it.
        self.value.store(fresh, Ordering::Release);
        // SAFETY: `fresh` came from `Box::into_raw` just above.
        unsafe { &*fresh }
    }
    // ANCHOR_END: check_then_act
}

impl<T> Drop for OnceCell<T> {
    fn drop(&mut self) {
        // Relaxed: `&mut self` means every other access happened before.
        let value = self.value.load(Ordering::Relaxed);
        if !value.is_null() {
            // SAFETY: the pointer came from `Box::into_raw`; we are alone.
            drop(unsafe { Box::from_raw(value) });
        }
    }
}
