//! The fixed queue with one of its two speed tricks taken out, for the benchmark's ablation.
//!
//! - [`no_cache`]: each position still on its own cache line, but every `push` loads `head`
//!   and every `pop` loads `tail`, instead of keeping a copy and looking only when it runs out.
//! - [`no_padding`]: the cached copies kept, but `head` and `tail` side by side on one line.
//!
//! The algorithm and every ordering are those of [`crate::fixed`]; only the two switches differ.

use crate::{Pop, Push};
use crossbeam_utils::CachePadded;
use std::mem::MaybeUninit;
use std::ops::Deref;
use support::cell::UnsafeCell;
use support::sync::Arc;
use support::sync::atomic::{AtomicUsize, Ordering};

/// The fixed queue with the cached copies switched off.
pub mod no_cache {
    /// The sending half.
    pub type Producer<T> = super::Producer<T, super::Padded, false>;
    /// The receiving half.
    pub type Consumer<T> = super::Consumer<T, super::Padded, false>;
}

/// The fixed queue with `head` and `tail` on one cache line.
pub mod no_padding {
    /// The sending half.
    pub type Producer<T> = super::Producer<T, super::Unpadded, true>;
    /// The receiving half.
    pub type Consumer<T> = super::Consumer<T, super::Unpadded, true>;
}

/// A position, stored padded or not.
pub trait Position: Deref<Target = AtomicUsize> + Send + Sync {
    /// A position at 0.
    fn zero() -> Self;
}

/// A position alone on its cache line (as in `fixed`).
pub struct Padded(CachePadded<AtomicUsize>);

/// A position that shares its cache line with its neighbours.
pub struct Unpadded(AtomicUsize);

impl Deref for Padded {
    type Target = AtomicUsize;
    fn deref(&self) -> &AtomicUsize {
        &self.0
    }
}

impl Deref for Unpadded {
    type Target = AtomicUsize;
    fn deref(&self) -> &AtomicUsize {
        &self.0
    }
}

impl Position for Padded {
    fn zero() -> Self {
        Padded(CachePadded::new(AtomicUsize::new(0)))
    }
}

impl Position for Unpadded {
    fn zero() -> Self {
        Unpadded(AtomicUsize::new(0))
    }
}

struct Shared<T, P: Position> {
    head: P,
    tail: P,
    capacity: usize,
    mask: usize,
    slots: Box<[UnsafeCell<MaybeUninit<T>>]>,
}

/// The sending half; `CACHE` switches the cached copy of `head` on or off.
pub struct Producer<T, P: Position, const CACHE: bool> {
    shared: Arc<Shared<T, P>>,
    tail: usize,
    cached_head: usize,
}

/// The receiving half; `CACHE` switches the cached copy of `tail` on or off.
pub struct Consumer<T, P: Position, const CACHE: bool> {
    shared: Arc<Shared<T, P>>,
    head: usize,
    cached_tail: usize,
}

// SAFETY: as in `fixed`: the slots are handed over through `head` and `tail`.
unsafe impl<T: Send, P: Position, const CACHE: bool> Send for Producer<T, P, CACHE> {}
// SAFETY: as for `Producer`.
unsafe impl<T: Send, P: Position, const CACHE: bool> Send for Consumer<T, P, CACHE> {}

impl<T, P: Position> Shared<T, P> {
    /// The slot that holds `position`.
    #[inline]
    fn slot(&self, position: usize) -> &UnsafeCell<MaybeUninit<T>> {
        // SAFETY: `slots.len()` is a power of two, never 0 (`channel` checks
        // both), and `mask` is one less, so `position & mask` is in bounds.
        unsafe { self.slots.get_unchecked(position & self.mask) }
    }
}

impl<T: Send, P: Position, const CACHE: bool> Push<T> for Producer<T, P, CACHE> {
    type Consumer = Consumer<T, P, CACHE>;

    fn channel(capacity: usize) -> (Self, Self::Consumer) {
        assert!(capacity > 0, "a queue needs room for at least one value");
        // Checked, as in `fixed`: unchecked, it wraps to 0 without overflow checks.
        let len = capacity
            .checked_next_power_of_two()
            .expect("capacity overflow: its next power of two exceeds usize::MAX");
        let shared = Arc::new(Shared {
            head: P::zero(),
            tail: P::zero(),
            capacity,
            mask: len - 1,
            slots: (0..len)
                .map(|_| UnsafeCell::new(MaybeUninit::uninit()))
                .collect(),
        });
        let producer = Producer {
            shared: Arc::clone(&shared),
            tail: 0,
            cached_head: 0,
        };
        let consumer = Consumer {
            shared,
            head: 0,
            cached_tail: 0,
        };
        (producer, consumer)
    }

