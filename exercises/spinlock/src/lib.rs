//! Phase 3: the spinlock that deadlocks only on ARM.
//!
//! - [`broken_weak::SpinLock`]: the lock as inherited. It reads a failed `compare_exchange_weak`
//!   as "somebody holds the lock" and parks until an unlock wakes it. A weak CAS may fail with
//!   nobody holding the lock; then no unlock ever comes. Miri finds it; loom cannot.
//! - [`broken_relaxed::SpinLock`]: a test-and-test-and-set lock whose lock, `try_lock` and
//!   unlock are all `Relaxed`, so the data it guards is not handed from one holder to the next.
//!   It is the learner's exercise.
//! - [`fixed::SpinLock`]: the same lock with Acquire on lock and Release on unlock, plus
//!   `try_lock` and a `const fn new`.
//! - `check`: the loom models that judge them (built only with `RUSTFLAGS="--cfg loom"`).
//! - [`asm`]: small functions that `cargo xtask asm` compiles for x86-64, AArch64 and ARMv7, so
//!   the lesson can show what the inherited lock's compare-and-swap becomes on each.

#[cfg(not(loom))]
pub mod asm;
pub mod broken_relaxed;
pub mod broken_weak;
#[cfg(loom)]
pub mod check;
pub mod fixed;

use std::ops::DerefMut;

// ANCHOR: trait
/// A lock around a value. The checker is written once against this trait,
/// so both broken locks, the fixed one and a reader's attempt all face the
/// same model.
pub trait Lock<T> {
    /// Proof that this thread holds the lock: it dereferences to the value
    /// and unlocks when dropped.
    type Guard<'a>: DerefMut<Target = T>
    where
        Self: 'a;

    /// An unlocked lock around `value`. (A trait method cannot be `const`;
    /// the fixed lock also has a `const fn new` of its own.)
    fn new(value: T) -> Self;

    /// Waits until no other thread holds the lock, then takes it.
    fn lock(&self) -> Self::Guard<'_>;
}
// ANCHOR_END: trait

/// A lock that can also be tried without waiting. The test-and-test-and-set locks (the
/// Relaxed one, the fixed one and a reader's attempt) have it; the inherited lock does not.
pub trait TryLock<T>: Lock<T> {
    /// Takes the lock if no other thread holds it; `None` if one does.
    fn try_lock(&self) -> Option<Self::Guard<'_>>;
}

/// The reader's attempt, copied from [`broken_relaxed`] by `cargo xtask learn spinlock`. It is
/// compiled only when the learner loop sets `--cfg learner="spinlock"` (for this crate only, so
/// chapter crates may depend on each other), so a fresh clone never depends on it.
#[cfg(learner = "spinlock")]
pub mod attempt {
    include!(env!("LEARNER_ATTEMPT"));
}
