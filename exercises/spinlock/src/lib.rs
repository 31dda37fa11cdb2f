//! Phase 3: the spinlock that deadlocks only on ARM.
//!
//! - [`broken_weak::SpinLock`]: the lock as inherited. It reads a failed `compare_exchange_weak`
//!   as "somebody holds the lock" and parks until an unlock wakes it. A weak CAS may fail with
//!   nobody holding the lock; then no unlock ever comes. Miri finds it; loom cannot.
//! - [`broken_relaxed::SpinLock`]: a test-and-test-and-set lock whose lock and unlock are both
//!   `Relaxed`, so the data it guards is not handed from one holder to the next. It is the
//!   learner's exercise.
//! - [`fixed::SpinLock`]: the same lock with Acquire on lock and Release on unlock.
//! - `check`: the loom model that judges them (built only with `RUSTFLAGS="--cfg loom"`).

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

    /// An unlocked lock around `value`. Not `const`: loom's atomics cannot
    /// be built in a `static`, so every lock here is an ordinary value.
    fn new(value: T) -> Self;

    /// Waits until no other thread holds the lock, then takes it.
    fn lock(&self) -> Self::Guard<'_>;
}
// ANCHOR_END: trait

/// The reader's attempt, copied from [`broken_relaxed`] by `cargo xtask learn spinlock`. It is
/// compiled only when the learner loop sets `--cfg learner`, so a fresh clone never depends on
/// it.
#[cfg(learner)]
pub mod attempt {
    include!(env!("LEARNER_ATTEMPT"));
}
