//! What the checkers put inside the pointers, and the allocator the loom tests use.
//!
//! - [`Config`]: the chapter's shared configuration, cut down to what the checkers watch. A
//!   handler reads a setting and replaces the cached entry through `&self`, under the config's
//!   own lock; the destructor reads the entry to free it, with `&mut self` and no lock. Every
//!   access to the entry goes through a loom-visible cell, so a destructor that is not ordered
//!   after a handler's write is reported ("Causality violation").
//! - [`Counted`]: a value that counts its drops, so a checker can demand exactly one.
//! - [`Quarantine`]: a global allocator for the loom tests that never frees a payload's
//!   block. It is there for the reader's attempt (`cargo xtask learn refcount`): an attempt
//!   that frees twice then reaches loom's "dropped 2 times" instead of aborting in the
//!   allocator. It does not make a second free defined behaviour, which is why none of the
//!   crate's own pointers is ever made to free twice.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use support::cell::UnsafeCell;
use support::sync::Mutex;

/// The alignment of the test payloads, whose blocks [`Quarantine`] never frees.
pub const QUARANTINED_ALIGN: usize = 128;

/// The shared configuration: a setting that handlers read, and a cached entry that they
/// replace through a shared reference (interior mutability, behind a lock).
#[repr(align(128))]
#[derive(Debug)]
pub struct Config {
    setting: u64,
    cache: Mutex<Entry>,
}

/// The id of the cached entry (0: none). In the story it owns a heap block; here the cell
/// stands for that ownership, and loom sees every access to it.
#[derive(Debug)]
struct Entry {
    id: UnsafeCell<u64>,
}

impl Config {
    /// A configuration with this setting and an empty cache.
    pub fn new(setting: u64) -> Self {
        Config {
            setting,
            cache: Mutex::new(Entry {
                id: UnsafeCell::new(0),
            }),
        }
    }

    /// A handler's read of a setting.
    pub fn setting(&self) -> u64 {
        self.setting
    }

    /// A handler's write through `&self`: takes the config's lock and replaces the cached
    /// entry (in the story, freeing the one it replaces).
    pub fn cache(&self, id: u64) {
        let entry = self.cache.lock().unwrap();
        // SAFETY: the lock is held: every other handler's access to the entry happens
        // before this one or after it.
        entry.id.with_mut(|p| unsafe { *p = id });
    }

    /// The cached entry's id, through `&mut`: no lock, since no one else can reach the config.
    pub fn cached(&mut self) -> u64 {
        let entry = self.cache.get_mut().unwrap();
        // SAFETY: `&mut self`: no other reference to this config exists.
        entry.id.with(|p| unsafe { *p })
    }

    /// Replaces the cached entry through `&mut` (what a caller of `get_mut` does).
    pub fn set_cached(&mut self, id: u64) {
        let entry = self.cache.get_mut().unwrap();
        // SAFETY: `&mut self`: no other reference to this config exists.
        entry.id.with_mut(|p| unsafe { *p = id });
    }
}

impl Drop for Config {
    fn drop(&mut self) {
        if std::thread::panicking() {
            // A checker already failed and this is the unwind: a second panic here
            // would abort the test binary instead of reporting the first.
            return;
        }
        // The destructor frees the entry it sees. It has `&mut self`, so it takes no lock:
        // only the pointer's drop can order the handlers' writes before this read.
        let _freed = self.cached();
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
/// Like AddressSanitizer's quarantine: a freed payload's memory stays as it was, so an
/// attempt that frees it a second time drops a [`Counted`] twice (which the checker reports)
/// instead of aborting in the allocator. The second free is still undefined behaviour; this
/// only keeps the report readable. Only for test binaries: it leaks every such block.
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
