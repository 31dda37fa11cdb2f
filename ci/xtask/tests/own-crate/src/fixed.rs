//! The stack as it should be: Release when a node is published, Acquire when it is taken.

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

    fn push(&self, value: u32) {
        let node = Node::boxed(value);
        // Relaxed: the head is only a guess; the CAS below checks it.
        let mut head = self.head.load(Ordering::Relaxed);
        loop {
            // SAFETY: `node` is not published yet; only this thread can reach it.
            unsafe { (*node).next = head };
            // Release on success: pairs with pop's Acquire loads, so the popper that finds
            // this node also sees its value and `next`. Relaxed on failure: nothing is read.
            match self
                .head
                .compare_exchange_weak(head, node, Ordering::Release, Ordering::Relaxed)
            {
                Ok(_) => return,
                Err(current) => head = current,
            }
        }
    }

    fn pop(&self) -> Option<u32> {
        // Acquire: pairs with push's Release, so the node's fields are visible.
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
