// The mailbox with the sender's store weakened to Relaxed. `cargo xtask learn happens-before`
// copies this file to `exercises/happens-before/attempt.rs` for you to fix; the checker must
// reject it as shipped. The receiver is right. The sender is not.

use crate::message::OneShot;
use crate::plain::Plain;
use support::sync::atomic::{AtomicBool, Ordering};

/// A one-value mailbox: a plain payload and a flag that says it is there.
pub struct Mailbox {
    payload: Plain<u64>,
    ready: AtomicBool,
}

impl OneShot for Mailbox {
    fn new() -> Self {
        Mailbox {
            payload: Plain::new(0),
            ready: AtomicBool::new(false),
        }
    }

    // ANCHOR: send
    unsafe fn send(&self, value: u64) {
        // SAFETY: the one sender; receivers wait for `ready`. (Do they?)
        unsafe { self.payload.write(value) };
        // "The receiver uses Acquire, and the payload is written on the line above, so a
        // plain store of the flag is enough."
        self.ready.store(true, Ordering::Relaxed);
    }
    // ANCHOR_END: send

    fn recv(&self) -> Option<u64> {
        // Acquire, as in the fixed mailbox. It has nothing to pair with.
        if self.ready.load(Ordering::Acquire) {
            // SAFETY: `ready` is true, so the payload is written. (Is the write visible?)
            Some(unsafe { self.payload.read() })
        } else {
            None
        }
    }
}
