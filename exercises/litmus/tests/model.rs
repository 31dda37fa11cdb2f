//! The model's answers, computed: `cargo test -p litmus --test model -- --nocapture`.
//!
//! Each variant of each test has a litmus file (`model/<test>-<orderings>.litmus`) whose threads
//! are the very functions loom, Miri and the hardware harness run. The model checker (the
//! `model` crate, under C++20's axioms) computes every outcome the model allows from it, and
//! this file holds the crate to that:
//!
//! - the litmus file reads exactly the functions the variant runs, from the file they are in;
//! - the answer written next to the test ([`litmus::Expected`]) is the computed one;
//! - the computed outcome set is the crate's own claim ([`litmus::Test::allowed`]): every
//!   combination of register values, less the outcome in question when it is forbidden;
//! - every state but the outcome in question is reached by some interleaving, and the outcome
//!   in question, where allowed, needs weak memory;
//! - every known deviation of loom and Miri is a departure from the computed set.
//!
//! It also prints how many candidate executions the checker built for each variant, and how
//! many the model's axioms accept.
#![cfg(not(loom))]

mod common;

use litmus::deviations::{KNOWN_LOOM_DEVIATIONS, KNOWN_MIRI_DEVIATIONS, Kind};
use litmus::{TESTS, Test};
use model::Model;

/// Everything this file checks for one test; each problem named with its test and variant.
fn model_agrees(test: &'static Test) -> Vec<String> {
    let mut problems = Vec::new();
    let question = test.question();
    for (variant, expected) in test.rows() {
        let row = format!("{} {}", test.name, variant.orderings);
        if let Err(problem) = common::check_link(test, variant) {
            problems.push(problem);
            continue;
        }
        let computed = match common::compute(test, variant, Model::Cpp20) {
            Ok(computed) => computed,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let verdict = &computed.verdict;
        let answer = |allowed: bool| if allowed { "allowed" } else { "forbidden" };
        eprintln!(
            "{row}: {} candidate executions, {} consistent; ({}) {}",
            verdict.candidates,
            verdict.consistent,
            test.describe(&question),
            answer(verdict.allowed()),
        );
        // (a) The written answer is the computed one.
        if verdict.allowed() != expected.allowed {
            problems.push(format!(
                "{row}: the crate's EXPECTED says ({}) is {}, but the model checker says {} \
                 ({}; its states: {})",
                test.describe(&question),
                answer(expected.allowed),
                answer(verdict.allowed()),
                variant.model,
                computed.states()
            ));
        }
        // (b) The whole outcome set is the crate's claim about it.
        let claimed = test.allowed(expected);
        let allowed = computed.allowed();
        if allowed != claimed {
            let list = |set: &std::collections::BTreeSet<_>| {
                let all: Vec<_> = set
                    .iter()
                    .map(|o| format!("({})", test.describe(o)))
                    .collect();
                if all.is_empty() {
                    "-".to_owned()
                } else {
                    all.join(" ")
                }
            };
            problems.push(format!(
                "{row}: the model allows exactly {}, but the crate claims {} (model only: {}; \
                 crate only: {})",
                list(&allowed),
                list(&claimed),
                list(&allowed.difference(&claimed).copied().collect()),
                list(&claimed.difference(&allowed).copied().collect()),
            ));
        }
        // (c) Only the outcome in question needs weak memory, and it does wherever allowed.
        for (outcome, info) in &computed.outcomes {
            let weak = *outcome == question;
            if info.under_sc == weak {
                problems.push(format!(
                    "{row}: the model labels ({}) as {}, but {}",
                    test.describe(outcome),
                    if info.under_sc {
                        "reached by an interleaving"
                    } else {
                        "needing weak memory"
                    },
                    if weak {
                        "no interleaving produces the outcome in question"
                    } else {
                        "every outcome but the one in question is an interleaving"
                    }
                ));
            }
        }
        if verdict.allowed() != computed.outcomes.contains_key(&question) {
            problems.push(format!(
                "{row}: the condition in {} is not the test's question ({}): the model says \
                 {} but its states say otherwise",
                variant.model,
                test.describe(&question),
                answer(verdict.allowed())
            ));
        }
    }
    problems
}

fn assert_model_agrees(test: &'static Test) {
    let problems = model_agrees(test);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn sb() {
    assert_model_agrees(&litmus::tests::sb::SB);
}

#[test]
fn mp() {
    assert_model_agrees(&litmus::tests::mp::MP);
}

#[test]
fn lb() {
    assert_model_agrees(&litmus::tests::lb::LB);
}

#[test]
fn iriw() {
    assert_model_agrees(&litmus::tests::iriw::IRIW);
}

#[test]
fn two_plus_two_w() {
    assert_model_agrees(&litmus::tests::two_plus_two_w::TWO_PLUS_TWO_W);
}

#[test]
fn corr() {
    assert_model_agrees(&litmus::tests::corr::CORR);
}

/// The tests above, one per litmus test, must cover every test the crate lists.
#[test]
fn every_test_is_checked() {
    let names: Vec<_> = TESTS.iter().map(|t| t.name).collect();
    assert_eq!(names, ["SB", "MP", "LB", "IRIW", "2+2W", "CoRR"]);
}

/// Every known deviation of loom and Miri departs from what the model computes: a false alarm
/// where the model forbids the outcome in question, a blind spot where it allows it.
#[test]
fn every_known_deviation_departs_from_the_computed_answer() {
    let mut problems = Vec::new();
    let tables = [
        ("KNOWN_LOOM_DEVIATIONS", KNOWN_LOOM_DEVIATIONS),
        ("KNOWN_MIRI_DEVIATIONS", KNOWN_MIRI_DEVIATIONS),
    ];
    for (table, deviations) in tables {
        for deviation in deviations {
            let test = TESTS
                .iter()
                .find(|t| t.name == deviation.test)
                .unwrap_or_else(|| panic!("{table}: no test {}", deviation.test));
            let variant = test
                .variants
                .iter()
                .find(|v| v.orderings == deviation.orderings)
                .unwrap_or_else(|| panic!("{table}: {} has no {}", test.name, deviation.orderings));
            let computed = common::compute(test, variant, Model::Cpp20).unwrap();
            let allowed = computed.verdict.allowed();
            if allowed != (deviation.kind == Kind::NeverProducesAllowed) {
                problems.push(format!(
                    "{table}: {deviation:?}, but the model {} ({})",
                    if allowed { "allows" } else { "forbids" },
                    test.describe(&test.question())
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// RC11 as published differs from C++20 only in its no-thin-air axiom and release sequences;
/// of these tests, only LB with Relaxed accesses tells them apart (RC11 forbids it).
#[test]
fn rc11_differs_only_on_lb_relaxed() {
    let mut differ = Vec::new();
    for test in TESTS {
        for variant in test.variants {
            let cpp20 = common::compute(test, variant, Model::Cpp20).unwrap();
            let rc11 = common::compute(test, variant, Model::Rc11).unwrap();
            if cpp20.verdict.allowed() != rc11.verdict.allowed() {
                differ.push(format!("{} {}", test.name, variant.orderings));
            }
        }
    }
    assert_eq!(differ, ["LB Relaxed"]);
}
