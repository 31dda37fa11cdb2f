//! Lesson 6's chain and release sequence on real threads: `cargo test -p happens-before
//! --test stress_chain`.
//!
//! Each test asserts only what must hold in every run; how often each outcome appeared is
//! printed, never asserted. The broken relay is never run here: its race is undefined
//! behaviour, which the model and loom check.
#![cfg(not(loom))]

use happens_before::chain::{self, DATA, release_sequence};
use std::collections::BTreeMap;

const RUNS: usize = 2_000;

#[test]
fn a_c_that_sees_flag2_reads_a_s_data() {
    let mut outcomes = BTreeMap::new();
    for _ in 0..RUNS {
        let seen = chain::run(chain::relay::b_relays);
        if seen.c_saw_flag2 {
            assert!(
                seen.b_saw_flag1,
                "flag2 is raised only by a B that saw flag1"
            );
            assert_eq!(seen.c_read, DATA);
        }
        *outcomes.entry(seen).or_insert(0) += 1;
    }
    eprintln!("chain, {RUNS} runs: {outcomes:?}");
}

#[test]
fn a_c_that_reads_the_bumped_value_reads_a_s_data() {
    let mut outcomes = BTreeMap::new();
    for _ in 0..RUNS {
        let seen = release_sequence::run();
        let (_, (flag, data)) = seen;
        if flag == 2 {
            assert_eq!(data, DATA);
        }
        *outcomes.entry(seen).or_insert(0) += 1;
    }
    eprintln!("release sequence, {RUNS} runs: {outcomes:?}");
}
