//! What the checkers put inside the pointers, and the allocator their test binaries use.
//!
//! - [`Tracked`]: a value whose every access loom can see. Owners read it, `get_mut` writes
//!   it, and its destructor writes it too (loom does not count dropping a cell as an access,
//!   so the destructor touches the data through `with_mut` on purpose).
//! - [`Counted`]: a value that counts its drops, so a checker can demand exactly one.
//! - [`Quarantine`]: a global allocator for test binaries that never hands back a block with
//!   the payloads' alignment. A double free of such a block is then a counted second drop,
//!   not a corrupted heap or an abort, and a check-then-act pointer can be *reported*.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use support::cell::UnsafeCell;

/// The alignment of the test payloads, which [`Quarantine`] never frees.
pub const QUARANTINED_ALIGN: usize = 128;

/// A number behind a (loom-visible) cell.
#[repr(align(128))]
#[derive(Debug)]
pub struct Tracked {
    data: UnsafeCell<u64>,
}

// SAFETY: owners on several threads only read `data`; the writes (in `set`, which needs
// `&mut`, and in `drop`) must happen after every read, and that is exactly what the checkers
// verify: loom reports "Causality violation" for a write not ordered after a read.
unsafe impl Sync for Tracked {}

impl Tracked {
    /// Holds `value`.
    pub fn new(value: u64) -> Self {
        Tracked {
            data: UnsafeCell::new(value),
        }
    }

    /// An owner's use of the value: a plain read.
    pub fn get(&self) -> u64 {
        // SAFETY: see the `Sync` impl: reads are shared; writes need `&mut` or the last owner.
        self.data.with(|p| unsafe { *p })
    }

    /// A write, through the `&mut` that `get_mut` hands out.
    pub fn set(&mut self, value: u64) {
        // SAFETY: `&mut self`: no other reference to this value exists.
        self.data.with_mut(|p| unsafe { *p = value });
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        if std::thread::panicking() {
            // A checker already failed and this is the unwind: a second panic here
            // would abort the test binary instead of reporting the first.
            return;
        }
        // Freeing writes the memory; this makes the write visible to loom.
        // SAFETY: `&mut self`: the last owner is dropping the value.
        self.data.with_mut(|p| unsafe { *p = 0 });
    }
}

/// A value that adds one to `drops` when it is dropped.
#[repr(align(128))]
#[derive(Debug)]
pub struct Counted {
    drops: &'static AtomicUsize,
}

impl Counted {
    /// Counts its drops in `drops`.
    pub fn new(drops: &'static AtomicUsize) -> Self {
        Counted { drops }
    }

    /// A fresh counter at zero that lives as long as the test binary (a few bytes a model).
    pub fn counter() -> &'static AtomicUsize {
        Box::leak(Box::new(AtomicUsize::new(0)))
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        // Relaxed: pairs with nothing; the checker reads the count after joining the threads.
        self.drops.fetch_add(1, Ordering::Relaxed);
    }
}

/// The system allocator, except that blocks aligned to [`QUARANTINED_ALIGN`] are never freed.
///
/// Like AddressSanitizer's quarantine: the memory of a freed payload stays as it was, so an
/// owner that frees it a second time drops a [`Counted`] twice (which the checker reports)
/// instead of corrupting the allocator. Only for test binaries: it leaks every such block.
#[derive(Debug)]
pub struct Quarantine;

// SAFETY: every call is passed to `System`, except that some `dealloc`s do nothing, which only
// leaks memory.
unsafe impl GlobalAlloc for Quarantine {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if layout.align() != QUARANTINED_ALIGN {
            // SAFETY: the caller upholds `GlobalAlloc::dealloc`'s contract.
            unsafe { System.dealloc(ptr, layout) }
        }
    }
}
