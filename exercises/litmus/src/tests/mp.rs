//! MP, message passing. Thread A writes the data (`x`), then raises a flag (`y`); thread B
//! reads the flag, then the data. The question: can B see the flag raised but the data still
//! 0?

use crate::{Expected, Memory, Outcome, Test, Variant, thread};
use support::sync::atomic::Ordering;

// ANCHOR: mp
/// Thread A, the writer: the data first, then the flag that announces it.
pub fn relaxed_a(m: &Memory) {
    let (data, flag) = (&m.x, &m.y);
    data.store(1, Ordering::Relaxed); // Relaxed: the ordering under test; nothing pairs with it
    flag.store(1, Ordering::Relaxed); // Relaxed: as above
}

/// Thread B, the reader: the flag (`r1`), then the data (`r2`).
pub fn relaxed_b(m: &Memory) -> [u32; 2] {
    let (data, flag) = (&m.x, &m.y);
    let r1 = flag.load(Ordering::Relaxed); // Relaxed: the ordering under test
    let r2 = data.load(Ordering::Relaxed); // Relaxed: as above
    [r1, r2]
}
// ANCHOR_END: mp

// ANCHOR: mp_release_acquire
/// Thread A, publishing: the Release store of the flag carries the data.
pub fn release_acquire_a(m: &Memory) {
    let (data, flag) = (&m.x, &m.y);
    data.store(1, Ordering::Relaxed); // Relaxed: published by the Release store below
    flag.store(1, Ordering::Release); // Release: pairs with B's Acquire load of the flag
}

/// Thread B, claiming: an Acquire load that reads 1 receives the data.
pub fn release_acquire_b(m: &Memory) -> [u32; 2] {
    let (data, flag) = (&m.x, &m.y);
    let r1 = flag.load(Ordering::Acquire); // Acquire: pairs with A's Release store
    let r2 = data.load(Ordering::Relaxed); // Relaxed: ordered by the Acquire above
    [r1, r2]
}
// ANCHOR_END: mp_release_acquire

// ANCHOR: mp_one_sided
/// Thread A, Release on one side only: the same writer as [`release_acquire_a`], but its
/// reader ([`release_relaxed_b`]) loads the flag `Relaxed`.
pub fn release_relaxed_a(m: &Memory) {
    let (data, flag) = (&m.x, &m.y);
    // Relaxed: only a Release store that an Acquire load reads would publish it.
    data.store(1, Ordering::Relaxed);
    // Release: pairs with nothing, because B's load of the flag is Relaxed.
    flag.store(1, Ordering::Release);
}

/// Thread B, loading the flag `Relaxed`: even when it reads A's Release store, it acquires
/// nothing, so the data load may still miss the data.
pub fn release_relaxed_b(m: &Memory) -> [u32; 2] {
    let (data, flag) = (&m.x, &m.y);
    let r1 = flag.load(Ordering::Relaxed); // Relaxed: acquires nothing, whatever it reads
    let r2 = data.load(Ordering::Relaxed); // Relaxed: not ordered after the flag load
    [r1, r2]
}

/// Thread A, storing the flag `Relaxed`: it releases nothing, so its reader's Acquire load
/// ([`relaxed_acquire_b`]) has nothing to pair with.
pub fn relaxed_acquire_a(m: &Memory) {
    let (data, flag) = (&m.x, &m.y);
    data.store(1, Ordering::Relaxed); // Relaxed: not ordered before the flag store
    // Relaxed: releases nothing, so B's Acquire load of the flag pairs with nothing.
    flag.store(1, Ordering::Relaxed);
}

/// Thread B, Acquire on one side only: the same reader as [`release_acquire_b`].
pub fn relaxed_acquire_b(m: &Memory) -> [u32; 2] {
    let (data, flag) = (&m.x, &m.y);
    // Acquire: pairs with nothing, because A's store of the flag is Relaxed.
    let r1 = flag.load(Ordering::Acquire);
    let r2 = data.load(Ordering::Relaxed); // Relaxed: after the Acquire, but nothing was released
    [r1, r2]
}
// ANCHOR_END: mp_one_sided

