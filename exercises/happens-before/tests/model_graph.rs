//! The model checker's answers for lesson 5's two programs:
//! `cargo test -p happens-before --test model_graph`.
#![cfg(not(loom))]

// Shared with tests/model.rs and tests/loom.rs; this file needs only `verdict`.
mod outcomes;

use model::Model;
use model::verdict::Observation;

/// A join, then a spawn: the read always returns 42, and nothing races.
#[test]
fn join_then_spawn_orders_the_write_before_the_read() {
    let verdict = outcomes::verdict("spawn-join.litmus", Model::Cpp20);
    assert_eq!(verdict.observation(), Observation::Never);
    assert!(verdict.races.is_empty(), "{:?}", verdict.races);
}

/// Both spawns before either join: the write and the read race, in the model's words.
#[test]
fn spawning_first_orders_nothing() {
    let verdict = outcomes::verdict("spawn-order.litmus", Model::Cpp20);
    let races: Vec<String> = verdict.races.iter().map(ToString::to_string).collect();
    assert_eq!(
        races,
        ["thread 1 (13:5) W data=42 na ~ thread 2 (16:5) R data=0 na"]
    );
}
