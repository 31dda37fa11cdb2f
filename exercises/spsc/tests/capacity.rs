//! A capacity that no power of two holds: `cargo test -p spsc --test capacity`.
//!
//! The queues that mask positions round the capacity up to a power of two. Above
//! `usize::MAX / 2 + 1` there is none, and what an unchecked `next_power_of_two` does then
//! depends on the build: with overflow checks on it panics, with them off it wraps to 0, and
//! the queue gets no slots and a `mask` of all ones, so the first `push` writes past the end of
//! an empty slice. Overflow checks are on in this workspace's `dev`, `test` and `release`
//! profiles, and off in its `bench` profile and in a downstream crate's default release build.
//!
//! So the check runs twice. [`a_capacity_no_power_of_two_holds_is_refused`] runs in whatever
//! build `cargo test` made. [`the_refusal_holds_without_overflow_checks`] builds this file again
//! in a profile with overflow checks and debug assertions off (the `bench` profile's settings,
//! given on the command line so no manifest changes) and runs the first test there, together
//! with a test that proves the build really wraps.
#![cfg(not(loom))]

use spsc::{Push, ablation, broken_relaxed, fixed};
use std::hint::black_box;
use std::panic::{self, AssertUnwindSafe};
use std::process::Command;

/// What every masking queue's `channel` says when no power of two holds the capacity.
const REFUSAL: &str = "capacity overflow: its next power of two exceeds usize::MAX";

/// The two capacities just past the largest power of two, and the largest capacity.
const TOO_LARGE: [usize; 3] = [(usize::MAX >> 1) + 2, (usize::MAX >> 1) + 3, usize::MAX];

/// Makes a queue of `capacity` and pushes one value; returns the panic message, or `None` if
/// the push went through.
fn panic_of<P: Push<u64>>(capacity: usize) -> Option<String> {
    let result = panic::catch_unwind(AssertUnwindSafe(|| {
        let (mut producer, _consumer) = P::channel(black_box(capacity));
        let _ = producer.push(1);
    }));
    result
        .err()
        .map(|payload| support::panic_message(payload.as_ref()))
}

// ANCHOR: refused
#[test]
fn a_capacity_no_power_of_two_holds_is_refused() {
    for capacity in TOO_LARGE {
        // The fixed queue, the Relaxed one, and the ablation queues.
        let refusals = [
            panic_of::<fixed::Producer<u64>>(capacity),
            panic_of::<broken_relaxed::Producer<u64>>(capacity),
            panic_of::<ablation::no_cache::Producer<u64>>(capacity),
            panic_of::<ablation::apart_64::Producer<u64>>(capacity),
            panic_of::<ablation::adjacent::Producer<u64>>(capacity),
        ];
        for refusal in &refusals {
            assert_eq!(
                refusal.as_deref(),
                Some(REFUSAL),
                "{capacity}: {refusals:?}"
            );
        }
    }
}
// ANCHOR_END: refused

/// Passes only in a build without overflow checks, where an unchecked `next_power_of_two` of
/// the capacities above wraps to 0. The test below runs it to show that its build is one.
#[test]
#[ignore = "run by `the_refusal_holds_without_overflow_checks`, in a build that wraps"]
fn next_power_of_two_wraps_to_zero_in_this_build() {
    for capacity in TOO_LARGE {
        assert_eq!(black_box(capacity).next_power_of_two(), 0, "{capacity}");
    }
}

/// The profile the test below defines on cargo's command line: the release build with overflow
/// checks and debug assertions off, as in the workspace's `bench` profile.
const PROFILE: &str = "spsc-no-overflow-checks";

// ANCHOR: without_overflow_checks
#[test]
#[cfg_attr(miri, ignore)]
fn the_refusal_holds_without_overflow_checks() {
    let profile = |key: &str, value: &str| format!("profile.{PROFILE}.{key}={value}");
    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cargo
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["test", "--offline", "--quiet"])
        .args(["-p", "spsc", "--test", "capacity"])
        .args(["--profile", PROFILE])
        .args(["--config", &profile("inherits", "\"release\"")])
        .args(["--config", &profile("overflow-checks", "false")])
        .args(["--config", &profile("debug-assertions", "false")])
        .args(["--", "--exact", "--include-ignored"])
        .arg("a_capacity_no_power_of_two_holds_is_refused")
        .arg("next_power_of_two_wraps_to_zero_in_this_build");
    // A cold build of the crate takes about 10 s; ten minutes means something hung.
    let output = support::process::output_within(
        &mut cargo,
        std::time::Duration::from_secs(600),
        "the build and test run without overflow checks",
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains("2 passed"),
        "the build without overflow checks failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
}
// ANCHOR_END: without_overflow_checks
