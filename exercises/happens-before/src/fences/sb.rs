//! Store buffering with Acquire/Release fences (`fence(AcqRel)`) between each thread's store
//! and load: the model still allows both loads to read 0. Only SeqCst fences forbid it
//! (the litmus crate's `tests::sb::fenced_a` and `fenced_b`).

use support::sync::atomic::{AtomicU32, Ordering, fence};

/// The two locations, both starting at 0.
#[derive(Default)]
pub struct Shared {
    x: AtomicU32,
    y: AtomicU32,
}

// ANCHOR: acq_rel
/// Thread A: set `x`, fence, report what `y` holds.
pub fn acq_rel_a(s: &Shared) -> u32 {
    // Relaxed: what the fence below orders (or fails to) is the question.
    s.x.store(1, Ordering::Relaxed);
    // AcqRel fence: pairs with nothing. A release fence publishes through a store after
    // it and an acquire fence claims through a load before it; this thread's store is
    // before the fence and its load after.
    fence(Ordering::AcqRel);
    // Relaxed: as above.
    s.y.load(Ordering::Relaxed)
}

/// Thread B, the mirror image.
pub fn acq_rel_b(s: &Shared) -> u32 {
    // Relaxed: as in `acq_rel_a`.
    s.y.store(1, Ordering::Relaxed);
    // AcqRel fence: as in `acq_rel_a`.
    fence(Ordering::AcqRel);
    // Relaxed: as above.
    s.x.load(Ordering::Relaxed)
}
// ANCHOR_END: acq_rel
