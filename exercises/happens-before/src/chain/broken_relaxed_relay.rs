//! The chain with B's store weakened to Relaxed: B wrote no data of its own, so its author
//! thought it had nothing to publish.

use support::sync::atomic::{AtomicBool, Ordering};

// ANCHOR: relay
/// Thread B, broken: it sees `flag1` with Acquire, but raises `flag2` with a Relaxed store,
/// which synchronizes with nothing. C may then read the data with no happens-before path
/// from A's write: a data race.
pub fn b_relays(flag1: &AtomicBool, flag2: &AtomicBool) -> bool {
    // Acquire: pairs with A's Release store of `flag1`.
    let seen1 = flag1.load(Ordering::Acquire);
    if seen1 {
        // Relaxed: the bug. C's Acquire load has no release to pair with.
        flag2.store(true, Ordering::Relaxed);
    }
    seen1
}
// ANCHOR_END: relay
