//! The model checker's answers for lesson 7's fences (`src/fences/`, the Going-further page):
//! `cargo test -p happens-before --test model_acquire`. Each file runs from the command line
//! too: `cargo run -p model --release -- exercises/happens-before/litmus/fence-acquire.litmus`.
#![cfg(not(loom))]

// Only `verdict` is used here; `stale_read` serves tests/model.rs and tests/loom.rs.
mod outcomes;

use model::verdict::Observation;
use model::{Model, Verdict};

/// Each final state as the model checker prints it (`1:got=42; 1:seen=1;`).
fn states(verdict: &Verdict) -> Vec<String> {
    verdict.states.keys().map(|s| s.to_string()).collect()
}

// ANCHOR: hand_overs
/// Every pairing of a Release store or a Release fence with an Acquire load or an Acquire
/// fence hands the payload over: a receiver that sees the flag reads 42, and the plain
/// accesses never race.
#[test]
fn every_fence_pairing_hands_the_payload_over() {
    for file in [
        "fence-acquire.litmus", // Release store, Relaxed load, Acquire fence
        "fence-release.litmus", // Release fence, Relaxed store, Acquire load
        "fence-fence.litmus",   // Release fence ... Acquire fence
    ] {
        for model in Model::ALL {
            let verdict = outcomes::verdict(file, model);
            assert_eq!(verdict.observation(), Observation::Never, "{file} {model}");
            assert!(
                verdict.races.is_empty(),
                "{file} {model}: {:?}",
                verdict.races
            );
            assert_eq!(
                states(&verdict),
                ["1:got=0; 1:seen=0;", "1:got=42; 1:seen=1;"],
                "{file} {model}"
            );
        }
    }
}

/// A fence on the wrong side of the flag's access orders nothing through it: an Acquire fence
/// *before* the load that reads the flag (`broken_fence_first`), or a Release fence *after*
/// the store of the flag. The payload read races with the write.
#[test]
fn a_fence_on_the_wrong_side_orders_nothing() {
    for file in ["fence-first.litmus", "fence-release-last.litmus"] {
        for model in Model::ALL {
            let verdict = outcomes::verdict(file, model);
            assert_eq!(
                verdict.observation(),
                Observation::Sometimes,
                "{file} {model}"
            );
            assert_eq!(
                verdict.races.len(),
                1,
                "{file} {model}: the payload write and read"
            );
            let race = verdict.races[0].to_string();
            assert!(
                race.contains("W payload=42 na") && race.contains("R payload"),
                "{file} {model}: {race}"
            );
        }
    }
}
// ANCHOR_END: hand_overs

// ANCHOR: seqcst_fences
/// Store buffering: SeqCst fences between each thread's store and load forbid both loads
/// reading 0 (the litmus crate's file); AcqRel fences in the same places do not.
#[test]
fn only_seqcst_fences_forbid_store_buffering() {
    for model in Model::ALL {
        let seqcst = outcomes::verdict("../../litmus/model/sb-relaxed-fence-seqcst.litmus", model);
        assert_eq!(seqcst.observation(), Observation::Never, "{model}");
        let acq_rel = outcomes::verdict("sb-fence-acqrel.litmus", model);
        assert_eq!(acq_rel.observation(), Observation::Sometimes, "{model}");
        let both_zero = acq_rel.witnesses().map(|(_, info)| info.under_sc);
        assert_eq!(
            both_zero.collect::<Vec<_>>(),
            [false],
            "{model}: needs weak memory"
        );
    }
}
// ANCHOR_END: seqcst_fences

/// The model checker refuses `compiler_fence`: it orders a thread only against code on the
/// same thread (a signal handler), which the model does not have.
#[test]
fn the_model_has_no_compiler_fence() {
    let text = "litmus signal\nthread a {\n    x.store(1, Relaxed);\n    \
                compiler_fence(Release);\n    y.store(1, Relaxed);\n}\n";
    let error = model::parse("signal.litmus", text).expect_err("compiler_fence is refused");
    assert!(
        error
            .to_string()
            .contains("`compiler_fence` is not supported"),
        "{error}"
    );
}
