//! Coherence (lesson 9, "Going further"): the four rules that hold for every access to one
//! atomic location, Relaxed included. Each function is one thread of a litmus test that the
//! model checker reads from this file (`litmus/co*.litmus`, checked in
//! `tests/model_relaxed.rs`). The fourth rule, read-read coherence, is the litmus crate's
//! CoRR test (`exercises/litmus/src/tests/corr.rs`).
//!
//! Every access is Relaxed: the rules need no ordering, and pair with nothing.

use support::sync::atomic::{AtomicU32, Ordering};

/// One atomic location, starting at 0.
#[derive(Default)]
pub struct Shared {
    x: AtomicU32,
}

// ANCHOR: coww
/// Write-write coherence: one thread stores 1, then 2.
pub fn store_twice(s: &Shared) {
    s.x.store(1, Ordering::Relaxed); // Relaxed: coherence needs no ordering; nothing pairs
    s.x.store(2, Ordering::Relaxed); // Relaxed: as above
}
// ANCHOR_END: coww

// ANCHOR: cowr
/// Write-read coherence: store 1, then read `x` back (`r`).
pub fn store_then_load(s: &Shared) -> u32 {
    s.x.store(1, Ordering::Relaxed); // Relaxed: coherence needs no ordering; nothing pairs
    s.x.load(Ordering::Relaxed) // Relaxed: as above
}

/// The other thread of both two-thread tests: store 2.
pub fn store_two(s: &Shared) {
    s.x.store(2, Ordering::Relaxed); // Relaxed: coherence needs no ordering; nothing pairs
}
// ANCHOR_END: cowr

// ANCHOR: corw
/// Read-write coherence: read `x` (`r`), then store 1.
pub fn load_then_store(s: &Shared) -> u32 {
    let r = s.x.load(Ordering::Relaxed); // Relaxed: coherence needs no ordering; nothing pairs
    s.x.store(1, Ordering::Relaxed); // Relaxed: as above
    r
}
// ANCHOR_END: corw
