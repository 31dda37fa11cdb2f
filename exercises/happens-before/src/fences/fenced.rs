//! Two senders and two receivers for [`Mailbox`]: each pairing is correct. A Release store and
//! a Release fence followed by a Relaxed store both publish; an Acquire load and a Relaxed load
//! followed by an Acquire fence both claim.

use crate::fences::Mailbox;
use support::hint;
use support::sync::atomic::{Ordering, fence};

// ANCHOR: send
/// Lesson 6's sender: the payload, then the flag with a Release store.
///
/// # Safety
/// At most one call per mailbox.
pub unsafe fn send(m: &Mailbox, value: u64) {
    // SAFETY: the one sender (per the caller); no receiver reads the payload before it has
    // seen the flag raised below.
    unsafe { m.payload.write(value) };
    // Release: pairs with the receiver's Acquire load, or with its Acquire fence after the
    // Relaxed load that reads this store.
    m.ready.store(true, Ordering::Release);
}
// ANCHOR_END: send

// ANCHOR: send_fenced
/// The payload, then a Release fence, then the flag with a Relaxed store.
///
/// # Safety
/// At most one call per mailbox.
pub unsafe fn send_fenced(m: &Mailbox, value: u64) {
    // SAFETY: as in `send`.
    unsafe { m.payload.write(value) };
    // Release fence: pairs with the receiver's Acquire load (or Acquire fence) of the flag
    // stored just below. It publishes every write sequenced before it, through any later
    // store that a receiver reads.
    fence(Ordering::Release);
    // Relaxed: the fence above does the publishing.
    m.ready.store(true, Ordering::Relaxed);
}
// ANCHOR_END: send_fenced

// ANCHOR: wait
/// Spins with Acquire loads until the flag is raised, then reads the payload.
pub fn wait(m: &Mailbox) -> u64 {
    // Acquire: pairs with the sender's Release store, or with its Release fence before the
    // Relaxed store this load reads.
    while !m.ready.load(Ordering::Acquire) {
        hint::spin_loop();
    }
    // SAFETY: the payload write happens before this read (see the load above).
    unsafe { m.payload.read() }
}
// ANCHOR_END: wait

// ANCHOR: wait_fenced
/// Spins with Relaxed loads until the flag is raised, then claims it with one Acquire fence.
pub fn wait_fenced(m: &Mailbox) -> u64 {
    // Relaxed: the loads that see `false` claim nothing and need nothing; the fence below
    // turns the one that sees `true` into the claim.
    while !m.ready.load(Ordering::Relaxed) {
        hint::spin_loop();
    }
    // Acquire fence: pairs with the sender's Release store (or Release fence). It follows
    // the load that read the flag, so the sender synchronizes with this fence.
    fence(Ordering::Acquire);
    // SAFETY: the payload write happens before this read (see the fence).
    unsafe { m.payload.read() }
}
// ANCHOR_END: wait_fenced
