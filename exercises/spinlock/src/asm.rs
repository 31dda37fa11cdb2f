//! What the locks' compare-and-swap compiles to: `cargo xtask asm` builds this crate for x86-64,
//! for AArch64 (with LSE, as shipped with outline atomics, and with neither) and for 32-bit
//! ARMv7, and writes `src/phase-3/generated/spinlock-asm.md`, one row per function below and one
//! column per build. `cargo xtask asm --check` fails if that table is stale, and checks what the
//! lesson says about it: on a build without LSE and outline atomics, the inherited lock's attempt
//! is one load-exclusive and one store-exclusive, with no loop back when the store fails.
//!
//! Each function is `#[inline(never)]`, so it stays a symbol of its own, and calls the locks'
//! own code for one `u64`, so the instructions are those of the real locks, not of a copy.

use crate::{broken_weak, fixed};

/// `compare_exchange_weak`: the inherited lock's `attempt`, one weak CAS.
#[inline(never)]
pub fn inherited_attempt(lock: &broken_weak::SpinLock<u64>) -> bool {
    lock.attempt()
}

/// `compare_exchange`: the fixed lock's `try_lock`, one strong CAS.
#[inline(never)]
pub fn fixed_try_lock(lock: &fixed::SpinLock<u64>) -> Option<fixed::Guard<'_, u64>> {
    lock.try_lock()
}
