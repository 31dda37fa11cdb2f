//! The model checker's answers for this crate's litmus files (`litmus/*.litmus`, and lesson
//! 4's from the litmus crate), shared by `tests/model.rs` and `tests/loom.rs`. The model is
//! the oracle; loom is a tool under study.

use happens_before::message::stale::Seen;
use model::program::Var;
use model::{Model, Verdict};
use std::collections::BTreeMap;
use std::path::Path;

/// The model's verdict on `litmus/<file>` (a path relative to this crate's `litmus/`).
pub fn verdict(file: &str, model: Model) -> Verdict {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("litmus")
        .join(file);
    model::check_path(&path, model).unwrap_or_else(|e| panic!("{e}"))
}

/// Every outcome of `message::stale` that `model` allows, as `(flag, first, second)`, each
/// with whether it needs weak memory (no interleaving of the two threads ends in it).
// Only the stale-read tests call it; the other test binaries share the module for `verdict`.
#[allow(dead_code)]
pub fn stale_read(model: Model) -> BTreeMap<Seen, bool> {
    let verdict = verdict("stale-read.litmus", model);
    verdict
        .states
        .iter()
        .map(|(state, info)| {
            // The reader is the file's second thread.
            let register = |reg: &str| {
                let var = Var::Reg {
                    thread: 1,
                    reg: reg.to_owned(),
                };
                let value = state.get(&var).expect("the condition names every register");
                u64::try_from(value).expect("the program stores only 0, 1 and 2")
            };
            let seen = (register("flag"), register("first"), register("second"));
            (seen, !info.under_sc)
        })
        .collect()
}
