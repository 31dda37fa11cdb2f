//! An `UnsafeCell` with loom's closure-based API under both std and loom.
//!
//! loom can only see a plain (non-atomic) access if it goes through `with`/`with_mut`; that is
//! how it reports "Causality violation" when two accesses are not ordered by happens-before.
//! The std version has the same API and compiles to a bare pointer access.

#[cfg(loom)]
pub use loom::cell::UnsafeCell;

/// Interior mutability whose every access is visible to loom.
#[cfg(not(loom))]
#[derive(Debug, Default)]
pub struct UnsafeCell<T>(std::cell::UnsafeCell<T>);

#[cfg(not(loom))]
impl<T> UnsafeCell<T> {
    /// Wraps `value`.
    pub const fn new(value: T) -> Self {
        Self(std::cell::UnsafeCell::new(value))
    }

    /// Reads through a shared pointer; the caller guarantees no concurrent write.
    pub fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
        f(self.0.get())
    }

    /// Writes through a unique pointer; the caller guarantees no concurrent access.
    pub fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        f(self.0.get())
    }

    /// Unwraps the value.
    pub fn into_inner(self) -> T {
        self.0.into_inner()
    }
}
