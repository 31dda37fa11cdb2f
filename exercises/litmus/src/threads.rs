//! The plain runner: each run on fresh memory, with freshly spawned threads. This is what Miri
//! runs (`tests/miri.rs`, and `cargo run` under Miri): its weak-memory emulation and its
//! scheduler choose the outcome, so many runs in one process sample many of them.

use crate::{Memory, Reads, Tally, Test, Variant};
use std::thread;

/// Runs `variant` `runs` times and counts the outcomes.
pub fn run(test: &Test, variant: &Variant, runs: u64) -> Tally {
    let mut tally = Tally::new();
    for _ in 0..runs {
        let memory = Memory::new();
        let reads: Vec<Reads> = thread::scope(|s| {
            let handles: Vec<_> = variant
                .threads
                .iter()
                .map(|thread| s.spawn(|| (thread.body)(&memory)))
                .collect();
            handles
                .into_iter()
                .map(|handle| handle.join().expect("a litmus thread panicked"))
                .collect()
        });
        *tally.entry((test.outcome)(&reads, &memory)).or_default() += 1;
    }
    tally
}
