//! The hand-off slot's middle with only the Release half: its swap publishes note 2 but
//! receives nothing, so it can take id 1 and read note 1 as unwritten.

use crate::cas::handoff::{Found, Shared};
use support::sync::atomic::Ordering;

// ANCHOR: middle
/// As `handoff::middle`, with the swap weakened to Release.
pub fn middle(s: &Shared) -> Found {
    // Relaxed: published by the Release swap below, as in the fixed middle.
    s.note2.store(20, Ordering::Relaxed);
    // "It hands a note on, so it needs Release." It also takes one, and Release alone does not
    // receive note 1.
    let took = s.slot.swap(2, Ordering::Release);
    // Relaxed: nothing orders this after `first`'s write of note 1 any more.
    let note = s.note1.load(Ordering::Relaxed);
    (took, note)
}
// ANCHOR_END: middle
