// The push-only stack with its compare-and-swap loop all Relaxed. The reader is right; the
// pusher's successful CAS publishes nothing.

use crate::cas::{NIL, PushOnly, SLOTS};
use crate::plain::Plain;
use support::sync::atomic::{AtomicUsize, Ordering};

/// One node: plain fields, written only before the node is pushed.
struct Node {
    value: Plain<u64>,
    next: Plain<usize>,
}

/// The stack: `head` is the index of the newest node, or `NIL`.
pub struct Stack {
    head: AtomicUsize,
    nodes: [Node; SLOTS],
}

impl PushOnly for Stack {
    fn new() -> Self {
        let node = || Node {
            value: Plain::new(0),
            next: Plain::new(NIL),
        };
        Stack {
            head: AtomicUsize::new(NIL),
            nodes: [node(), node()],
        }
    }

    // ANCHOR: push
    unsafe fn push(&self, slot: usize, value: u64) {
        let node = &self.nodes[slot];
        // SAFETY: the node is not on the list yet.
        unsafe { node.value.write(value) };
        let mut head = self.head.load(Ordering::Relaxed);
        loop {
            // SAFETY: the node is still unpublished.
            unsafe { node.next.write(head) };
            // ANCHOR: cas
            let attempt = self.head.compare_exchange_weak(
                head,
                slot,
                // "A CAS is atomic, and the loop retries until it wins: Relaxed is enough."
                Ordering::Relaxed,
                Ordering::Relaxed,
            );
            // ANCHOR_END: cas
            match attempt {
                Ok(_) => return,
                Err(actual) => head = actual,
            }
        }
    }
    // ANCHOR_END: push

    fn values(&self) -> Vec<u64> {
        let mut values = Vec::new();
        // Acquire, as in the fixed stack. It has no Release to pair with.
        let mut at = self.head.load(Ordering::Acquire);
        while at != NIL {
            let node = &self.nodes[at];
            // SAFETY: the node was pushed, so it is written. (Is the write visible?)
            unsafe {
                values.push(node.value.read());
                at = node.next.read();
            }
        }
        values
    }
}
