//! IRIW, independent reads of independent writes. Thread A writes `x`, thread B writes `y`;
//! thread C reads `x` then `y`, thread D reads `y` then `x`. The question: can C see the write
//! to `x` first while D sees the write to `y` first, so that the two readers disagree on which
//! write happened first?

use crate::{Expected, Memory, Outcome, Test, Variant, thread};
use support::sync::atomic::Ordering;

// ANCHOR: iriw
/// Thread A: set `x`.
pub fn relaxed_a(m: &Memory) {
    m.x.store(1, Ordering::Relaxed); // Relaxed: the ordering under test; nothing pairs with it
}

/// Thread B: set `y`.
pub fn relaxed_b(m: &Memory) {
    m.y.store(1, Ordering::Relaxed); // Relaxed: the ordering under test; nothing pairs with it
}

/// Thread C: read `x` (`r1`), then `y` (`r2`).
pub fn relaxed_c(m: &Memory) -> [u32; 2] {
    let r1 = m.x.load(Ordering::Relaxed); // Relaxed: the ordering under test
    let r2 = m.y.load(Ordering::Relaxed); // Relaxed: as above
    [r1, r2]
}

/// Thread D: read `y` (`r3`), then `x` (`r4`).
pub fn relaxed_d(m: &Memory) -> [u32; 2] {
    let r3 = m.y.load(Ordering::Relaxed); // Relaxed: the ordering under test
    let r4 = m.x.load(Ordering::Relaxed); // Relaxed: as above
    [r3, r4]
}
// ANCHOR_END: iriw

/// Thread A with a Release store.
pub fn release_acquire_a(m: &Memory) {
    m.x.store(1, Ordering::Release); // Release: pairs with C's and D's Acquire loads of `x`
}

/// Thread B with a Release store.
pub fn release_acquire_b(m: &Memory) {
    m.y.store(1, Ordering::Release); // Release: pairs with C's and D's Acquire loads of `y`
}

/// Thread C with Acquire loads.
pub fn release_acquire_c(m: &Memory) -> [u32; 2] {
    let r1 = m.x.load(Ordering::Acquire); // Acquire: pairs with A's Release store
    let r2 = m.y.load(Ordering::Acquire); // Acquire: pairs with B's Release store
    [r1, r2]
}

/// Thread D with Acquire loads.
pub fn release_acquire_d(m: &Memory) -> [u32; 2] {
    let r3 = m.y.load(Ordering::Acquire); // Acquire: pairs with B's Release store
    let r4 = m.x.load(Ordering::Acquire); // Acquire: pairs with A's Release store
    [r3, r4]
}

/// Thread A with a `SeqCst` store.
pub fn seqcst_a(m: &Memory) {
    m.x.store(1, Ordering::SeqCst); // SeqCst: in the total order with every load here
}

/// Thread B with a `SeqCst` store.
pub fn seqcst_b(m: &Memory) {
    m.y.store(1, Ordering::SeqCst); // SeqCst: in the total order with every load here
}

/// Thread C with `SeqCst` loads.
pub fn seqcst_c(m: &Memory) -> [u32; 2] {
    let r1 = m.x.load(Ordering::SeqCst); // SeqCst: in the total order with A's and B's stores
    let r2 = m.y.load(Ordering::SeqCst); // SeqCst: as above
    [r1, r2]
}

/// Thread D with `SeqCst` loads.
pub fn seqcst_d(m: &Memory) -> [u32; 2] {
    let r3 = m.y.load(Ordering::SeqCst); // SeqCst: in the total order with A's and B's stores
    let r4 = m.x.load(Ordering::SeqCst); // SeqCst: as above
    [r3, r4]
}

/// The model's answer to "can `r1 = 1, r2 = 0, r3 = 1, r4 = 0`?".
pub const EXPECTED: &[Expected] = &[
    // Yes. Nothing relates the two locations' modification orders, and each
    // reader's Relaxed loads are not ordered with each other (C++20
    // [atomics.order] p1). Cox, "Hardware Memory Models", runs this test: x86
    // never shows it; ARM may, since it can reorder a thread's two loads.
    Expected::allowed("Relaxed"),
    // Yes. Acquire orders each reader's second load after its first, but
    // synchronizing with A's store says nothing about when B's store reaches
    // D: there is no single order of the two writes (cppreference
    // memory_order, "Sequentially-consistent ordering", whose example this is:
    // with anything weaker than SeqCst its assertion may fail; RC11 allows it
    // for release/acquire).
    Expected::allowed("Release/Acquire"),
    // No. All six accesses are in one total order S; C's loads put A's store
    // before B's in S, D's loads the other way round (C++20 [atomics.order]
    // p4; the same cppreference example).
    Expected::forbidden("SeqCst"),
];

/// The three programs, in the order of [`EXPECTED`].
pub const VARIANTS: &[Variant] = &[
    Variant {
        orderings: "Relaxed",
        threads: &[
            thread!(relaxed_a),
            thread!(relaxed_b),
            thread!(relaxed_c),
            thread!(relaxed_d),
        ],
        model: "model/iriw-relaxed.litmus",
    },
    Variant {
        orderings: "Release/Acquire",
        threads: &[
            thread!(release_acquire_a),
            thread!(release_acquire_b),
            thread!(release_acquire_c),
            thread!(release_acquire_d),
        ],
        model: "model/iriw-release-acquire.litmus",
    },
    Variant {
        orderings: "SeqCst",
        threads: &[
            thread!(seqcst_a),
            thread!(seqcst_b),
            thread!(seqcst_c),
            thread!(seqcst_d),
        ],
        model: "model/iriw-seqcst.litmus",
    },
];

/// Independent reads of independent writes.
pub const IRIW: Test = Test {
    name: "IRIW",
    key: "iriw",
    title: "independent reads of independent writes",
    registers: &["r1", "r2", "r3", "r4"],
    domain: &[&[0, 1], &[0, 1], &[0, 1], &[0, 1]],
    question: &[1, 0, 1, 0],
    outcome: |reads, _| Outcome::new(&[reads[2][0], reads[2][1], reads[3][0], reads[3][1]]),
    variants: VARIANTS,
    expected: EXPECTED,
};