/// Thread A with every access `SeqCst`.
pub fn seqcst_a(m: &Memory) {
    let (data, flag) = (&m.x, &m.y);
    data.store(1, Ordering::SeqCst); // SeqCst: in the total order with B's loads
    flag.store(1, Ordering::SeqCst); // SeqCst: also a Release store; pairs with B's flag load
}

/// Thread B with every access `SeqCst`.
pub fn seqcst_b(m: &Memory) -> [u32; 2] {
    let (data, flag) = (&m.x, &m.y);
    let r1 = flag.load(Ordering::SeqCst); // SeqCst: also an Acquire load; pairs with A's flag store
    let r2 = data.load(Ordering::SeqCst); // SeqCst: in the total order with A's stores
    [r1, r2]
}

// ANCHOR: mp_expected
/// The model's answer to "can `r1 = 1, r2 = 0`?" (flag seen, data missed).
pub const EXPECTED: &[Expected] = &[
    // Yes. Relaxed accesses to different locations are not ordered with each
    // other (C++20 [atomics.order] p1), so B may see the flag store and miss
    // the data store. Cox, "Hardware Memory Models": ARM and POWER allow it;
    // x86 (TSO) keeps stores in order and loads in order, so it never shows.
    Expected::allowed("Relaxed"),
    // Yes. Synchronizes-with needs both halves: a Release store, and an Acquire
    // load that reads it (C++20 [atomics.order] p2). B's Relaxed load of the
    // flag acquires nothing even when it reads A's Release store, so A's data
    // store does not happen before B's data load, which may read the initial
    // 0. cppreference memory_order, "Release-Acquire ordering": the guarantee
    // holds only between threads that release and acquire the same atomic.
    // RC11 agrees: its sw ends in an acquire read or an acquire fence after
    // the read (Lahav et al., PLDI 2017, section 3), and B has neither.
    Expected::allowed("Release/Relaxed"),
    // Yes, the mirror image: B's Acquire load reads A's flag store, but that
    // store is Relaxed, so there is no release for it to pair with and
    // nothing synchronizes (C++20 [atomics.order] p2; [intro.races] defines
    // a release sequence as headed by a release operation). RC11's sw starts
    // at a release write or a release fence before it, and A has neither.
    Expected::allowed("Relaxed/Acquire"),
    // No. B's Acquire load reads A's Release store, so they synchronize (C++20
    // [atomics.order] p2) and A's data store happens before B's data load.
    // Write-read coherence ([intro.races]) then forbids reading the initial
    // 0, which is earlier in x's modification order. cppreference memory_order,
    // "Release-Acquire ordering", is this example.
    Expected::forbidden("Release/Acquire"),
    // No. SeqCst stores are Release and SeqCst loads Acquire (C++20
    // [atomics.order] p1), so the Release/Acquire argument holds unchanged.
    Expected::forbidden("SeqCst"),
];
// ANCHOR_END: mp_expected

/// The five programs, in the order of [`EXPECTED`]: each half of Release/Acquire alone,
/// then both.
pub const VARIANTS: &[Variant] = &[
    Variant {
        orderings: "Relaxed",
        threads: &[thread!(relaxed_a), thread!(relaxed_b)],
        model: "model/mp-relaxed.litmus",
    },
    Variant {
        orderings: "Release/Relaxed",
        threads: &[thread!(release_relaxed_a), thread!(release_relaxed_b)],
        model: "model/mp-release-relaxed.litmus",
    },
    Variant {
        orderings: "Relaxed/Acquire",
        threads: &[thread!(relaxed_acquire_a), thread!(relaxed_acquire_b)],
        model: "model/mp-relaxed-acquire.litmus",
    },
    Variant {
        orderings: "Release/Acquire",
        threads: &[thread!(release_acquire_a), thread!(release_acquire_b)],
        model: "model/mp-release-acquire.litmus",
    },
    Variant {
        orderings: "SeqCst",
        threads: &[thread!(seqcst_a), thread!(seqcst_b)],
        model: "model/mp-seqcst.litmus",
    },
];

/// Message passing.
pub const MP: Test = Test {
    name: "MP",
    key: "mp",
    title: "message passing",
    registers: &["r1", "r2"],
    domain: &[&[0, 1], &[0, 1]],
    question: &[1, 0],
    outcome: |reads, _| Outcome::new(&reads[1]),
    variants: VARIANTS,
    expected: EXPECTED,
};
