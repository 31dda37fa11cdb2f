//! The fixed programs on real threads: `cargo test -p happens-before`.
//!
//! Each test runs its program many times and asserts only what must hold in every run. What
//! the runs happened to show (how often the receiver looked too early, which outcomes
//! appeared) is printed to stderr, never asserted: it belongs to one machine and one moment.
//! The broken programs are never run here: their races are undefined behaviour. loom and
//! Miri check those.
#![cfg(not(loom))]

use happens_before::message::stale;
use happens_before::{cas, graph, message, relaxed};
use std::collections::BTreeMap;

const RUNS: usize = 2_000;

#[test]
fn a_joined_write_is_always_seen() {
    for _ in 0..RUNS {
        assert_eq!(graph::joined::write_join_then_read(), 42);
    }
}

#[test]
fn the_mailbox_hands_over_the_payload_or_nothing() {
    let mut early = 0;
    for _ in 0..RUNS {
        match message::exchange::<message::fixed::Mailbox>() {
            Some(value) => assert_eq!(value, message::PAYLOAD),
            None => early += 1,
        }
    }
    eprintln!("mailbox: the receiver looked before the send in {early} of {RUNS} runs");
}

#[test]
fn an_acquire_load_never_misses_what_its_version_published() {
    let mut outcomes: BTreeMap<(u64, u64, u64), usize> = BTreeMap::new();
    for _ in 0..RUNS {
        let (flag, first, second) = stale::publish_twice_read_once();
        if flag >= 1 {
            assert_eq!(first, 1, "version {flag} came without `first`");
        }
        if flag == 2 {
            assert_eq!(second, 1, "version 2 came without `second`");
        }
        *outcomes.entry((flag, first, second)).or_default() += 1;
    }
    eprintln!("publish twice, (flag, first, second) -> runs: {outcomes:?}");
}

#[test]
fn pushed_nodes_are_read_whole() {
    for _ in 0..RUNS {
        let seen = cas::push_two_and_read::<cas::stack::Stack>();
        assert!(seen.len() <= 2);
        assert!(seen.iter().all(|v| *v == 10 || *v == 11), "{seen:?}");
        if let [newer, older] = seen[..] {
            assert_ne!(newer, older);
        }
    }
}

#[test]
fn relaxed_counter_ids_and_stop_flag() {
    let mut rounds = 0;
    for _ in 0..RUNS {
        assert_eq!(relaxed::counter::count_on_two_threads(), 4);
        let mut ids = relaxed::ids::three_ids();
        ids.sort_unstable();
        assert_eq!(ids, [0, 1, 2]);
        rounds += relaxed::stop::run_then_stop();
    }
    eprintln!("stop flag: the worker ran {rounds} rounds in {RUNS} runs before it saw the flag");
}

#[test]
fn a_release_count_hands_over_both_results() {
    let mut early = 0;
    for _ in 0..RUNS {
        match relaxed::two_workers_and_a_reader::<relaxed::done_count::DoneCount>() {
            Some(sum) => assert_eq!(sum, 3),
            None => early += 1,
        }
    }
    eprintln!("completion count: the reader looked early in {early} of {RUNS} runs");
}
