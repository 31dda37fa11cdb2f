//! Phase 1: the instructions each memory ordering compiles to.
//!
//! Each function below performs one atomic operation with one ordering, and nothing else, so
//! that its machine code is exactly what that ordering costs. `cargo xtask asm` compiles this
//! crate to assembly for x86-64 and AArch64 and writes the table in
//! `src/phase-1/generated/orderings-asm.md`; `cargo xtask asm --check` fails if that table is
//! stale. The [`hoisting`] module holds lesson 1's two flag loops, which get a table of their own.
//!
//! Two choices differ from the other chapter crates:
//!
//! - The atomics are std's, not `support::sync::atomic`'s. This crate is never run under loom:
//!   it exists to be read as assembly, and loom's atomics would compile to calls into loom's
//!   scheduler, not to the instructions a real program gets.
//! - Every function is `#[inline(never)]`, so each one stays a separate symbol in the assembly
//!   instead of being folded into its callers.
//!
//! Each `compare_exchange` function returns the value it found, whether it swapped or not, so
//! that its assembly is the compare-and-swap and not the building of a `Result`.
//!
//! The comment on each ordering says what it would pair with in a real program: in this crate
//! nothing runs, so nothing actually pairs.
//!
//! Which orderings each operation accepts is part of the lesson: a load cannot be `Release` or
//! `AcqRel`, a store cannot be `Acquire` or `AcqRel` (both panic at run time), a fence cannot be
//! `Relaxed`, and a compare-exchange's failure ordering is a load's, so it cannot be `Release`
//! or `AcqRel`. Only the valid ones are here.

use std::sync::atomic::{AtomicU64, Ordering, fence};

// Lesson 1's hoisted loop: a plain flag against an atomic one (its own table).
pub mod hoisting;

// ANCHOR: loads
/// `load(Relaxed)`: the value, and no promise about any other location.
#[inline(never)]
pub fn load_relaxed(x: &AtomicU64) -> u64 {
    // Relaxed: pairs with nothing; only this location's value is wanted.
    x.load(Ordering::Relaxed)
}

/// `load(Acquire)`: if it reads a Release store, it sees what came before that store.
#[inline(never)]
pub fn load_acquire(x: &AtomicU64) -> u64 {
    // Acquire: would pair with a Release store (`store_release`).
    x.load(Ordering::Acquire)
}

/// `load(SeqCst)`: Acquire, and a place in the single order of all SeqCst operations.
#[inline(never)]
pub fn load_seq_cst(x: &AtomicU64) -> u64 {
    // SeqCst: would pair with SeqCst stores (`store_seq_cst`) and take its
    // place in their single total order.
    x.load(Ordering::SeqCst)
}
// ANCHOR_END: loads

// ANCHOR: stores
/// `store(Relaxed)`: the value, published with nothing else.
#[inline(never)]
pub fn store_relaxed(x: &AtomicU64, v: u64) {
    // Relaxed: pairs with nothing; publishes no other data.
    x.store(v, Ordering::Relaxed)
}

/// `store(Release)`: everything this thread wrote before it goes with it.
#[inline(never)]
pub fn store_release(x: &AtomicU64, v: u64) {
    // Release: would pair with an Acquire load (`load_acquire`).
    x.store(v, Ordering::Release)
}

/// `store(SeqCst)`: Release, and a place in the single order of all SeqCst operations.
#[inline(never)]
pub fn store_seq_cst(x: &AtomicU64, v: u64) {
    // SeqCst: would pair with SeqCst loads (`load_seq_cst`) and take its
    // place in their single total order.
    x.store(v, Ordering::SeqCst)
}
// ANCHOR_END: stores

// ANCHOR: fetch_add
/// `fetch_add(Relaxed)`: one indivisible add; orders nothing else.
#[inline(never)]
pub fn fetch_add_relaxed(x: &AtomicU64, v: u64) -> u64 {
    // Relaxed: pairs with nothing; a counter that publishes no data.
    x.fetch_add(v, Ordering::Relaxed)
}

/// `fetch_add(Acquire)`: the read half acquires.
#[inline(never)]
pub fn fetch_add_acquire(x: &AtomicU64, v: u64) -> u64 {
    // Acquire: its read half would pair with a Release write of `x`.
    x.fetch_add(v, Ordering::Acquire)
}

/// `fetch_add(Release)`: the write half releases.
#[inline(never)]
pub fn fetch_add_release(x: &AtomicU64, v: u64) -> u64 {
    // Release: its write half would pair with an Acquire read of `x`.
    x.fetch_add(v, Ordering::Release)
}

