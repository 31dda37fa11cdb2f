//! A plain, non-atomic memory location that several threads may reach.

use support::cell::UnsafeCell;

// ANCHOR: plain
/// One non-atomic location, such as a field that two threads both reach.
///
/// Every read and write goes through `support::cell::UnsafeCell`, so under loom each access is
/// checked against happens-before: two accesses, at least one a write, that no chain of
/// happens-before edges orders are reported as "Causality violation". On real threads an access
/// is a bare load or store, and Miri's data-race detector checks the same rule.
pub struct Plain<T>(UnsafeCell<T>);
// ANCHOR_END: plain

// SAFETY: a `Plain` only moves copies of `T` in and out, so sharing it sends `T` values
// between threads (`T: Send`). That two accesses never race is the promise each caller of
// `read` and `write` makes; the lessons' broken programs are the ones that break it.
unsafe impl<T: Send> Sync for Plain<T> {}

impl<T: Copy> Plain<T> {
    /// A location holding `value`.
    #[track_caller] // loom's report names where the location was made
    pub fn new(value: T) -> Self {
        Plain(UnsafeCell::new(value))
    }

    /// Stores `value`.
    ///
    /// # Safety
    /// Every other access to this location happens before this write or after it.
    #[track_caller] // loom's report names the caller's line, not this one.
    pub unsafe fn write(&self, value: T) {
        // SAFETY: per the caller, nothing else touches the location during this write.
        self.0.with_mut(|slot| unsafe { *slot = value });
    }

    /// Loads the value.
    ///
    /// # Safety
    /// Every write to this location happens before this read or after it.
    #[track_caller] // as for `write`
    pub unsafe fn read(&self) -> T {
        // SAFETY: per the caller, no write to the location is concurrent with this read.
        self.0.with(|slot| unsafe { *slot })
    }
}
