//! Lessons 6 and 7: hand a plain payload from one thread to another.
//!
//! - [`fixed::Mailbox`]: the payload is written, then `ready` is stored with Release; the
//!   receiver loads `ready` with Acquire and only then reads the payload.
//! - [`broken_relaxed_store::Mailbox`] (lesson 6): the sender's store is Relaxed. It is the
//!   learner's exercise.
//! - [`broken_relaxed_load::Mailbox`] (lesson 7): the receiver's load is Relaxed.
//! - [`stale`] (lesson 7): what an Acquire load that reads an older value gives you.

pub mod broken_relaxed_load;
pub mod broken_relaxed_store;
#[cfg(loom)]
pub mod check;
pub mod fixed;
pub mod stale;

use support::sync::Arc;
use support::thread;

/// What the sender sends.
pub const PAYLOAD: u64 = 42;

/// A mailbox that carries one value from one sender to any number of receivers.
pub trait OneShot: Send + Sync + 'static {
    /// An empty mailbox.
    fn new() -> Self;

    /// Puts `value` in the mailbox.
    ///
    /// # Safety
    /// At most one call per mailbox: two senders would write the payload at once.
    unsafe fn send(&self, value: u64);

    /// The value, if the sender's `send` is visible yet.
    fn recv(&self) -> Option<u64>;
}

// ANCHOR: exchange
/// One thread sends, another checks the mailbox once. Returns what the receiver got: `None`
/// if it looked too early, and otherwise, for a correct mailbox, always `Some(PAYLOAD)`.
pub fn exchange<M: OneShot>() -> Option<u64> {
    let mailbox = Arc::new(M::new());
    let sender = {
        let mailbox = Arc::clone(&mailbox);
        // SAFETY: the only sender.
        thread::spawn(move || unsafe { mailbox.send(PAYLOAD) })
    };
    let receiver = {
        let mailbox = Arc::clone(&mailbox);
        thread::spawn(move || mailbox.recv())
    };
    sender.join().unwrap();
    receiver.join().unwrap()
}
// ANCHOR_END: exchange
