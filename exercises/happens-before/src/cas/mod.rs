//! Lesson 8: a compare-and-swap is an ordering decision.
//!
//! - [`stack::Stack`]: a compare-and-swap loop pushes a node onto a list; the success
//!   ordering is Release, because a successful push publishes the node.
//! - [`broken_relaxed_push::Stack`]: the same loop with a Relaxed success ordering.
//! - [`handoff`]: a hand-off slot whose swap both receives one note and publishes another, so it
//!   needs AcqRel; [`broken_acquire_handoff`] and [`broken_release_handoff`] each drop one half.

pub mod broken_acquire_handoff;
pub mod broken_relaxed_push;
pub mod broken_release_handoff;
#[cfg(loom)]
pub mod check;
pub mod handoff;
pub mod stack;

use support::sync::Arc;
use support::thread;

/// The list's end: no node.
pub const NIL: usize = usize::MAX;

/// How many nodes a stack has room for: one per pushing thread.
pub const SLOTS: usize = 2;

/// A push-only stack over a fixed set of node slots, so that the lesson needs no allocator
/// and no memory reclamation: only the ordering question is left.
pub trait PushOnly: Send + Sync + 'static {
    /// An empty stack.
    fn new() -> Self;

    /// Writes `value` into node `slot` and pushes that node.
    ///
    /// # Safety
    /// Each slot is pushed at most once: a second push would rewrite a published node.
    unsafe fn push(&self, slot: usize, value: u64);

    /// Every value on the stack, newest first.
    fn values(&self) -> Vec<u64>;
}

// ANCHOR: two_pushes
/// Two threads push one node each while a third reads the whole list. Returns what the reader
/// found.
pub fn push_two_and_read<S: PushOnly>() -> Vec<u64> {
    let stack = Arc::new(S::new());
    let pushers: Vec<_> = (0..SLOTS)
        .map(|slot| {
            let stack = Arc::clone(&stack);
            // SAFETY: each thread pushes its own slot, once.
            thread::spawn(move || unsafe { stack.push(slot, 10 + slot as u64) })
        })
        .collect();
    let reader = {
        let stack = Arc::clone(&stack);
        thread::spawn(move || stack.values())
    };
    for pusher in pushers {
        pusher.join().unwrap();
    }
    reader.join().unwrap()
}
// ANCHOR_END: two_pushes
