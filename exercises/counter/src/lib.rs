//! Phase 4: a lock-free counter you can defend.
//!
//! - [`broken::Counter`]: the counter most people write first. It loses updates.
//! - [`fixed::Counter`]: one `fetch_add(1, Relaxed)`, and why Relaxed is enough.
//! - [`sharded::ShardedCounter`]: cache-padded shards, a power of two of them, each
//!   thread on its own, for heavy contention.
//! - `check`: the loom models that tell them apart (built only with `RUSTFLAGS="--cfg loom"`).
//! - [`asm`]: the increments, each in a function of its own, for `cargo xtask asm`'s table.

#[cfg(not(loom))]
pub mod asm;
pub mod broken;
#[cfg(loom)]
pub mod check;
pub mod fixed;
pub mod sharded;

/// What a counter offers. The checker is written once against this trait, so the broken
/// counter, the fixed one and a reader's attempt all face the same test.
pub trait Count: Send + Sync + 'static {
    /// A counter at zero.
    fn new() -> Self;
    /// Adds one.
    fn increment(&self);
    /// The current value.
    fn get(&self) -> u64;
}

/// The reader's attempt, copied from [`broken`] by `cargo xtask learn counter`. It is compiled only
/// when the learner loop sets `--cfg learner="counter"` (for this crate only, so chapter crates may
/// depend on each other), so a fresh clone never depends on it.
#[cfg(learner = "counter")]
pub mod attempt {
    include!(env!("LEARNER_ATTEMPT"));
}
