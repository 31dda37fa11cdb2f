// A ring buffer whose positions wrap at the capacity, as it is often first written: position
// `p` lives in slot `p`, which saves a mask. Every ordering is right. The bug is arithmetic: a
// ring holding `capacity` values has `tail == head`, exactly like an empty one, so the full
// check never fires and the producer writes over values the consumer has not read yet.

use crate::{Pop, Push};
use crossbeam_utils::CachePadded;
use std::mem::MaybeUninit;
use support::cell::UnsafeCell;
use support::sync::Arc;
use support::sync::atomic::{AtomicUsize, Ordering};

/// What both halves point at. Positions run from 0 to `capacity - 1`.
struct Shared<T> {
    /// The next slot to pop. Only the consumer stores it.
    head: CachePadded<AtomicUsize>,
    /// The next slot to push. Only the producer stores it.
    tail: CachePadded<AtomicUsize>,
    slots: Box<[UnsafeCell<MaybeUninit<T>>]>,
}

/// The sending half.
pub struct Producer<T> {
    shared: Arc<Shared<T>>,
    tail: usize,
}

/// The receiving half.
pub struct Consumer<T> {
    shared: Arc<Shared<T>>,
    head: usize,
}

// SAFETY: as in `fixed` (and as wrong as the full check below).
unsafe impl<T: Send> Send for Producer<T> {}
// SAFETY: as in `fixed`.
unsafe impl<T: Send> Send for Consumer<T> {}

/// A queue that holds up to `capacity` values, as its two halves.
///
/// # Panics
/// If `capacity` is zero.
pub fn channel<T>(capacity: usize) -> (Producer<T>, Consumer<T>) {
    assert!(capacity > 0, "a queue needs room for at least one value");
    let shared = Arc::new(Shared {
        head: CachePadded::new(AtomicUsize::new(0)),
        tail: CachePadded::new(AtomicUsize::new(0)),
        slots: (0..capacity)
            .map(|_| UnsafeCell::new(MaybeUninit::uninit()))
            .collect(),
    });
    let producer = Producer {
        shared: Arc::clone(&shared),
        tail: 0,
    };
    (producer, Consumer { shared, head: 0 })
}

// ANCHOR: len
/// How many values lie between `head` and `tail`, going round the ring.
fn len(head: usize, tail: usize, capacity: usize) -> usize {
    if tail >= head {
        tail - head
    } else {
        capacity - head + tail
    }
}
// ANCHOR_END: len

/// The position after `position`, back to 0 at the end of the ring.
fn next(position: usize, capacity: usize) -> usize {
    if position + 1 == capacity {
        0
    } else {
        position + 1
    }
}

impl<T: Send> Push<T> for Producer<T> {
    type Consumer = Consumer<T>;

    fn channel(capacity: usize) -> (Self, Consumer<T>) {
        channel(capacity)
    }

    // ANCHOR: push
    fn push(&mut self, value: T) -> Result<(), T> {
        let shared = &*self.shared;
        let capacity = shared.slots.len();
        // Acquire: pairs with the Release store of `head` in `pop`.
        let head = shared.head.load(Ordering::Acquire);
        // The bug: `len` is never `capacity`. With `capacity` values in
        // the ring, `tail` has come round to `head` and `len` says 0.
        if len(head, self.tail, capacity) == capacity {
            return Err(value);
        }
        let slot = &shared.slots[self.tail];
        // SAFETY: the ring is not full, so the slot is free (wrong: see `len`).
        slot.with_mut(|slot| unsafe { slot.write(MaybeUninit::new(value)) });
        self.tail = next(self.tail, capacity);
        // Release: publishes the write above; pairs with the Acquire load
        // of `tail` in `pop`.
        shared.tail.store(self.tail, Ordering::Release);
        Ok(())
    }
    // ANCHOR_END: push
}

impl<T: Send> Pop<T> for Consumer<T> {
    fn pop(&mut self) -> Option<T> {
        let shared = &*self.shared;
        // Acquire: pairs with the Release store of `tail` in `push`.
        if shared.tail.load(Ordering::Acquire) == self.head {
            return None;
        }
        let slot = &shared.slots[self.head];
        // SAFETY: `tail` has moved past this slot, so it holds a
        // value the producer will not touch until we move `head` on.
        let value = slot.with(|slot| unsafe { slot.read().assume_init() });
        self.head = next(self.head, shared.slots.len());
        // Release: our read happens before the producer reuses the slot;
        // pairs with the Acquire load of `head` in `push`.
        shared.head.store(self.head, Ordering::Release);
        Some(value)
    }
}

impl<T> Drop for Shared<T> {
    fn drop(&mut self) {
        // Under loom, a model that found a bug unwinds through here; its
        // cells may still be marked in use, so leak the values instead.
        #[cfg(loom)]
        if std::thread::panicking() {
            return;
        }
        // Relaxed (both): the last `Arc` to go ordered each half's final
        // store before this drop.
        let head = self.head.load(Ordering::Relaxed);
        let tail = self.tail.load(Ordering::Relaxed); // as above
        let capacity = self.slots.len();
        let mut position = head;
        for _ in 0..len(head, tail, capacity) {
            // SAFETY: written and not popped (values written over were
            // leaked, not dropped, so nothing is dropped twice).
            self.slots[position].with_mut(|slot| unsafe { (*slot).assume_init_drop() });
            position = next(position, capacity);
        }
    }
}
