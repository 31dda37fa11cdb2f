//! Phase 2: happens-before on paper. Each lesson's claim is a tiny program that runs on real
//! threads, under loom (`RUSTFLAGS="--cfg loom"`) and under Miri.
//!
//! - [`graph`] (lesson 5): two plain accesses are ordered only by a chain of happens-before
//!   edges; being spawned first is not one.
//! - [`message`] (lessons 6 and 7): a mailbox that hands a plain payload from one thread to
//!   another, with the Release store (lesson 6) or the Acquire load (lesson 7) weakened to
//!   Relaxed, and what an Acquire load that reads an older value gives you.
//! - [`chain`] (lesson 6): a Release store hands on what its thread acquired (A → B → C), and
//!   a release sequence continued by another thread's Relaxed `fetch_add`.
//! - [`fences`] (lesson 7): an Acquire fence after a Relaxed loop, a Release fence before a
//!   Relaxed store, fence-to-fence synchronization, and a fence on the wrong side.
//! - [`cas`] (lesson 8): a compare-and-swap loop that publishes a node, with the right and the
//!   wrong success ordering, the rules for failure orderings, and a hand-off whose middle
//!   read-modify-write needs AcqRel.
//! - [`relaxed`] (lesson 9): where Relaxed is right (a statistics counter, a stop flag, unique
//!   IDs) and where it is not (a completion count that publishes results).
//! - [`coherence`] (lesson 9): the four coherence rules every atomic location keeps, whatever
//!   the ordering.
//!
//! Files whose names contain `broken` hold the bug; every other file defends each ordering.

pub mod cas;
pub mod chain;
pub mod coherence;
pub mod fences;
pub mod graph;
pub mod message;
pub mod plain;
pub mod relaxed;

/// The reader's attempt at lesson 6's mailbox, copied from [`message::broken_relaxed_store`] by
/// `cargo xtask learn happens-before`. It is compiled only when the learner loop sets
/// `--cfg learner="happens-before"` (for this crate only, so chapter crates may depend on each
/// other), so a fresh clone never depends on it.
#[cfg(learner = "happens-before")]
pub mod attempt {
    include!(env!("LEARNER_ATTEMPT"));
}
