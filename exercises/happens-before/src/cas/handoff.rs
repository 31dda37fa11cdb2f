//! A read-modify-write that both receives and publishes: the hand-off slot, whose swap must be
//! AcqRel.
//!
//! Three threads pass notes through one `slot`, which holds the id of the note left in it
//! (`0` for none). [`first`] writes note 1 and leaves its id. [`middle`] writes note 2, swaps
//! its id in and reads the note it took out. [`last`] looks in the slot and reads the note it
//! finds. In an execution where the middle's swap takes note 1 and the last finds note 2, that
//! swap is a link in a chain: it must *receive* note 1 (its Acquire half) and *publish* note 2
//! (its Release half).
//!
//! The notes are atomics written and read with Relaxed, so a missing edge shows as a stale read
//! (a note read as 0), never as undefined behaviour. [`hand_on`] runs the three threads (under
//! loom in `tests/loom_cas.rs`); `litmus/handoff*.litmus` hands the same functions to the model
//! checker. The middles with one half missing are in `broken_acquire_handoff.rs` and
//! `broken_release_handoff.rs`.

use support::sync::Arc;
use support::sync::atomic::{AtomicU64, Ordering};
use support::thread;

/// The slot and the two notes, all 0 at the start.
#[derive(Default)]
pub struct Shared {
    pub(crate) slot: AtomicU64,
    pub(crate) note1: AtomicU64,
    pub(crate) note2: AtomicU64,
}

/// What one thread found: the id it got from the slot (0, 1 or 2) and the value it then read
/// from the note it was after (0 if that note looked unwritten).
pub type Found = (u64, u64);

/// What the middle and the last thread found, as `(middle, last)`.
pub type Seen = (Found, Found);

// ANCHOR: first
/// Writes note 1 and leaves its id in the slot.
pub fn first(s: &Shared) {
    // Relaxed: published by the Release store just below.
    s.note1.store(10, Ordering::Relaxed);
    // Release: pairs with the Acquire half of the middle's swap (or the last's Acquire load),
    // whichever reads this id.
    s.slot.store(1, Ordering::Release);
}
// ANCHOR_END: first

// ANCHOR: middle
/// Writes note 2, swaps its id into the slot and reads note 1, the note it hopes it took out.
pub fn middle(s: &Shared) -> Found {
    // Relaxed: published by the Release half of the swap just below.
    s.note2.store(20, Ordering::Relaxed);
    // AcqRel: the Acquire half pairs with `first`'s Release store, so note 1 is readable
    // once the swap returns its id; the Release half pairs with `last`'s Acquire load, so
    // note 2 goes out with id 2.
    let took = s.slot.swap(2, Ordering::AcqRel);
    // Relaxed: whether this sees note 1 is decided by the swap's Acquire half.
    let note = s.note1.load(Ordering::Relaxed);
    (took, note)
}
// ANCHOR_END: middle

// ANCHOR: last
/// Looks in the slot and reads note 2, the note it hopes it found.
pub fn last(s: &Shared) -> Found {
    // Acquire: pairs with the Release half of the middle's swap (and, through the release
    // sequence the swap continues, with `first`'s store).
    let found = s.slot.load(Ordering::Acquire);
    // Relaxed: whether this sees note 2 is decided by the Acquire load above.
    let note = s.note2.load(Ordering::Relaxed);
    (found, note)
}
// ANCHOR_END: last

/// Runs `middle` and [`last`] on two new threads and [`first`] on the calling one, and returns
/// what the middle and the last found. `middle` is [`middle`] or one of the broken middles.
pub fn hand_on(middle: fn(&Shared) -> Found) -> Seen {
    let shared = Arc::new(Shared::default());
    let middles = {
        let s = Arc::clone(&shared);
        thread::spawn(move || middle(&s))
    };
    let lasts = {
        let s = Arc::clone(&shared);
        thread::spawn(move || last(&s))
    };
    first(&shared);
    (middles.join().unwrap(), lasts.join().unwrap())
}

/// Whether a stale read happened: a thread got a note's id and then read that note as unwritten.
pub fn stale((middle, last): Seen) -> bool {
    middle == (1, 0) || last == (2, 0)
}
