//! A release sequence: a read-modify-write by another thread, even a Relaxed one, sits
//! between the Release store and the Acquire load that reads it, and the hand-over still
//! holds.
//!
//! A writes the data and stores 1 to `flag` with Release. B adds 1 to `flag` with a Relaxed
//! `fetch_add`. C loads `flag` with Acquire and reads the data only if it sees 2. A 2 exists
//! only if B's `fetch_add` read A's 1, so it continues A's release sequence, and C's load
//! synchronizes with A's store although it read B's value.

use crate::chain::place::{Location, Place};
use support::sync::Arc;
use support::sync::atomic::{AtomicU64, Ordering};
use support::thread;

// ANCHOR: threads
/// Thread A: writes the data, then stores 1 to `flag` with Release.
pub fn publish(mut data: Place<'_, u64>, flag: &AtomicU64) {
    *data = 42;
    // Release: heads a release sequence that C's Acquire load reads from.
    flag.store(1, Ordering::Release);
}

/// Thread B: adds 1 to `flag` and returns the value it replaced. It orders nothing itself.
pub fn bump(flag: &AtomicU64) -> u64 {
    // Relaxed: B publishes nothing, yet as a read-modify-write it continues A's release
    // sequence when it reads A's 1.
    flag.fetch_add(1, Ordering::Relaxed)
}

/// Thread C: loads `flag`, and reads the data if it sees 2, the value only B's `fetch_add`
/// of A's 1 writes.
pub fn claim(data: Place<'_, u64>, flag: &AtomicU64) -> (u64, u64) {
    // Acquire: pairs with A's Release store, through B's read-modify-write.
    let seen = flag.load(Ordering::Acquire);
    let mut value = 0;
    if seen == 2 {
        value = *data;
    }
    (seen, value)
}
// ANCHOR_END: threads

/// What B's `fetch_add` replaced, and what C saw: `(b_read, (c_flag, c_data))`.
pub type Seen = (u64, (u64, u64));

/// Runs [`publish`], [`bump`] and [`claim`] on three threads and returns what B and C saw.
pub fn run() -> Seen {
    let data = Arc::new(Location::new(0));
    let flag = Arc::new(AtomicU64::new(0));
    let thread_a = {
        let (data, flag) = (Arc::clone(&data), Arc::clone(&flag));
        // SAFETY: the only write; C reads only after its Acquire load reads 2, which is in
        // the release sequence of A's store, so the write happens before that read.
        thread::spawn(move || publish(unsafe { data.place() }, &flag))
    };
    let thread_b = {
        let flag = Arc::clone(&flag);
        thread::spawn(move || bump(&flag))
    };
    let thread_c = {
        let (data, flag) = (Arc::clone(&data), Arc::clone(&flag));
        // SAFETY: as for A.
        thread::spawn(move || claim(unsafe { data.place() }, &flag))
    };
    thread_a.join().unwrap();
    let b_read = thread_b.join().unwrap();
    let c_saw = thread_c.join().unwrap();
    (b_read, c_saw)
}
