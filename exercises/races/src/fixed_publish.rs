// The fix for the volatile mailbox: the flag becomes an atomic, stored with Release and loaded
// with Acquire. The payload stays plain memory; the flag's happens-before edge is what makes
// reading it safe.

use crate::Mailbox;
use support::cell::UnsafeCell;
use support::sync::atomic::{AtomicBool, Ordering};

// ANCHOR: volatile_fixed
/// A payload published by a Release store of an atomic flag.
pub struct AtomicFlagMailbox {
    ready: AtomicBool,
    payload: UnsafeCell<u64>,
}

// SAFETY: the payload is written once, before `ready` is stored with
// Release, and read only after `ready` is seen with Acquire, so the write
// happens before every read and no access races with another.
unsafe impl Sync for AtomicFlagMailbox {}

impl Mailbox for AtomicFlagMailbox {
    fn new() -> Self {
        AtomicFlagMailbox {
            ready: AtomicBool::new(false),
            payload: UnsafeCell::new(0),
        }
    }

    fn publish(&self, value: u64) {
        // SAFETY: `publish` is called once, and no reader touches the
        // payload before it sees `ready`, which is stored after this.
        self.payload.with_mut(|p| unsafe { p.write(value) });
        // Release: publishes the payload write above. Pairs with the
        // Acquire load in `try_read`.
        self.ready.store(true, Ordering::Release);
    }

    fn try_read(&self) -> Option<u64> {
        // Acquire: pairs with the Release store in `publish`. Seeing
        // `true` then also means seeing the payload.
        if self.ready.load(Ordering::Acquire) {
            // SAFETY: the write happened before this read (see above), and
            // nobody writes the payload again.
            Some(self.payload.with(|p| unsafe { p.read() }))
        } else {
            None
        }
    }
}
// ANCHOR_END: volatile_fixed