/// `fetch_add(AcqRel)`: both halves: receives, then publishes.
#[inline(never)]
pub fn fetch_add_acq_rel(x: &AtomicU64, v: u64) -> u64 {
    // AcqRel: the read half would pair with earlier Release writes of `x`,
    // the write half with later Acquire reads of it.
    x.fetch_add(v, Ordering::AcqRel)
}

/// `fetch_add(SeqCst)`: AcqRel, and a place in the single order of all SeqCst operations.
#[inline(never)]
pub fn fetch_add_seq_cst(x: &AtomicU64, v: u64) -> u64 {
    // SeqCst: as AcqRel, plus a place in the single total order of
    // SeqCst operations.
    x.fetch_add(v, Ordering::SeqCst)
}
// ANCHOR_END: fetch_add

// ANCHOR: compare_exchange
/// `compare_exchange(Relaxed, Relaxed)`: an indivisible compare-and-swap that orders nothing else.
#[inline(never)]
pub fn compare_exchange_relaxed_relaxed(x: &AtomicU64, old: u64, new: u64) -> u64 {
    // Relaxed, Relaxed: pairs with nothing; only the value of `x` matters.
    match x.compare_exchange(old, new, Ordering::Relaxed, Ordering::Relaxed) {
        Ok(found) | Err(found) => found,
    }
}

/// `compare_exchange(Acquire, Acquire)`: acquires whether it succeeds or fails.
#[inline(never)]
pub fn compare_exchange_acquire_acquire(x: &AtomicU64, old: u64, new: u64) -> u64 {
    // Acquire, Acquire: would pair with a Release write of `x`, read on
    // success and on failure alike.
    match x.compare_exchange(old, new, Ordering::Acquire, Ordering::Acquire) {
        Ok(found) | Err(found) => found,
    }
}

/// `compare_exchange(Release, Relaxed)`: releases when it succeeds; a failure is a plain Relaxed load.
#[inline(never)]
pub fn compare_exchange_release_relaxed(x: &AtomicU64, old: u64, new: u64) -> u64 {
    // Release on success: would pair with an Acquire read of `x`. Relaxed on
    // failure: nothing was written, so nothing is published.
    match x.compare_exchange(old, new, Ordering::Release, Ordering::Relaxed) {
        Ok(found) | Err(found) => found,
    }
}

/// `compare_exchange(AcqRel, Acquire)`: receives and publishes on success, receives on failure.
#[inline(never)]
pub fn compare_exchange_acq_rel_acquire(x: &AtomicU64, old: u64, new: u64) -> u64 {
    // AcqRel on success: pairs both ways, as `fetch_add_acq_rel`. Acquire on
    // failure: would pair with the Release write it read.
    match x.compare_exchange(old, new, Ordering::AcqRel, Ordering::Acquire) {
        Ok(found) | Err(found) => found,
    }
}

/// `compare_exchange(SeqCst, SeqCst)`: AcqRel, and a place in the single order of all SeqCst operations.
#[inline(never)]
pub fn compare_exchange_seq_cst_seq_cst(x: &AtomicU64, old: u64, new: u64) -> u64 {
    // SeqCst, SeqCst: as AcqRel/Acquire, plus a place in the single total
    // order of SeqCst operations.
    match x.compare_exchange(old, new, Ordering::SeqCst, Ordering::SeqCst) {
        Ok(found) | Err(found) => found,
    }
}
// ANCHOR_END: compare_exchange

// ANCHOR: fences
/// `fence(Acquire)`: makes the Relaxed loads before it act like Acquire loads.
#[inline(never)]
pub fn fence_acquire() {
    // Acquire: would pair with a Release store or fence in another thread,
    // through a Relaxed load before this fence that reads from it.
    fence(Ordering::Acquire)
}

/// `fence(Release)`: makes the Relaxed stores after it act like Release stores.
#[inline(never)]
pub fn fence_release() {
    // Release: would pair with an Acquire load or fence in another thread,
    // through a Relaxed store after this fence that it reads.
    fence(Ordering::Release)
}

/// `fence(AcqRel)`: both of the above.
#[inline(never)]
pub fn fence_acq_rel() {
    // AcqRel: pairs both ways, as the Acquire and Release fences above.
    fence(Ordering::AcqRel)
}

/// `fence(SeqCst)`: AcqRel, and a place in the single order of all SeqCst operations.
#[inline(never)]
pub fn fence_seq_cst() {
    // SeqCst: as AcqRel, plus a place in the single total order of SeqCst
    // operations (what the store-buffer litmus test needs).
    fence(Ordering::SeqCst)
}
// ANCHOR_END: fences
