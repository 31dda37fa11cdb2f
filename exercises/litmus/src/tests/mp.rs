//! MP, message passing. Thread A writes the data (`x`), then raises a flag (`y`); thread B
//! reads the flag, then the data. The question: can B see the flag raised but the data still
//! 0?

use crate::{Expected, Memory, Outcome, Test, Variant};
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

/// The three programs, in the order of [`EXPECTED`].
pub const VARIANTS: &[Variant] = &[
    Variant {
        orderings: "Relaxed",
        threads: &[
            |m| {
                relaxed_a(m);
                [0, 0]
            },
            relaxed_b,
        ],
    },
    Variant {
        orderings: "Release/Acquire",
        threads: &[
            |m| {
                release_acquire_a(m);
                [0, 0]
            },
            release_acquire_b,
        ],
    },
    Variant {
        orderings: "SeqCst",
        threads: &[
            |m| {
                seqcst_a(m);
                [0, 0]
            },
            seqcst_b,
        ],
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
