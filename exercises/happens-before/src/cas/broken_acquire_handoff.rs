//! The hand-off slot's middle with only the Acquire half: its swap receives note 1 but
//! publishes nothing, so the last thread can find id 2 and read note 2 as unwritten.

use crate::cas::handoff::{Found, Shared};
use support::sync::atomic::Ordering;

// ANCHOR: middle
/// As `handoff::middle`, with the swap weakened to Acquire.
pub fn middle(s: &Shared) -> Found {
    // Relaxed, as in the fixed middle; nothing below publishes it any more.
    s.note2.store(20, Ordering::Relaxed);
    // "It takes a note, so it needs Acquire." It also hands one on, and Acquire alone does
    // not publish note 2.
    let took = s.slot.swap(2, Ordering::Acquire);
    // Relaxed: decided by the swap's Acquire, as in the fixed middle.
    let note = s.note1.load(Ordering::Relaxed);
    (took, note)
}
// ANCHOR_END: middle
