//! The fixed queue with one of its two speed tricks changed, for the benchmark's ablation.
//!
//! - [`no_cache`]: `head` and `tail` 128 bytes apart as in `fixed`, but every `push` loads
//!   `head` and every `pop` loads `tail`, instead of keeping a copy and looking only when it runs
//!   out.
//! - [`arc_in_place`]: each half holds the ring through a plain `Arc` instead of a `Link`
//!   (`link.rs`), as the fixed queue did before that file.
//! - [`apart_128`], [`apart_64`], [`adjacent`]: the cached copies kept, and only the distance
//!   between `head` and `tail` varied: 128 bytes (each on its own pair of 64-byte lines, as in
//!   `fixed`), 64 bytes (neighbouring lines of one 128-byte pair, which the adjacent-line
//!   prefetcher fetches together), 8 bytes (one line).
//!
//! Everything else stays where `fixed` keeps it: the read-only fields (`capacity`, `mask`, the
//! slots' pointer and length) start 256 bytes after `head`, on lines neither position touches,
//! in every variant (`repr(C)`, checked by the tests below). The algorithm and every ordering are
//! those of [`crate::fixed`], and so is the way each half holds the ring (`link.rs`) except in
//! [`arc_in_place`].

use crate::link::{ByArc, ByLink, Holding};
use crate::{Pop, Push};
use std::mem::MaybeUninit;
use support::cell::UnsafeCell;
use support::sync::Arc;
use support::sync::atomic::{AtomicUsize, Ordering};

/// The fixed queue with the cached copies switched off.
pub mod no_cache {
    /// The sending half.
    pub type Producer<T> = super::Producer<T, super::Apart128, false>;
    /// The receiving half.
    pub type Consumer<T> = super::Consumer<T, super::Apart128, false>;
}

/// The fixed queue with each half holding the ring through a plain `Arc`, dropped in place,
/// instead of a `Link` (`link.rs` says what that costs).
pub mod arc_in_place {
    /// The sending half.
    pub type Producer<T> = super::Producer<T, super::Apart128, true, super::ByArc>;
    /// The receiving half.
    pub type Consumer<T> = super::Consumer<T, super::Apart128, true, super::ByArc>;
}

/// `head` and `tail` 128 bytes apart: the layout of `fixed`.
pub mod apart_128 {
    /// The sending half.
    pub type Producer<T> = super::Producer<T, super::Apart128, true>;
    /// The receiving half.
    pub type Consumer<T> = super::Consumer<T, super::Apart128, true>;
}

/// `head` and `tail` 64 bytes apart: two lines, one 128-byte pair.
pub mod apart_64 {
    /// The sending half.
    pub type Producer<T> = super::Producer<T, super::Apart64, true>;
    /// The receiving half.
    pub type Consumer<T> = super::Consumer<T, super::Apart64, true>;
}

/// `head` and `tail` side by side on one line.
pub mod adjacent {
    /// The sending half.
    pub type Producer<T> = super::Producer<T, super::Adjacent, true>;
    /// The receiving half.
    pub type Consumer<T> = super::Consumer<T, super::Adjacent, true>;
}

/// Where `head` and `tail` sit in the first 256 bytes of the shared block.
pub trait Position: Send + Sync {
    /// Both positions at 0.
    fn zero() -> Self;
    /// The consumer's position.
    fn head(&self) -> &AtomicUsize;
    /// The producer's position.
    fn tail(&self) -> &AtomicUsize;
}

/// The size of every layout: the read-only fields start this far after `head`. (Under loom the
/// atomics are larger; the layout tests run only in the std build.)
const BLOCK: usize = 256;
const WORD: usize = std::mem::size_of::<AtomicUsize>();

/// `head` at 0, `tail` at 128.
#[repr(C, align(128))]
pub struct Apart128 {
    head: AtomicUsize,
    _gap: [u8; 128 - WORD],
    tail: AtomicUsize,
    _rest: [u8; BLOCK - 128 - WORD],
}

/// `head` at 0, `tail` at 64.
#[repr(C, align(128))]
pub struct Apart64 {
    head: AtomicUsize,
    _gap: [u8; 64 - WORD],
    tail: AtomicUsize,
    _rest: [u8; BLOCK - 64 - WORD],
}

/// `head` at 0, `tail` right after it.
#[repr(C, align(128))]
pub struct Adjacent {
    head: AtomicUsize,
    tail: AtomicUsize,
    _rest: [u8; BLOCK - 2 * WORD],
}

macro_rules! position {
    ($name:ident { $($pad:ident),* }) => {
        impl Position for $name {
            fn zero() -> Self {
                $name {
                    head: AtomicUsize::new(0),
                    tail: AtomicUsize::new(0),
                    $($pad: [0; _],)*
                }
            }
            fn head(&self) -> &AtomicUsize {
                &self.head
            }
            fn tail(&self) -> &AtomicUsize {
                &self.tail
            }
        }
    };
}
position!(Apart128 { _gap, _rest });
position!(Apart64 { _gap, _rest });
position!(Adjacent { _rest });

#[repr(C)]
struct Shared<T, P: Position> {
    positions: P,
    capacity: usize,
    mask: usize,
    slots: Box<[UnsafeCell<MaybeUninit<T>>]>,
}

/// The sending half; `CACHE` switches the cached copy of `head` on or off, `H` says how it
/// holds the ring.
pub struct Producer<T, P: Position, const CACHE: bool, H: Holding = ByLink> {
    shared: H::Of<Shared<T, P>>,
    tail: usize,
    cached_head: usize,
}

