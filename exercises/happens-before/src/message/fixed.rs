// The solution to `cargo xtask learn happens-before`: the mailbox with its orderings paired,
// Release to publish and Acquire to claim.

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
        // SAFETY: the one sender (per the caller), and no receiver reads the payload before
        // it sees `ready`, which is stored below.
        unsafe { self.payload.write(value) };
        // Release: pairs with the Acquire load in `recv`. A receiver that reads this `true`
        // also sees every write sequenced before it: the payload.
        self.ready.store(true, Ordering::Release);
    }
    // ANCHOR_END: send

    // ANCHOR: recv
    fn recv(&self) -> Option<u64> {
        // Acquire: pairs with the Release store in `send`, so seeing `true` makes the
        // payload write happen before the read below.
        if self.ready.load(Ordering::Acquire) {
            // SAFETY: the write happens before this read (Release store read by this
            // Acquire load), and there is only one write.
            Some(unsafe { self.payload.read() })
        } else {
            None
        }
    }
    // ANCHOR_END: recv
}
