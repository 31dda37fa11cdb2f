//! What every chapter crate shares, so no crate carries its own copy:
//!
//! - [`sync`], [`thread`], [`hint`] and [`cell`]: one set of names that means `std` in a normal
//!   build and `loom` under `RUSTFLAGS="--cfg loom"`. Chapter code imports from here, never from
//!   `std::sync::atomic` directly, so the same source is both the program and the model.
//! - [`model`] and [`model_with_preemption_bound`]: run a loom model (loom builds only) and
//!   print how many executions it explored ([`coverage`]).
//! - [`expect_bug`]: assert that a broken example fails with the *specific* message it must
//!   produce, not merely that something panicked.
//! - [`barrier::SpinBarrier`]: lines real threads up so stress tests and benches start them
//!   together.

pub mod barrier;
pub mod cell;
pub mod coverage;
mod expect;
pub mod process;

pub use expect::{expect_bug, panic_message};

// ANCHOR: shim
/// Atomics (and, for tests, `Arc`), from loom under `cfg(loom)` and from std otherwise.
pub mod sync {
    #[cfg(loom)]
    pub use loom::sync::{Arc, Mutex, atomic};
    #[cfg(not(loom))]
    pub use std::sync::{Arc, Mutex, atomic};
}

/// Threads, from loom under `cfg(loom)` and from std otherwise.
pub mod thread {
    #[cfg(loom)]
    pub use loom::thread::{JoinHandle, Thread, current, park, spawn, yield_now};
    #[cfg(not(loom))]
    pub use std::thread::{JoinHandle, Thread, current, park, spawn, yield_now};
}
// ANCHOR_END: shim

/// Spin-loop hints. Under loom a spin loop must yield, or the model never ends.
pub mod hint {
    #[cfg(loom)]
    pub use loom::hint::spin_loop;
    #[cfg(not(loom))]
    pub use std::hint::spin_loop;
}

/// Runs `f` under loom once for every interleaving loom can produce, then prints how many
/// executions that was (see [`coverage`] for the line's format; a warning when there were few).
#[cfg(loom)]
#[track_caller]
pub fn model<F>(f: F)
where
    F: Fn() + Sync + Send + 'static,
{
    // `loom::model` rather than a bare `Builder::check`: it also installs the `LOOM_LOG` logger.
    counted(&loom::model::Builder::new(), f, loom::model);
}

/// Runs `f` under loom, exploring only schedules with at most `bound` preemptions.
///
/// Use this only where the exhaustive model takes too long, and say next to the call why the
/// bound still reaches the bug (most real bugs need one or two preemptions).
#[cfg(loom)]
#[track_caller]
pub fn model_with_preemption_bound<F>(bound: usize, f: F)
where
    F: Fn() + Sync + Send + 'static,
{
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(bound);
    counted(&builder, f, |f| builder.check(f));
}

/// Runs `f` through `check` with a counter of executions, and reports the count (also when
/// the model fails, before the failure carries on unwinding to the test or to `expect_bug`).
#[cfg(loom)]
#[track_caller]
fn counted<F>(builder: &loom::model::Builder, f: F, check: impl FnOnce(Box<dyn Fn() + Sync + Send>))
where
    F: Fn() + Sync + Send + 'static,
{
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let name = coverage::model_name(std::panic::Location::caller());
    let limits = coverage::Limits {
        preemption_bound: builder.preemption_bound,
        max_permutations: builder.max_permutations,
        max_duration: builder.max_duration,
    };
    // std's atomic, not loom's: the counter lives outside the model and must not be explored.
    let executions = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&executions);
    let started = std::time::Instant::now();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        check(Box::new(move || {
            // Relaxed: a tally read after `check` returns, on the thread that started it.
            counter.fetch_add(1, Ordering::Relaxed);
            f();
        }));
    }));
    // Relaxed: loom runs every execution on threads it has joined by now.
    let count = executions.load(Ordering::Relaxed);
    coverage::emit(&coverage::report(
        &name,
        count,
        result.is_err(),
        limits,
        started.elapsed(),
    ));
    if let Err(payload) = result {
        std::panic::resume_unwind(payload);
    }
}
