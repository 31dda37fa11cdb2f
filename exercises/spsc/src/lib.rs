//! Phase 3: the SPSC queue that drops messages under load.
//!
//! A bounded single-producer single-consumer ring buffer, split into a [`Push`] half and a
//! [`Pop`] half that live on two threads.
//!
//! - [`broken_relaxed`]: the right ring with Relaxed positions. It passes every test on x86 and
//!   reads slots before they are written on ARM. It is the learner's exercise.
//! - [`broken_index`]: positions that wrap at the capacity, so a full ring looks empty and the
//!   producer writes over messages nobody has read.
//! - [`fixed`]: Release/Acquire positions, a cached copy of the other side's position, and
//!   each position on its own cache line; a batch API (`write_chunk` / `read_chunk`) that hands
//!   over many slots with one store.
//! - [`ablation`]: the fixed queue without the cached copies, and with `head` and `tail` 128,
//!   64 or 8 bytes apart, for the benchmark that measures what each is worth.
//! - [`check`]: the scenarios that tell them apart: loom models (built only with
//!   `RUSTFLAGS="--cfg loom"`), and one run of the stalled-consumer scenario for real threads.

pub mod ablation;
pub mod broken_index;
pub mod broken_relaxed;
pub mod check;
pub mod chunks;
pub mod fixed;
mod link;

// ANCHOR: traits
/// The producer's half of a queue. The checker is written once against
/// these two traits, so both broken queues, the fixed one and a reader's
/// attempt all face the same models.
pub trait Push<T>: Send + Sized {
    /// The other half.
    type Consumer: Pop<T>;

    /// A queue that holds up to `capacity` values, as its two halves.
    ///
    /// # Panics
    /// If `capacity` is zero, or (for the queues that round it up to a power
    /// of two) above the largest power of two a `usize` holds.
    fn channel(capacity: usize) -> (Self, Self::Consumer);

    /// Appends `value`, or hands it back if the queue is full.
    fn push(&mut self, value: T) -> Result<(), T>;
}

/// The consumer's half of a queue.
pub trait Pop<T>: Send {
    /// The oldest value, or `None` if the queue is empty.
    fn pop(&mut self) -> Option<T>;
}
// ANCHOR_END: traits

/// The reader's attempt, copied from [`broken_relaxed`] by `cargo xtask learn spsc`. It is compiled
/// only when the learner loop sets `--cfg learner="spsc"` (for this crate only, so chapter crates
/// may depend on each other), so a fresh clone never depends on it.
#[cfg(learner = "spsc")]
pub mod attempt {
    include!(env!("LEARNER_ATTEMPT"));
}
