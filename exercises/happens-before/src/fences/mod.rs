//! Fences (lesson 7, "Going further"): the mailbox of lessons 6 and 7 with a fence standing in
//! for the Release store, the Acquire load, or both.
//!
//! - [`fenced`]: the two senders (a Release store; a Release fence, then a Relaxed store) and
//!   the two waiting receivers (Acquire loads; Relaxed loads, then one Acquire fence). Every
//!   pairing of a sender with a receiver hands the payload over.
//! - [`broken_fence_first`]: the Acquire fence on the wrong side of the load, where it claims
//!   nothing.
//! - [`sb`]: store buffering with Acquire/Release fences, which do not forbid what SeqCst
//!   fences forbid.
//!
//! The litmus files `litmus/fence-*.litmus` and `litmus/sb-fence-acqrel.litmus` are the model
//! checker's copies of these programs, with each receiver's loop unrolled to the load that
//! reads the flag (`tests/model_acquire.rs`). `tests/loom_fences.rs` runs the hand-overs,
//! loops included, under loom, and `tests/stress_fences.rs` on real threads.

pub mod broken_fence_first;
#[cfg(loom)]
pub mod check;
pub mod fenced;
pub mod sb;

use crate::plain::Plain;
use support::sync::Arc;
use support::sync::atomic::AtomicBool;
use support::thread;

/// What every sender sends.
pub const PAYLOAD: u64 = 42;

/// A plain payload and the flag that says it is there, as in lessons 6 and 7. Its senders and
/// receivers are free functions, so that each can be paired with each.
pub struct Mailbox {
    pub(crate) payload: Plain<u64>,
    pub(crate) ready: AtomicBool,
}

impl Mailbox {
    /// An empty mailbox.
    pub fn new() -> Self {
        Mailbox {
            payload: Plain::new(0),
            ready: AtomicBool::new(false),
        }
    }
}

impl Default for Mailbox {
    fn default() -> Self {
        Self::new()
    }
}

/// A sender: writes the payload and raises the flag.
///
/// # Safety
/// At most one call per mailbox.
pub type Sender = unsafe fn(&Mailbox, u64);

/// A receiver that waits until the flag is raised, then returns the payload.
pub type Receiver = fn(&Mailbox) -> u64;

// ANCHOR: hand_over
/// A spawned thread sends [`PAYLOAD`] with `send`; the calling thread waits for it with
/// `wait`. Returns what the waiting thread read.
pub fn hand_over(send: Sender, wait: Receiver) -> u64 {
    let mailbox = Arc::new(Mailbox::new());
    let sender = {
        let mailbox = Arc::clone(&mailbox);
        // SAFETY: the only sender.
        thread::spawn(move || unsafe { send(&mailbox, PAYLOAD) })
    };
    let got = wait(&mailbox);
    sender.join().unwrap();
    got
}
// ANCHOR_END: hand_over
