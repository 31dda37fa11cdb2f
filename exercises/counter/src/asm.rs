//! What an increment compiles to: `cargo xtask asm` builds this crate for x86-64 and AArch64
//! (with LSE, and as shipped with outline atomics) and writes
//! `src/phase-4/generated/counter-asm.md`, one row per function below and one column per build.
//! `cargo xtask asm --check` fails if that table is stale.
//!
//! Each function is `#[inline(never)]`, so it stays a symbol of its own. The first calls the
//! fixed counter's own `increment`, so its instructions are those of the real code; the second
//! is the same `fetch_add` with the strongest ordering, for comparison.

use crate::{Count, fixed};
use std::sync::atomic::{AtomicU64, Ordering};

/// `fetch_add(1, Relaxed)`, its result unused: the fixed counter's `increment`.
#[inline(never)]
pub fn fixed_increment(counter: &fixed::Counter) {
    counter.increment();
}

/// `fetch_add(1, SeqCst)`, its result unused: the same increment, strongest ordering.
#[inline(never)]
pub fn seq_cst_increment(value: &AtomicU64) {
    // SeqCst: pairs with nothing; here only to compare its instructions
    // with the Relaxed increment above.
    value.fetch_add(1, Ordering::SeqCst);
}