    #[inline]
    fn push(&mut self, value: T) -> Result<(), T> {
        let shared = &*self.shared;
        if !CACHE || self.tail.wrapping_sub(self.cached_head) == shared.capacity {
            // Acquire: pairs with the Release store of `head` in `pop`.
            self.cached_head = shared.head.load(Ordering::Acquire);
            if self.tail.wrapping_sub(self.cached_head) == shared.capacity {
                return Err(value);
            }
        }
        let slot = shared.slot(self.tail);
        // SAFETY: the slot is free, and ours until we publish it (`fixed`).
        slot.with_mut(|slot| unsafe { slot.write(MaybeUninit::new(value)) });
        self.tail = self.tail.wrapping_add(1);
        // Release: publishes the write; pairs with the Acquire load in `pop`.
        shared.tail.store(self.tail, Ordering::Release);
        Ok(())
    }
}

impl<T: Send, P: Position, const CACHE: bool> Pop<T> for Consumer<T, P, CACHE> {
    #[inline]
    fn pop(&mut self) -> Option<T> {
        let shared = &*self.shared;
        if !CACHE || self.head == self.cached_tail {
            // Acquire: pairs with the Release store of `tail` in `push`.
            self.cached_tail = shared.tail.load(Ordering::Acquire);
            if self.head == self.cached_tail {
                return None;
            }
        }
        let slot = shared.slot(self.head);
        // SAFETY: the slot holds a published value, and the producer leaves
        // it alone until we move `head` on (as in `fixed`).
        let value = slot.with(|slot| unsafe { slot.read().assume_init() });
        self.head = self.head.wrapping_add(1);
        // Release: our read comes first; pairs with the Acquire in `push`.
        shared.head.store(self.head, Ordering::Release);
        Some(value)
    }
}

impl<T, P: Position> Drop for Shared<T, P> {
    fn drop(&mut self) {
        // Under loom, a model that found a bug unwinds through here; its
        // cells may still be marked in use, so leak the values instead.
        #[cfg(loom)]
        if std::thread::panicking() {
            return;
        }
        // Relaxed (both): ordered by the last `Arc` drop, as in `fixed`.
        let mut position = self.head.load(Ordering::Relaxed);
        let tail = self.tail.load(Ordering::Relaxed); // as above
        while position != tail {
            let slot = &self.slots[position & self.mask];
            // SAFETY: pushed and never popped; dropped once, here.
            slot.with_mut(|slot| unsafe { (*slot).assume_init_drop() });
            position = position.wrapping_add(1);
        }
    }
}

/// The layouts the benchmark compares, as the chapter describes them.
#[cfg(all(test, not(loom)))]
mod tests {
    use super::{Padded, Shared, Unpadded};
    use std::mem::{offset_of, size_of};
    use std::ops::Range;

    /// The bytes from `offset` to `offset + size`.
    fn bytes(offset: usize, size: usize) -> Range<usize> {
        offset..offset + size
    }

    /// Without padding, the read-only fields `push` and `pop` read on every call (`capacity`, `mask`,
    /// the slots' pointer and length) share six words with `head` and `tail`, 48 bytes on a
    /// 64-bit target, less than one 64-byte line: the ablation measures more than `head` and
    /// `tail` sharing a line.
    #[test]
    fn without_padding_the_read_only_fields_sit_with_the_positions() {
        assert_eq!(size_of::<Shared<u64, Unpadded>>(), 6 * size_of::<usize>());
    }

    /// With padding, `head` and `tail` each fill a block of their own (128 bytes on x86-64 and
    /// aarch64), and the read-only fields lie outside both.
    #[test]
    fn with_padding_the_read_only_fields_lie_outside_both_blocks() {
        type S = Shared<u64, Padded>;
        let head = bytes(offset_of!(S, head), size_of::<Padded>());
        let tail = bytes(offset_of!(S, tail), size_of::<Padded>());
        for field in [
            offset_of!(S, capacity),
            offset_of!(S, mask),
            offset_of!(S, slots),
        ] {
            assert!(!head.contains(&field) && !tail.contains(&field));
        }
    }
}
