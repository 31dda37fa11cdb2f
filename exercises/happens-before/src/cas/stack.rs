//! A push-only stack whose compare-and-swap publishes each node.

use crate::cas::{NIL, PushOnly, SLOTS};
use crate::plain::Plain;
use support::sync::atomic::{AtomicUsize, Ordering};

/// One node: plain fields, written only before the node is pushed.
struct Node {
    value: Plain<u64>,
    next: Plain<usize>,
}

/// The stack: `head` is the index of the newest node, or [`NIL`].
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
        // SAFETY: the node is not on the list yet (per the caller), so no other thread
        // reaches it.
        unsafe { node.value.write(value) };
        // Relaxed: only a guess at the head; the CAS below checks it, and this thread never
        // reads through it.
        let mut head = self.head.load(Ordering::Relaxed);
        loop {
            // SAFETY: as above; the node is still unpublished.
            unsafe { node.next.write(head) };
            let attempt = self.head.compare_exchange_weak(
                head,
                slot,
                // Success, Release: pairs with the Acquire load in `values`; whoever reads
                // this head also sees the node's `value` and `next`.
                Ordering::Release,
                // Failure, Relaxed: a failed CAS publishes nothing, and we read nothing
                // through the value it returns; it is only the next guess.
                Ordering::Relaxed,
            );
            match attempt {
                Ok(_) => return,
                // Spurious or real, a failure changed nothing: try again from `actual`.
                Err(actual) => head = actual,
            }
        }
    }
    // ANCHOR_END: push

    // ANCHOR: values
    fn values(&self) -> Vec<u64> {
        let mut values = Vec::new();
        // Acquire: pairs with the Release of the push that wrote this head, and through the
        // release sequence with every earlier push (each later push is a read-modify-write
        // of `head`, which continues it).
        let mut at = self.head.load(Ordering::Acquire);
        while at != NIL {
            let node = &self.nodes[at];
            // SAFETY: the node's fields were written before the push that published it,
            // which happens before the Acquire load above; nobody writes them again.
            unsafe {
                values.push(node.value.read());
                at = node.next.read();
            }
        }
        values
    }
    // ANCHOR_END: values
}
