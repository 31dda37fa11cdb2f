//! The checker's verdicts: `RUSTFLAGS="--cfg loom" cargo test -p happens-before --release`.
//!
//! Each expected failure has a test of its own, so one caught bug cannot mask another.
#![cfg(loom)]

mod outcomes;

use happens_before::message::stale::Seen;
use happens_before::relaxed::snapshot::Reading;
use happens_before::{cas, graph, message, relaxed};
use model::Model;
use std::collections::BTreeSet;

// Lesson 5: happens-before is a graph.

#[test]
fn a_join_then_a_spawn_orders_the_write_before_the_read() {
    graph::check::reader_sees_the_write(graph::joined::write_join_then_read);
}

// ANCHOR: spawn_order_is_caught
#[test]
fn being_spawned_first_orders_nothing() {
    let program = graph::broken_spawn_order::spawn_writer_then_reader;
    support::expect_bug("Causality violation", || {
        graph::check::reader_sees_the_write(program);
    });
}
// ANCHOR_END: spawn_order_is_caught

// Lessons 6 and 7: Release publishes, Acquire claims.

#[test]
fn release_and_acquire_hand_over_the_payload() {
    message::check::receiver_sees_the_payload::<message::fixed::Mailbox>();
}

// ANCHOR: relaxed_store_is_caught
#[test]
fn a_relaxed_store_publishes_nothing() {
    let model = message::check::receiver_sees_the_payload::<message::broken_relaxed_store::Mailbox>;
    support::expect_bug("Causality violation", model);
}
// ANCHOR_END: relaxed_store_is_caught

// ANCHOR: relaxed_load_is_caught
#[test]
fn a_relaxed_load_claims_nothing() {
    let model = message::check::receiver_sees_the_payload::<message::broken_relaxed_load::Mailbox>;
    support::expect_bug("Causality violation", model);
}
// ANCHOR_END: relaxed_load_is_caught

// ANCHOR: older_value
#[test]
fn an_acquire_load_gets_only_what_the_store_it_read_published() {
    let loom: BTreeSet<Seen> = message::check::every_outcome_of_publish_twice()
        .into_iter()
        .collect();
    eprintln!("(flag, first, second) outcomes loom produced: {loom:?}");
    for &(flag, first, second) in &loom {
        // What the Acquire load did receive: the data published with the version it read.
        if flag >= 1 {
            assert_eq!(first, 1, "version {flag} came without `first`");
        }
        if flag == 2 {
            assert_eq!(second, 1, "version 2 came without `second`");
        }
    }
    // The oracle: the C++20 model's outcomes (tests/model.rs lists them). loom produces
    // exactly those, the one that needs weak memory, (0, 0, 1), included.
    let allowed: BTreeSet<Seen> = outcomes::stale_read(Model::Cpp20).into_keys().collect();
    assert_eq!(loom, allowed);
}
// ANCHOR_END: older_value

// Lesson 8: the success ordering of a CAS.

#[test]
fn a_release_cas_publishes_the_node() {
    cas::check::reader_sees_whole_nodes::<cas::stack::Stack>();
}

// ANCHOR: relaxed_cas_is_caught
#[test]
fn a_relaxed_cas_publishes_nothing() {
    let model = cas::check::reader_sees_whole_nodes::<cas::broken_relaxed_push::Stack>;
    support::expect_bug("Causality violation", model);
}
// ANCHOR_END: relaxed_cas_is_caught

// ANCHOR: loom_weak_cas
/// The other side of Miri's `a_lone_weak_cas_can_fail`: loom's `compare_exchange_weak` is
/// the strong CAS, so this passes in every execution. A loom release that learns spurious
/// failure will fail it, and lesson 8 must then be updated.
#[test]
fn loom_never_fails_a_weak_cas_spuriously() {
    use support::sync::atomic::{AtomicBool, Ordering};
    support::model(|| {
        let flag = AtomicBool::new(false);
        let claimed = flag.compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed);
        assert!(claimed.is_ok(), "loom failed a weak CAS spuriously");
    });
}
// ANCHOR_END: loom_weak_cas

// Lesson 9: Relaxed where order does not matter, and where it does.

#[test]
fn a_relaxed_counter_counts_exactly() {
    relaxed::check::counter_is_exact();
}

#[test]
fn a_relaxed_stop_flag_stops_the_worker() {
    relaxed::check::stop_flag_stops_the_worker();
}

#[test]
fn relaxed_ids_are_unique() {
    relaxed::check::ids_are_unique();
}

// ANCHOR: no_snapshot
#[test]
fn two_relaxed_counters_are_not_a_snapshot() {
    let readings = relaxed::check::every_reading_of_two_counters();
    let mut listed: Vec<_> = readings.iter().map(|r| (r.errors, r.requests)).collect();
    listed.sort_unstable();
    eprintln!("(errors, requests) readings loom produced: {listed:?}");
    // More errors than requests: the server never had that state, and the reader saw it.
    let impossible_in_the_server = Reading {
        errors: 1,
        requests: 0,
    };
    assert!(readings.contains(&impossible_in_the_server));
}
// ANCHOR_END: no_snapshot

#[test]
fn a_release_count_publishes_the_results() {
    relaxed::check::results_are_published::<relaxed::done_count::DoneCount>();
}

// ANCHOR: relaxed_count_is_caught
#[test]
fn a_relaxed_count_publishes_nothing() {
    let model = relaxed::check::results_are_published::<relaxed::broken_done_count::DoneCount>;
    support::expect_bug("Causality violation", model);
}
// ANCHOR_END: relaxed_count_is_caught

/// The learner loop's test: `cargo xtask learn happens-before` runs only this one.
#[cfg(learner = "happens-before")]
#[test]
fn learner_attempt() {
    message::check::receiver_sees_the_payload::<happens_before::attempt::Mailbox>();
}
