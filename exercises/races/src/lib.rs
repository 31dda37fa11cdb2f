//! Phase 1: a data race and a race condition are not the same bug.
//!
//! - [`broken_data_race::RacyCounter`]: two threads bump a plain `u64`. That is a **data race**:
//!   undefined behaviour, whatever the result looks like.
//! - [`broken_check_then_act::Balance`]: every access is atomic (and SeqCst), so there is no
//!   data race, and a withdrawal can still overdraw the account. That is a **race condition**.
//!   It is the learner's exercise.
//! - [`broken_volatile::VolatileMailbox`]: a payload published through volatile reads and writes.
//!   Volatile is not atomic and orders nothing between threads: a data race again.
//! - [`fixed_counter`], [`fixed_withdraw`] and [`fixed_publish`]: the fixes.
//! - `check`: the loom models that tell them apart (built only with `RUSTFLAGS="--cfg loom"`).

pub mod broken_check_then_act;
pub mod broken_data_race;
pub mod broken_volatile;
#[cfg(loom)]
pub mod check;
pub mod fixed_counter;
pub mod fixed_publish;
pub mod fixed_withdraw;

/// A counter that many threads bump at once: the counter chapter's trait, so the racy counter
/// and its fixes face that chapter's loom model (`counter::check::two_increments`).
pub use counter::Count;

// ANCHOR: account_trait
/// A balance that many threads withdraw from at once. It must never go below zero.
pub trait Account: Sized {
    /// An account holding `balance`.
    fn new(balance: i64) -> Self;
    /// Takes `amount` if the balance covers it, and says whether it did.
    fn withdraw(&self, amount: i64) -> bool;
    /// The balance now.
    fn balance(&self) -> i64;
}
// ANCHOR_END: account_trait

/// A one-shot mailbox: one thread puts a value in once, another looks for it.
pub trait Mailbox: Sized {
    /// An empty mailbox.
    fn new() -> Self;
    /// Puts `value` in. Called once, by one thread.
    fn publish(&self, value: u64);
    /// The value, if it has been published.
    fn try_read(&self) -> Option<u64>;
}

/// The reader's attempt, copied from [`broken_check_then_act`] by `cargo xtask learn races`. It is
/// compiled only when the learner loop sets `--cfg learner="races"` (for this crate only, so
/// chapter crates may depend on each other), so a fresh clone never depends on it.
#[cfg(learner = "races")]
pub mod attempt {
    include!(env!("LEARNER_ATTEMPT"));
}
