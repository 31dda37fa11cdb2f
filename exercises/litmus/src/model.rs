//! The loom runner: every outcome loom produces for a test (built only with `--cfg loom`).

use crate::{Memory, Reads, Tally, Test, Variant};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The preemption bound for tests with more than two threads (IRIW), and `None` (exhaustive)
/// for the rest.
///
/// Two-thread tests take 81 to 252 executions each, exhaustively. IRIW's four threads plus
/// main do not finish: unbounded, one set of orderings ran for more than ten minutes here;
/// bound 3 took 179,011 executions (40 s on a loaded two-core machine), bound 2 18,368
/// (about 2 s), bound 1 1,264. The bound limits how threads interleave, but not which store a
/// load reads: loom chooses among every store a load may read in every schedule it runs. Each
/// IRIW outcome differs from the others only in that choice, and even bound 0 (16 executions)
/// produces all sixteen. Bound 2 keeps a margin over that.
pub fn preemption_bound(variant: &Variant) -> Option<usize> {
    (variant.threads.len() > 2).then_some(2)
}

/// Every outcome loom produces for `variant`, with the number of executions that ended in it,
/// and how long the exploration took.
pub fn enumerate(test: &'static Test, variant: &'static Variant) -> (Tally, Duration) {
    // Outside the model, in std types: loom resets its own state between executions, and
    // these must survive them.
    let tally = Arc::new(Mutex::new(Tally::new()));
    let record = Arc::clone(&tally);
    let started = Instant::now();
    let model = move || {
        // Fresh atomics in every execution: loom explores each from the same start.
        let memory = support::sync::Arc::new(Memory::new());
        let handles: Vec<_> = variant
            .threads
            .iter()
            .map(|thread| {
                let (body, memory) = (thread.body, support::sync::Arc::clone(&memory));
                support::thread::spawn(move || body(&memory))
            })
            .collect();
        let reads: Vec<Reads> = handles
            .into_iter()
            .map(|handle| handle.join().expect("a litmus thread panicked"))
            .collect();
        let outcome = (test.outcome)(&reads, &memory);
        *record.lock().unwrap().entry(outcome).or_default() += 1;
    };
    match preemption_bound(variant) {
        Some(bound) => support::model_with_preemption_bound(bound, model),
        None => support::model(model),
    }
    let elapsed = started.elapsed();
    let tally = std::mem::take(&mut *tally.lock().unwrap());
    (tally, elapsed)
}
