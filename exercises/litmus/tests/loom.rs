//! loom's verdict on every litmus test:
//! `RUSTFLAGS="--cfg loom" CARGO_TARGET_DIR=target/loom cargo test -p litmus --release`.
//!
//! Each test asserts that the set of outcomes loom enumerates *equals* what the model allows,
//! adjusted by loom's known deviations (`KNOWN_LOOM_DEVIATIONS`): on SB, IRIW and 2+2W with
//! `SeqCst` accesses loom also produces the forbidden outcome, and on LB it never produces the
//! allowed one. "What the model allows" is computed: the model checker (the `model` crate)
//! reads the variant's litmus file, whose threads are the functions loom runs here, and a
//! listed deviation that is no departure from its answer fails too. A loom release that
//! changes any of that fails here with a message saying which table to update. Add
//! `-- --nocapture` to see every set.
#![cfg(loom)]

mod common;

use litmus::deviations::{KNOWN_LOOM_DEVIATIONS, check, find};
use litmus::tests::{corr, iriw, lb, mp, sb, two_plus_two_w};
use litmus::{Test, model};
use std::collections::BTreeSet;

fn loom_agrees(test: &'static Test) {
    let mut problems = Vec::new();
    for variant in test.variants {
        let computed = common::compute(test, variant, ::model::Model::Cpp20)
            .unwrap_or_else(|problem| panic!("{problem}"));
        let (tally, elapsed) = model::enumerate(test, variant);
        let produced: BTreeSet<_> = tally.keys().copied().collect();
        let outcomes: Vec<String> = produced
            .iter()
            .map(|o| format!("({})", test.describe(o)))
            .collect();
        let deviation = find(KNOWN_LOOM_DEVIATIONS, test.name, variant.orderings);
        eprintln!(
            "{} {}: {} executions in {:.2} s; outcomes {}{}",
            test.name,
            variant.orderings,
            tally.values().sum::<u64>(),
            elapsed.as_secs_f64(),
            outcomes.join(" "),
            deviation.map_or(String::new(), |d| format!(
                " [known deviation: {}]",
                d.anchor
            )),
        );
        let verdict = check(
            "loom",
            "KNOWN_LOOM_DEVIATIONS",
            test,
            variant.orderings,
            &computed.allowed(),
            deviation,
            &produced,
            true,
        );
        if let Err(problem) = verdict {
            problems.push(problem);
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn sb() {
    loom_agrees(&sb::SB);
}

#[test]
fn mp() {
    loom_agrees(&mp::MP);
}

#[test]
fn lb() {
    loom_agrees(&lb::LB);
}

#[test]
fn iriw() {
    loom_agrees(&iriw::IRIW);
}

#[test]
fn two_plus_two_w() {
    loom_agrees(&two_plus_two_w::TWO_PLUS_TWO_W);
}

#[test]
fn corr() {
    loom_agrees(&corr::CORR);
}
