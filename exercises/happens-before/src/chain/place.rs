//! A plain location that a thread function takes as a parameter and uses with `*`, the way C
//! code uses a pointer: `*data = 42;` writes it, `let v = *data;` reads it.
//!
//! The lesson 5 wrapper, [`Plain`](crate::plain::Plain), reads and writes through methods.
//! This handle spells the same plain accesses with `*`, which is also how a litmus file spells
//! them, so the model checker reads the chain's thread functions unchanged
//! (`litmus/chain.litmus`). Every access still goes through `support::cell::UnsafeCell`, so
//! loom checks it against happens-before exactly as it checks `Plain`'s.

use core::ops::{Deref, DerefMut};
use support::cell::UnsafeCell;

/// A `T` that several threads reach, not atomic.
pub struct Location<T>(UnsafeCell<T>);

// SAFETY: a `Location` only moves `T` values in and out, so sharing it sends `T`s between
// threads (`T: Send`). That no two accesses race is what each `Location::place` caller
// promises.
unsafe impl<T: Send> Sync for Location<T> {}

impl<T> Location<T> {
    /// A location holding `value`.
    #[track_caller] // loom's report names where the location was made
    pub fn new(value: T) -> Self {
        Location(UnsafeCell::new(value))
    }

    /// A handle through which one thread reads (`*place`) and writes (`*place = v`) the
    /// location.
    ///
    /// # Safety
    /// Of any two accesses to the location made through handles, at least one a write, one
    /// happens before the other; and no reference that `*` produces is kept past the
    /// statement that made it.
    pub unsafe fn place(&self) -> Place<'_, T> {
        Place(&self.0)
    }
}

/// One thread's way into a [`Location`]: `*place` is a plain read or write of it.
pub struct Place<'a, T>(&'a UnsafeCell<T>);

impl<T> Deref for Place<'_, T> {
    type Target = T;

    /// A plain read, which loom checks when `*place` runs: the reference is used at once, with
    /// no other thread's step in between (per [`Location::place`]'s contract).
    #[track_caller] // loom's report names the line with the `*`, not this one
    fn deref(&self) -> &T {
        // SAFETY: no write to the location is concurrent with this read (the contract of
        // `Location::place`), and the reference does not outlive the caller's statement.
        self.0.with(|slot| unsafe { &*slot })
    }
}

impl<T> DerefMut for Place<'_, T> {
    /// A plain write, checked by loom when `*place = v` runs.
    #[track_caller] // as for `deref`
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: no other access to the location is concurrent with this write (the
        // contract of `Location::place`), and the reference does not outlive the statement.
        self.0.with_mut(|slot| unsafe { &mut *slot })
    }
}
