// Publishing a value through volatile reads and writes, as C programmers once did (and some
// still do). The writer stores the payload, then sets a flag; the reader polls the flag and,
// once it is set, reads the payload. Volatile keeps the compiler from removing or merging those
// accesses. It does not make them atomic, and it orders nothing between threads: both the flag
// and the payload are data races, which is undefined behaviour.

use crate::Mailbox;
use std::ptr;
use support::cell::UnsafeCell;

/// A payload and a "ready" flag, both plain memory accessed only with volatile.
pub struct VolatileMailbox {
    ready: UnsafeCell<bool>,
    payload: UnsafeCell<u64>,
}

// SAFETY: none. "Volatile means every access really goes to memory, so
// the other thread sees it." That is not what volatile promises.
unsafe impl Sync for VolatileMailbox {}

impl Mailbox for VolatileMailbox {
    fn new() -> Self {
        VolatileMailbox {
            ready: UnsafeCell::new(false),
            payload: UnsafeCell::new(0),
        }
    }

    // ANCHOR: volatile_publish
    fn publish(&self, value: u64) {
        // SAFETY: none; a plain write another thread may read at once.
        self.payload
            .with_mut(|p| unsafe { ptr::write_volatile(p, value) });
        // "Volatile writes are not reordered with each other, so the flag
        // goes out after the payload." Only as far as this compiler knows.
        // SAFETY: none; the reader polls this flag while we write it.
        self.ready
            .with_mut(|p| unsafe { ptr::write_volatile(p, true) });
    }

    fn try_read(&self) -> Option<u64> {
        // SAFETY: none; the writer may be writing the flag right now.
        if self.ready.with(|p| unsafe { ptr::read_volatile(p) }) {
            // SAFETY: none; nothing orders the writer's payload write
            // before this read.
            Some(self.payload.with(|p| unsafe { ptr::read_volatile(p) }))
        } else {
            None
        }
    }
    // ANCHOR_END: volatile_publish
}
