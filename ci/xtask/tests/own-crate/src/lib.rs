//! A Treiber stack, twice: [`broken::Stack`] publishes a new node with a Relaxed
//! compare-and-swap, [`fixed::Stack`] with a Release one that pop's Acquire load pairs with.
//!
//! Both allow any number of pushers and **one** popper: with two poppers, one could free a
//! node the other is still reading (the stack would need a reclamation scheme, which is a
//! different lesson). The checks in `tests/loom.rs` respect that.

pub mod broken;
pub mod fixed;

use support::cell::UnsafeCell;
use support::sync::atomic::{AtomicPtr, Ordering};

/// What both stacks offer, so that one model judges both.
pub trait Stack: Send + Sync + 'static {
    fn new() -> Self;
    fn push(&self, value: u32);
    /// Only one thread may pop (see the crate's documentation).
    fn pop(&self) -> Option<u32>;
}

/// A node: its value sits in a cell that loom watches, so an unordered read of it is reported.
struct Node {
    value: UnsafeCell<u32>,
    next: *mut Node,
}

impl Node {
    /// A node on the heap holding `value`, written through the cell so loom sees the write.
    fn boxed(value: u32) -> *mut Node {
        let node = Box::new(Node {
            value: UnsafeCell::new(0),
            next: std::ptr::null_mut(),
        });
        node.value.with_mut(|slot| {
            // SAFETY: the node is not shared yet; this is the only pointer to it.
            unsafe { *slot = value }
        });
        Box::into_raw(node)
    }
}

/// Frees every node left in a stack. Both stacks' `Drop` call it.
// ANCHOR: drop
fn free_list(head: &AtomicPtr<Node>) {
    // A model that fails unwinds through this destructor. If a loom access here panicked too
    // (an unordered read of a cell, or loom's state already torn down), that second panic
    // during unwinding would abort the whole test binary, which `expect_bug` cannot catch.
    // So on the failure path, leak instead.
    if std::thread::panicking() {
        return;
    }
    // Relaxed: `Drop` has `&mut self`, so every other thread is done with the stack (joined).
    let mut head = head.load(Ordering::Relaxed);
    while !head.is_null() {
        // SAFETY: no other thread holds the stack (see above), and each node was
        // made by `Box::into_raw` and is freed once, here.
        let node = unsafe { Box::from_raw(head) };
        // Through the cell, so that loom checks that this read is ordered after the write.
        node.value.with_mut(|_| ());
        head = node.next;
    }
}
// ANCHOR_END: drop
