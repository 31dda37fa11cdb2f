// The solution to `cargo xtask learn spsc`: the exercise's ring with orderings that hand each
// slot from one side to the other.

use crate::link::Link;
use crate::{Pop, Push};
use crossbeam_utils::CachePadded;
use std::mem::MaybeUninit;
use support::cell::UnsafeCell;
use support::sync::Arc;
use support::sync::atomic::{AtomicUsize, Ordering};

// ANCHOR: shared
/// What both halves point at. Positions count every value ever pushed or
/// popped (wrapping at `usize::MAX`), so `tail - head` is the length and a
/// full ring never looks like an empty one.
pub(crate) struct Shared<T> {
    /// The next position to pop. Only the consumer stores it.
    pub(crate) head: CachePadded<AtomicUsize>,
    /// The next position to push. Only the producer stores it.
    pub(crate) tail: CachePadded<AtomicUsize>,
    /// How many values the queue holds at most.
    pub(crate) capacity: usize,
    /// `slots.len() - 1`; `slots.len()` is a power of two ≥ `capacity`,
    /// so position `p` lives in slot `p & mask`.
    mask: usize,
    slots: Box<[UnsafeCell<MaybeUninit<T>>]>,
}

/// The sending half. `Send`, not `Clone`: there is one producer.
pub struct Producer<T> {
    /// The ring: an `Arc`, wrapped so that dropping it keeps our positions
    /// in registers while we run (`link.rs` says how).
    pub(crate) shared: Link<Shared<T>>,
    /// Our own position: only we store `shared.tail`, so no need to load it.
    pub(crate) tail: usize,
    /// The consumer's position when we last looked: a lower bound on it.
    pub(crate) cached_head: usize,
}

/// The receiving half. `Send`, not `Clone`: there is one consumer.
pub struct Consumer<T> {
    /// The ring, as in `Producer`.
    pub(crate) shared: Link<Shared<T>>,
    /// Our own position.
    pub(crate) head: usize,
    /// The producer's position when we last looked: a lower bound on it.
    pub(crate) cached_tail: usize,
}
// ANCHOR_END: shared

// SAFETY: each half owns its own positions; the slots it touches are handed
// over through `head` and `tail` (see `push` and `pop`). Values move from
// one thread to the other, so `T: Send` is all that is needed.
unsafe impl<T: Send> Send for Producer<T> {}
// SAFETY: as for `Producer`.
unsafe impl<T: Send> Send for Consumer<T> {}

/// A queue that holds up to `capacity` values, as its two halves.
///
/// # Panics
/// If `capacity` is zero, or above the largest power of two a `usize` holds.
pub fn channel<T>(capacity: usize) -> (Producer<T>, Consumer<T>) {
    assert!(capacity > 0, "a queue needs room for at least one value");
    // Checked: past the largest power of two, `next_power_of_two` wraps to 0
    // when overflow checks are off, leaving no slots and `mask` all ones.
    let len = capacity
        .checked_next_power_of_two()
        .expect("capacity overflow: its next power of two exceeds usize::MAX");
    let shared = Arc::new(Shared {
        head: CachePadded::new(AtomicUsize::new(0)),
        tail: CachePadded::new(AtomicUsize::new(0)),
        capacity,
        mask: len - 1,
        slots: (0..len)
            .map(|_| UnsafeCell::new(MaybeUninit::uninit()))
            .collect(),
    });
    let producer = Producer {
        shared: Link::new(Arc::clone(&shared)),
        tail: 0,
        cached_head: 0,
    };
    let consumer = Consumer {
        shared: Link::new(shared),
        head: 0,
        cached_tail: 0,
    };
    (producer, consumer)
}

impl<T> Shared<T> {
    /// The slot that holds `position`.
    #[inline]
    pub(crate) fn slot(&self, position: usize) -> &UnsafeCell<MaybeUninit<T>> {
        // SAFETY: `slots.len()` is a power of two, never 0 (`channel` checks
        // both), and `mask` is one less, so `position & mask` is in bounds.
        unsafe { self.slots.get_unchecked(position & self.mask) }
    }
}

impl<T: Send> Push<T> for Producer<T> {
    type Consumer = Consumer<T>;

    fn channel(capacity: usize) -> (Self, Consumer<T>) {
        channel(capacity)
    }

    // ANCHOR: push
    #[inline]
    fn push(&mut self, value: T) -> Result<(), T> {
        let shared = &*self.shared;
        if self.tail.wrapping_sub(self.cached_head) == shared.capacity {
            // Full by our stale copy: look again. Acquire: pairs with the
            // Release store of `head` in `pop`, so the consumer's read of
            // the slot we are about to reuse happens before our write.
            self.cached_head = shared.head.load(Ordering::Acquire);
            if self.tail.wrapping_sub(self.cached_head) == shared.capacity {
                return Err(value);
            }
        }
        let slot = shared.slot(self.tail);
        // SAFETY: the slot is free. It is ours until we publish `tail + 1`,
        // and the consumer finished with its last value before storing the
        // `head` we loaded.
        slot.with_mut(|slot| unsafe { slot.write(MaybeUninit::new(value)) });
        self.tail = self.tail.wrapping_add(1);
        // Release: publishes the write above. Pairs with the Acquire load
        // of `tail` in `pop`: a consumer that sees this position sees the
        // value in the slot.
        shared.tail.store(self.tail, Ordering::Release);
        Ok(())
    }
    // ANCHOR_END: push
}

impl<T: Send> Pop<T> for Consumer<T> {
    // ANCHOR: pop
    #[inline]
    fn pop(&mut self) -> Option<T> {
        let shared = &*self.shared;
        if self.head == self.cached_tail {
            // Empty by our stale copy: look again. Acquire: pairs with the
            // Release store of `tail` in `push`, so the producer's write of
            // the slot happens before our read.
            self.cached_tail = shared.tail.load(Ordering::Acquire);
            if self.head == self.cached_tail {
                return None;
            }
        }
        let slot = shared.slot(self.head);
        // SAFETY: the slot holds a value: the producer published it with the
        // `tail` we loaded, and will not write the slot again until we
        // publish `head + 1`, so moving the value out is ours to do.
        let value = slot.with(|slot| unsafe { slot.read().assume_init() });
        self.head = self.head.wrapping_add(1);
        // Release: our read of the slot happens before this store. Pairs
        // with the Acquire load of `head` in `push`: a producer that sees
        // this position may write the slot again.
        shared.head.store(self.head, Ordering::Release);
        Some(value)
    }
    // ANCHOR_END: pop
}

// ANCHOR: drop
impl<T> Drop for Shared<T> {
    /// Runs when both halves are gone: drops the values nobody popped.
    fn drop(&mut self) {
        // Under loom, a model that found a bug unwinds through here; its
        // cells may still be marked in use, so leak the values instead.
        #[cfg(loom)]
        if std::thread::panicking() {
            return;
        }
        // Relaxed (both): the last `Arc` to go ordered each half's final
        // store before this drop; nobody else can reach the ring now.
        let mut position = self.head.load(Ordering::Relaxed);
        let tail = self.tail.load(Ordering::Relaxed); // as above
        while position != tail {
            let slot = &self.slots[position & self.mask];
            // SAFETY: every position in head..tail holds a value that
            // was pushed and never popped; each is dropped once, here.
            slot.with_mut(|slot| unsafe { (*slot).assume_init_drop() });
            position = position.wrapping_add(1);
        }
    }
}
// ANCHOR_END: drop
