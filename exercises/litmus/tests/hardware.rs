//! Real threads on this machine, briefly: `cargo test -p litmus`.
//!
//! Asserts only what must hold on every machine: no outcome the model forbids ever appears.
//! Never that an allowed one does: x86 cannot show most of them, and even SB's may not turn up
//! in a short run on a busy machine. The counts are printed (`-- --nocapture`);
//! `cargo run -p litmus --release` is the long run.
#![cfg(not(loom))]

use litmus::{TESTS, hardware};
use std::time::Duration;

/// The time all forbidden rows share, with a margin so the file stays within two seconds.
const BUDGET: Duration = Duration::from_millis(1200);

#[test]
#[cfg_attr(miri, ignore)]
fn no_forbidden_outcome_appears() {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    // One test, one row at a time: rows run in parallel would fight over the cores and
    // collide less. Tests with more threads than cores (IRIW on two cores) mostly take turns
    // instead of racing, so they are left to the long run.
    let rows: Vec<_> = TESTS
        .iter()
        .flat_map(|&test| {
            test.rows()
                .map(move |(variant, expected)| (test, variant, expected))
        })
        .filter(|(_, variant, expected)| !expected.allowed && variant.threads.len() <= cores)
        .collect();
    assert!(!rows.is_empty());
    let budget = BUDGET / rows.len() as u32;
    let mut seen_forbidden = Vec::new();
    for (test, variant, _) in rows {
        let run = hardware::run_for(test, variant, budget);
        let question = test.question();
        let count = run.tally.get(&question).copied().unwrap_or(0);
        eprintln!(
            "{} {}: ({}) {count} of {} iterations",
            test.name,
            variant.orderings,
            test.describe(&question),
            run.iterations
        );
        if count > 0 {
            seen_forbidden.push(format!(
                "{} {}: ({}) appeared {count} times, and the model forbids it",
                test.name,
                variant.orderings,
                test.describe(&question)
            ));
        }
    }
    assert!(seen_forbidden.is_empty(), "{}", seen_forbidden.join("\n"));
}
