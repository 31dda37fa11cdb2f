//! The three-thread chain: A hands the data to C through B, which never touches it.

use crate::chain::place::Place;
use support::sync::atomic::{AtomicBool, Ordering};

// ANCHOR: relay
/// Thread A: writes the data (a plain write), then raises `flag1`.
pub fn a_publishes(mut data: Place<'_, u64>, flag1: &AtomicBool) {
    *data = 42;
    // Release: pairs with B's Acquire load of `flag1`.
    flag1.store(true, Ordering::Release);
}

// ANCHOR: relay_b
/// Thread B: if it sees `flag1`, raises `flag2`. It never touches the data.
pub fn b_relays(flag1: &AtomicBool, flag2: &AtomicBool) -> bool {
    // Acquire: pairs with A's Release store of `flag1`.
    let seen1 = flag1.load(Ordering::Acquire);
    if seen1 {
        // Release: pairs with C's Acquire load of `flag2`. It hands on what B acquired.
        flag2.store(true, Ordering::Release);
    }
    seen1
}
// ANCHOR_END: relay_b

/// Thread C: if it sees `flag2`, reads the data (a plain read).
pub fn c_reads(data: Place<'_, u64>, flag2: &AtomicBool) -> (bool, u64) {
    // Acquire: pairs with B's Release store of `flag2`.
    let seen2 = flag2.load(Ordering::Acquire);
    let mut value = 0;
    if seen2 {
        value = *data;
    }
    (seen2, value)
}
// ANCHOR_END: relay
