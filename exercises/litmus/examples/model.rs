//! `cargo run -p litmus --example model [-- --tsv]`: the model checker's answer for every test
//! and set of orderings, computed from each variant's litmus file (`model/`) under C++20's
//! axioms and under RC11's, with how many candidate executions it built and how many the
//! model accepts.
//!
//! `cargo xtask litmus` runs it with `--tsv`, which prints one line per row:
//! `model  test  orderings  c++20  rc11  candidates  consistent  written`, where `c++20` and
//! `rc11` are `allowed` or `forbidden` (the outcome in question under each model) and `written`
//! is the crate's own answer ([`litmus::Expected`]), which `tests/model.rs` holds equal to the
//! `c++20` one.

#[path = "../tests/common/mod.rs"]
mod common;

use litmus::TESTS;
use model::Model;
use std::process::ExitCode;

fn main() -> ExitCode {
    let tsv = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("--tsv") => true,
        Some(_) => {
            eprintln!("usage: cargo run -p litmus --example model [-- --tsv]");
            return ExitCode::from(2);
        }
    };
    let answer = |allowed: bool| if allowed { "allowed" } else { "forbidden" };
    for test in TESTS {
        if !tsv {
            println!(
                "{}, {}: can {}?",
                test.name,
                test.title,
                test.describe(&test.question())
            );
        }
        for (variant, expected) in test.rows() {
            let computed = |model| common::compute(test, variant, model).map(|c| c.verdict);
            let (cpp20, rc11) = match (computed(Model::Cpp20), computed(Model::Rc11)) {
                (Ok(cpp20), Ok(rc11)) => (cpp20, rc11),
                (Err(problem), _) | (_, Err(problem)) => {
                    eprintln!("{problem}");
                    return ExitCode::FAILURE;
                }
            };
            if tsv {
                println!(
                    "model\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    test.name,
                    variant.orderings,
                    answer(cpp20.allowed()),
                    answer(rc11.allowed()),
                    cpp20.candidates,
                    cpp20.consistent,
                    answer(expected.allowed),
                );
            } else {
                println!(
                    "  {:<25} c++20 {:<10} rc11 {:<10} ({} candidate executions, {} consistent; \
                     {})",
                    variant.orderings,
                    answer(cpp20.allowed()),
                    answer(rc11.allowed()),
                    cpp20.candidates,
                    cpp20.consistent,
                    variant.model
                );
            }
        }
    }
    ExitCode::SUCCESS
}