/// The receiving half; `CACHE` switches the cached copy of `tail` on or off, `H` says how it
/// holds the ring.
pub struct Consumer<T, P: Position, const CACHE: bool, H: Holding = ByLink> {
    shared: H::Of<Shared<T, P>>,
    head: usize,
    cached_tail: usize,
}

// SAFETY: as in `fixed`: the slots are handed over through `head` and `tail`.
unsafe impl<T: Send, P: Position, const CACHE: bool, H: Holding> Send for Producer<T, P, CACHE, H> {}
// SAFETY: as for `Producer`.
unsafe impl<T: Send, P: Position, const CACHE: bool, H: Holding> Send for Consumer<T, P, CACHE, H> {}

impl<T, P: Position> Shared<T, P> {
    /// The slot that holds `position`.
    #[inline]
    fn slot(&self, position: usize) -> &UnsafeCell<MaybeUninit<T>> {
        // SAFETY: `slots.len()` is a power of two, never 0 (`channel` checks
        // both), and `mask` is one less, so `position & mask` is in bounds.
        unsafe { self.slots.get_unchecked(position & self.mask) }
    }
}

impl<T: Send, P: Position, const CACHE: bool, H: Holding> Push<T> for Producer<T, P, CACHE, H> {
    type Consumer = Consumer<T, P, CACHE, H>;

    fn channel(capacity: usize) -> (Self, Self::Consumer) {
        assert!(capacity > 0, "a queue needs room for at least one value");
        // Checked, as in `fixed`: unchecked, it wraps to 0 without overflow checks.
        let len = capacity
            .checked_next_power_of_two()
            .expect("capacity overflow: its next power of two exceeds usize::MAX");
        let shared = Arc::new(Shared {
            positions: P::zero(),
            capacity,
            mask: len - 1,
            slots: (0..len)
                .map(|_| UnsafeCell::new(MaybeUninit::uninit()))
                .collect(),
        });
        let producer = Producer {
            shared: H::hold(Arc::clone(&shared)),
            tail: 0,
            cached_head: 0,
        };
        let consumer = Consumer {
            shared: H::hold(shared),
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
            self.cached_head = shared.positions.head().load(Ordering::Acquire);
            if self.tail.wrapping_sub(self.cached_head) == shared.capacity {
                return Err(value);
            }
        }
        let slot = shared.slot(self.tail);
        // SAFETY: the slot is free, and ours until we publish it (`fixed`).
        slot.with_mut(|slot| unsafe { slot.write(MaybeUninit::new(value)) });
        self.tail = self.tail.wrapping_add(1);
        // Release: publishes the write; pairs with the Acquire load in `pop`.
        shared.positions.tail().store(self.tail, Ordering::Release);
        Ok(())
    }
}

impl<T: Send, P: Position, const CACHE: bool, H: Holding> Pop<T> for Consumer<T, P, CACHE, H> {
    #[inline]
    fn pop(&mut self) -> Option<T> {
        let shared = &*self.shared;
        if !CACHE || self.head == self.cached_tail {
            // Acquire: pairs with the Release store of `tail` in `push`.
            self.cached_tail = shared.positions.tail().load(Ordering::Acquire);
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
        shared.positions.head().store(self.head, Ordering::Release);
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
        let mut position = self.positions.head().load(Ordering::Relaxed);
        let tail = self.positions.tail().load(Ordering::Relaxed); // as above
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
    use super::{Adjacent, Apart64, Apart128, BLOCK, Shared};
    use std::mem::{offset_of, size_of};

    /// Only the distance from `head` to `tail` differs; the read-only fields start 256 bytes in,
    /// past the lines either position touches, in every layout.
    #[test]
    fn only_the_separation_of_head_and_tail_varies() {
        assert_eq!(offset_of!(Shared<u64, Apart128>, positions), 0);
        assert_eq!(
            (offset_of!(Apart128, head), offset_of!(Apart128, tail)),
            (0, 128)
        );
        assert_eq!(
            (offset_of!(Apart64, head), offset_of!(Apart64, tail)),
            (0, 64)
        );
        let adjacent = (offset_of!(Adjacent, head), offset_of!(Adjacent, tail));
        assert_eq!(adjacent, (0, size_of::<usize>()));
        let cold = |capacity, mask, slots| {
            assert_eq!(capacity, BLOCK);
            assert_eq!((mask, slots), (BLOCK + 8, BLOCK + 16));
        };
        cold(
            offset_of!(Shared<u64, Apart128>, capacity),
            offset_of!(Shared<u64, Apart128>, mask),
            offset_of!(Shared<u64, Apart128>, slots),
        );
        cold(
            offset_of!(Shared<u64, Apart64>, capacity),
            offset_of!(Shared<u64, Apart64>, mask),
            offset_of!(Shared<u64, Apart64>, slots),
        );
        cold(
            offset_of!(Shared<u64, Adjacent>, capacity),
            offset_of!(Shared<u64, Adjacent>, mask),
            offset_of!(Shared<u64, Adjacent>, slots),
        );
    }

    /// The 128-byte row is the fixed queue's own layout, so any difference the benchmark shows
    /// between the two rows is the measurement's, not the layout's. (`mask` and `slots` are
    /// private to `fixed`; equal sizes with `capacity` at the same offset leave them no other
    /// line than the one after `capacity`.)
    #[test]
    fn the_128_byte_layout_is_the_fixed_queues() {
        use crate::fixed;
        assert_eq!(
            (
                offset_of!(fixed::Shared<u64>, head),
                offset_of!(fixed::Shared<u64>, tail),
                offset_of!(fixed::Shared<u64>, capacity),
            ),
            (0, 128, BLOCK)
        );
        assert_eq!(
            size_of::<fixed::Shared<u64>>(),
            size_of::<Shared<u64, Apart128>>()
        );
    }
}
