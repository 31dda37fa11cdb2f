//! Phase 3: the once-init that double-runs on two cores.
//!
//! - [`broken_check_then_act::OnceCell`]: "if not done, initialise, then mark done". Every
//!   access is atomic and correctly ordered, and the initialiser still runs twice.
//! - [`broken_relaxed::OnceCell`]: a compare-and-swap state machine that runs the initialiser
//!   once, but publishes the value with Relaxed orderings. It is the learner's exercise.
//! - [`fixed::OnceCell`]: the same state machine with the orderings that publish the value.
//! - `check`: the loom models that tell them apart (built only with `RUSTFLAGS="--cfg loom"`).
//! - `waiters`: where the compare-and-swap cells park the threads that wait for an initialiser,
//!   and how they tell a reentrant call from a wait.

pub mod broken_check_then_act;
pub mod broken_relaxed;
#[cfg(loom)]
pub mod check;
pub mod fixed;
mod waiters;

// ANCHOR: trait
/// A cell written at most once. The checker is written once against this
/// trait, so both broken cells, the fixed one and a reader's attempt all
/// face the same models.
pub trait InitOnce<T>: Sized {
    /// An empty cell. Not `const`: loom's atomics cannot be built in a
    /// `static`, so every cell here is an ordinary value (share it with
    /// `Arc` or a scoped thread).
    fn new() -> Self;

    /// The value, if some thread has finished initialising the cell.
    fn get(&self) -> Option<&T>;

    /// The value, running `init` first if nobody has. Every caller gets the
    /// same value, and `init` runs only if no value is stored yet.
    fn get_or_init<F: FnOnce() -> T>(&self, init: F) -> &T;

    /// Stores `value` if the cell is empty; otherwise hands it back.
    fn set(&self, value: T) -> Result<(), T> {
        let mut value = Some(value);
        self.get_or_init(|| value.take().expect("init runs at most once"));
        match value {
            None => Ok(()),
            Some(unused) => Err(unused),
        }
    }
}
// ANCHOR_END: trait

/// The reader's attempt, copied from [`broken_relaxed`] by `cargo xtask learn once-init`. It is
/// compiled only when the learner loop sets `--cfg learner="once-init"` (for this crate only, so
/// chapter crates may depend on each other), so a fresh clone never depends on it.
#[cfg(learner = "once-init")]
pub mod attempt {
    include!(env!("LEARNER_ATTEMPT"));
}
