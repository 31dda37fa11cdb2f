// The mailbox with the receiver's load weakened to Relaxed. The sender is right. The receiver
// is not.

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

    unsafe fn send(&self, value: u64) {
        // SAFETY: the one sender; receivers wait for `ready`.
        unsafe { self.payload.write(value) };
        // Release, as in the fixed mailbox.
        self.ready.store(true, Ordering::Release);
    }

    // ANCHOR: recv
    fn recv(&self) -> Option<u64> {
        // "The sender already used Release, so the flag is published properly; we only
        // need to read it."
        if self.ready.load(Ordering::Relaxed) {
            // SAFETY: `ready` is true, so the payload is written. (Is the write visible?)
            Some(unsafe { self.payload.read() })
        } else {
            None
        }
    }
    // ANCHOR_END: recv
}
