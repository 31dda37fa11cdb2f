//! Lesson 6: what a Release store hands over is everything that happens before it, not only
//! what its own thread wrote.
//!
//! - [`relay`]: three threads. A writes plain data and releases `flag1`; B acquires `flag1`
//!   and releases `flag2`, never touching the data; C acquires `flag2` and reads A's data.
//! - [`broken_relaxed_relay`]: the same, with B's store Relaxed. B wrote no data, yet its
//!   store must be a release: the chain breaks without it.
//! - [`release_sequence`]: a Relaxed `fetch_add` by another thread between the Release store
//!   and the Acquire load that reads it keeps the hand-over intact.
//! - [`place`]: the plain location these threads share, used with `*` as a litmus file
//!   writes it, so `litmus/chain*.litmus` and `litmus/release-sequence*.litmus` read these
//!   very functions.

pub mod broken_relaxed_relay;
#[cfg(loom)]
pub mod check;
pub mod place;
pub mod relay;
pub mod release_sequence;

use place::Location;
use support::sync::Arc;
use support::sync::atomic::AtomicBool;
use support::thread;

/// What A writes.
pub const DATA: u64 = 42;

/// What the relay's B and C report: whether B saw `flag1`, whether C saw `flag2`, and what C
/// read of the data (0, the initial value, when it did not look).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Relayed {
    pub b_saw_flag1: bool,
    pub c_saw_flag2: bool,
    pub c_read: u64,
}

/// The three locations, all starting at 0 (`false`).
pub struct Shared {
    data: Location<u64>,
    flag1: AtomicBool,
    flag2: AtomicBool,
}

/// Thread B's signature: it takes `flag1` and `flag2` and says whether it saw `flag1`.
pub type Relay = fn(&AtomicBool, &AtomicBool) -> bool;

// ANCHOR: run
/// Runs [`relay::a_publishes`], `b` and [`relay::c_reads`] on three threads, started in that
/// order, and returns what B and C saw.
pub fn run(b: Relay) -> Relayed {
    let s = Arc::new(Shared {
        data: Location::new(0),
        flag1: AtomicBool::new(false),
        flag2: AtomicBool::new(false),
    });
    let thread_a = {
        let s = Arc::clone(&s);
        // SAFETY: A's write is the only write; C reads only after acquiring `flag2`, which
        // (through B) orders the write before the read. The model and loom check this claim.
        thread::spawn(move || relay::a_publishes(unsafe { s.data.place() }, &s.flag1))
    };
    let thread_b = {
        let s = Arc::clone(&s);
        thread::spawn(move || b(&s.flag1, &s.flag2))
    };
    let thread_c = {
        let s = Arc::clone(&s);
        // SAFETY: as for A.
        thread::spawn(move || relay::c_reads(unsafe { s.data.place() }, &s.flag2))
    };
    thread_a.join().unwrap();
    let b_saw_flag1 = thread_b.join().unwrap();
    let (c_saw_flag2, c_read) = thread_c.join().unwrap();
    Relayed {
        b_saw_flag1,
        c_saw_flag2,
        c_read,
    }
}
// ANCHOR_END: run
