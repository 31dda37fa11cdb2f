//! The bug: push publishes its node with a Relaxed CAS, so the popper may see the node
//! before the value written into it.

use crate::{Node, free_list};
use support::sync::atomic::{AtomicPtr, Ordering};

pub struct Stack {
    head: AtomicPtr<Node>,
}

impl crate::Stack for Stack {
    fn new() -> Self {
        Stack {
            head: AtomicPtr::new(std::ptr::null_mut()),
        }
    }

    // ANCHOR: broken_push
    fn push(&self, value: u32) {
        let node = Node::boxed(value);
        // Relaxed: the head is only a guess; the CAS below checks it.
        let mut head = self.head.load(Ordering::Relaxed);
        loop {
            // SAFETY: `node` is not published yet; only this thread can reach it.
            unsafe { (*node).next = head };
            // BUG: Relaxed on success publishes the node without its contents: the popper's
            // Acquire has no Release to pair with.
            match self
                .head
                .compare_exchange_weak(head, node, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => return,
                Err(current) => head = current,
            }
        }
    }
    // ANCHOR_END: broken_push

    fn pop(&self) -> Option<u32> {
        // Acquire: meant to pair with a Release in push, which this push lacks (the bug).
        let mut head = self.head.load(Ordering::Acquire);
        loop {
            if head.is_null() {
                return None;
            }
            // SAFETY: only one thread pops, so `head` cannot be freed under us.
            let next = unsafe { (*head).next };
            // Acquire on failure too: the new head it returns is dereferenced next time round.
            match self
                .head
                .compare_exchange_weak(head, next, Ordering::Acquire, Ordering::Acquire)
            {
                Ok(_) => {
                    // SAFETY: the node is unlinked and only this thread pops, so it is ours.
                    let node = unsafe { Box::from_raw(head) };
                    return Some(node.value.with(|value| unsafe { *value }));
                }
                Err(current) => head = current,
            }
        }
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        free_list(&self.head);
    }
}
