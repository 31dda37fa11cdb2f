//! Phase 3: the reference count that crashes during destruction.
//!
//! - [`broken_relaxed::RefCount`]: an `Arc` whose decrement is Relaxed. The free races with
//!   another owner's last use of the value (a data race, caught by loom and by Miri).
//! - [`broken_check_then_act::RefCount`]: decrements, then loads the count in a separate step
//!   ([`broken_check_then_act::leave`]). Two owners can both see zero and both free (a race
//!   condition, whatever the orderings). The checkers run `leave` alone, so nothing is ever
//!   freed twice.
//! - [`fixed::RefCount`]: `fetch_sub(Release)`, then `fence(Acquire)` in the last owner, and
//!   an Acquire load in `get_mut` (rust-lang/rust#51780) and `try_unwrap`. No `Weak`.
//! - [`harness`]: the payloads the checkers watch and count (the story's config, whose
//!   handlers write through a lock and whose destructor reads without one), and the loom tests'
//!   allocator.
//! - `check`: the loom models (built only with `RUSTFLAGS="--cfg loom"`).
//!
//! The model checker's programs for the chapter's outcome claims are in `litmus/`, checked by
//! `tests/model.rs`.

use std::ops::Deref;

pub mod broken_check_then_act;
pub mod broken_relaxed;
#[cfg(loom)]
pub mod check;
pub mod fixed;
pub mod harness;

/// What a shared, reference-counted pointer offers (the `Arc` API without weak pointers).
///
/// The checker is written once against this trait, so the broken pointers, the fixed one and
/// a reader's attempt all face the same models. `Clone` makes another owner, `Deref` reads the
/// value, and dropping the last owner drops the value.
pub trait Shared<T>: Clone + Deref<Target = T> {
    /// A pointer to a new allocation holding `value`, with one owner.
    fn new(value: T) -> Self;
    /// The value, mutably, if `this` is its only owner.
    fn get_mut(this: &mut Self) -> Option<&mut T>;
    /// How many owners there are right now (a snapshot: it may change at once).
    fn strong_count(this: &Self) -> usize;
    /// The value, if `this` is its only owner; otherwise `this` back. The default never takes
    /// the value: always safe, never useful. The fixed pointer overrides it; the broken ones
    /// and a reader's attempt need not.
    fn try_unwrap(this: Self) -> Result<T, Self>
    where
        Self: Sized,
    {
        Err(this)
    }
}

/// The reader's attempt, copied from [`broken_relaxed`] by `cargo xtask learn refcount`. It is
/// compiled only when the learner loop sets `--cfg learner="refcount"` (for this crate only, so
/// chapter crates may depend on each other), so a fresh clone never needs it.
#[cfg(learner = "refcount")]
pub mod attempt {
    include!(env!("LEARNER_ATTEMPT"));
}
