//! SB, store buffering. Thread A writes `x` and then reads `y`; thread B writes `y` and then
//! reads `x`. The question: can both read 0, as if each load ran before the other thread's
//! store?

use crate::{Expected, Memory, Outcome, Test, Variant, thread};
use support::sync::atomic::{Ordering, fence};

// ANCHOR: sb
/// Thread A: set `x`, then report what `y` holds (`r1`).
pub fn relaxed_a(m: &Memory) -> u32 {
    m.x.store(1, Ordering::Relaxed); // Relaxed: the ordering under test; nothing pairs with it
    m.y.load(Ordering::Relaxed) // Relaxed: as above
}

/// Thread B, the mirror image: set `y`, then report what `x` holds (`r2`).
pub fn relaxed_b(m: &Memory) -> u32 {
    m.y.store(1, Ordering::Relaxed); // Relaxed: the ordering under test; nothing pairs with it
    m.x.load(Ordering::Relaxed) // Relaxed: as above
}
// ANCHOR_END: sb

/// Thread A with a Release store and an Acquire load.
pub fn release_acquire_a(m: &Memory) -> u32 {
    // Release: would pair with B's Acquire load of `x` if that load read 1; it orders only
    // what comes *before* the store, and nothing does.
    m.x.store(1, Ordering::Release);
    // Acquire: pairs with B's Release store of `y` when it reads 1; reading 0, it pairs with
    // nothing, and it orders only what comes *after* the load.
    m.y.load(Ordering::Acquire)
}

/// Thread B with a Release store and an Acquire load.
pub fn release_acquire_b(m: &Memory) -> u32 {
    m.y.store(1, Ordering::Release); // Release: mirror of A's store
    m.x.load(Ordering::Acquire) // Acquire: mirror of A's load
}

// ANCHOR: sb_seqcst
/// Thread A with every access `SeqCst`: its store and load join B's in one
/// total order that both threads agree on.
pub fn seqcst_a(m: &Memory) -> u32 {
    m.x.store(1, Ordering::SeqCst); // SeqCst: in the total order with B's two accesses
    m.y.load(Ordering::SeqCst) // SeqCst: as above
}

/// Thread B, the mirror image.
pub fn seqcst_b(m: &Memory) -> u32 {
    m.y.store(1, Ordering::SeqCst); // SeqCst: in the total order with A's two accesses
    m.x.load(Ordering::SeqCst) // SeqCst: as above
}
// ANCHOR_END: sb_seqcst

// ANCHOR: sb_fence
/// Thread A: `Relaxed` accesses with a `SeqCst` fence between them.
pub fn fenced_a(m: &Memory) -> u32 {
    m.x.store(1, Ordering::Relaxed); // Relaxed: the fence below orders it
    fence(Ordering::SeqCst); // SeqCst fence: pairs with B's fence; one is first
    m.y.load(Ordering::Relaxed) // Relaxed: the fence above orders it
}

/// Thread B, the mirror image.
pub fn fenced_b(m: &Memory) -> u32 {
    m.y.store(1, Ordering::Relaxed); // Relaxed: the fence below orders it
    fence(Ordering::SeqCst); // SeqCst fence: pairs with A's fence; one is first
    m.x.load(Ordering::Relaxed) // Relaxed: the fence above orders it
}
// ANCHOR_END: sb_fence

// ANCHOR: sb_expected
/// The model's answer to "can `r1 = 0, r2 = 0`?" (every other pair is an
/// interleaving, so always allowed).
pub const EXPECTED: &[Expected] = &[
    // Yes. Relaxed accesses are atomic but order nothing (C++20
    // [atomics.order] p1; cppreference memory_order, "Relaxed ordering"), so
    // each load may take effect before its own thread's store. Cox, "Hardware
    // Memory Models": x86 and ARM both show this outcome.
    Expected::allowed("Relaxed"),
    // Yes. Release and Acquire create order only when an Acquire load reads
    // a Release store; in the (0, 0) execution neither load reads the other
    // thread's store, so nothing synchronizes (C++20 [atomics.order] p2;
    // Cox, "Programming Language Memory Models", store buffering with
    // acquire/release atomics: allowed).
    Expected::allowed("Release/Acquire"),
    // No. All four accesses are in one total order S, and a SeqCst load
    // reading 0 comes before the store of 1 in S; with each thread's store
    // before its load, (0, 0) would need a cycle in S (C++20 [atomics.order]
    // p4, the coherence-ordered-before rule; cppreference, "Sequentially-
    // consistent ordering").
    Expected::forbidden("SeqCst"),
    // No. The two fences are in S; a load after one fence that misses a store
    // before the other fence puts its own fence first in S. Both loads
    // missing would put each fence before the other (C++20 [atomics.order]
    // p4, its clauses on fences; RC11 agrees).
    Expected::forbidden("Relaxed + fence(SeqCst)"),
];
// ANCHOR_END: sb_expected

/// The four programs, in the order of [`EXPECTED`].
pub const VARIANTS: &[Variant] = &[
    Variant {
        orderings: "Relaxed",
        threads: &[thread!(relaxed_a), thread!(relaxed_b)],
        model: "model/sb-relaxed.litmus",
    },
    Variant {
        orderings: "Release/Acquire",
        threads: &[thread!(release_acquire_a), thread!(release_acquire_b)],
        model: "model/sb-release-acquire.litmus",
    },
    Variant {
        orderings: "SeqCst",
        threads: &[thread!(seqcst_a), thread!(seqcst_b)],
        model: "model/sb-seqcst.litmus",
    },
    Variant {
        orderings: "Relaxed + fence(SeqCst)",
        threads: &[thread!(fenced_a), thread!(fenced_b)],
        model: "model/sb-relaxed-fence-seqcst.litmus",
    },
];

/// Store buffering.
pub const SB: Test = Test {
    name: "SB",
    key: "sb",
    title: "store buffering",
    registers: &["r1", "r2"],
    domain: &[&[0, 1], &[0, 1]],
    question: &[0, 0],
    outcome: |reads, _| Outcome::new(&[reads[0][0], reads[1][0]]),
    variants: VARIANTS,
    expected: EXPECTED,
};
