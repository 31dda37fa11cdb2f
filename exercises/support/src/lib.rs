//! What every chapter crate shares, so no crate carries its own copy:
//!
//! - [`sync`], [`thread`], [`hint`] and [`cell`]: one set of names that means `std` in a normal
//!   build and `loom` under `RUSTFLAGS="--cfg loom"`. Chapter code imports from here, never from
//!   `std::sync::atomic` directly, so the same source is both the program and the model.
//! - [`model`] and [`model_with_preemption_bound`]: run a loom model (loom builds only).
//! - [`expect_bug`]: assert that a broken example fails with the *specific* message it must
//!   produce, not merely that something panicked.
//! - [`barrier::SpinBarrier`]: lines real threads up so stress tests and benches start them
//!   together.

pub mod barrier;
pub mod cell;
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

/// Runs `f` under loom once for every interleaving loom can produce.
#[cfg(loom)]
pub fn model<F>(f: F)
where
    F: Fn() + Sync + Send + 'static,
{
    loom::model(f);
}

/// Runs `f` under loom, exploring only schedules with at most `bound` preemptions.
///
/// Use this only where the exhaustive model takes too long, and say next to the call why the
/// bound still reaches the bug (most real bugs need one or two preemptions).
#[cfg(loom)]
pub fn model_with_preemption_bound<F>(bound: usize, f: F)
where
    F: Fn() + Sync + Send + 'static,
{
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(bound);
    builder.check(f);
}
