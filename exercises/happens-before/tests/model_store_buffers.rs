//! The model checker's answer for lesson 4's store forwarding (`litmus/sb-own-read.litmus`):
//! `cargo test -p happens-before --test model_store_buffers`. The same file runs from the
//! command line: `cargo run -p model --release -- exercises/happens-before/litmus/sb-own-read.litmus`.
#![cfg(not(loom))]

// Only `verdict` is used here; the module's other helpers serve tests/model.rs.
mod outcomes;

use model::program::Var;
use model::verdict::Observation;
use model::{Model, Verdict};
use std::collections::BTreeMap;

const FILE: &str = "sb-own-read.litmus";

/// Each final state as `[a.own, a.other, b.own, b.other]`, with whether it needs weak memory
/// (no interleaving of the two threads ends in it).
fn states(verdict: &Verdict) -> BTreeMap<[i64; 4], bool> {
    verdict
        .states
        .iter()
        .map(|(state, info)| {
            let register = |thread: usize, reg: &str| {
                let var = Var::Reg {
                    thread,
                    reg: reg.to_owned(),
                };
                state.get(&var).expect("the condition names every register")
            };
            let seen = [
                register(0, "own"),
                register(0, "other"),
                register(1, "own"),
                register(1, "other"),
            ];
            (seen, !info.under_sc)
        })
        .collect()
}

/// Each thread always reads its own store back, and both may still miss the other's store:
/// allowed, and no interleaving gives it.
#[test]
fn each_thread_may_see_its_own_store_and_miss_the_others() {
    for model in Model::ALL {
        let verdict = outcomes::verdict(FILE, model);
        assert_eq!(verdict.observation(), Observation::Sometimes, "{model}");
        assert!(verdict.races.is_empty(), "every access is atomic");
        let states = states(&verdict);
        // `own` is 1 in every state: a load may not read a store older than one its own
        // thread made to the same location before it (coherence).
        assert_eq!(
            states,
            BTreeMap::from([
                ([1, 0, 1, 0], true),
                ([1, 0, 1, 1], false),
                ([1, 1, 1, 0], false),
                ([1, 1, 1, 1], false),
            ]),
            "{model}"
        );
    }
}

/// With every access SeqCst, the outcome is gone and only interleavings remain.
#[test]
fn with_seqcst_accesses_only_interleavings_remain() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("litmus")
        .join(FILE);
    let text = std::fs::read_to_string(&path).unwrap();
    let seqcst = text.replace("Relaxed)", "SeqCst)");
    assert_eq!(seqcst.matches("SeqCst)").count(), 6, "all six accesses");
    let program = model::parse("sb-own-read+sc", &seqcst).unwrap_or_else(|e| panic!("{e}"));
    for model in Model::ALL {
        let verdict = model::check(&program, model).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(verdict.observation(), Observation::Never, "{model}");
        let states = states(&verdict);
        assert_eq!(states.len(), 3, "{model}");
        assert!(states.values().all(|weak| !weak), "{model}");
    }
}
