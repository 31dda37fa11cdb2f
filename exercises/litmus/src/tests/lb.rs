//! LB, load buffering. Thread A reads `x`, then writes `y`; thread B reads `y`, then writes
//! `x`. The question: can both loads read 1, each seeing the store the *other* thread makes
//! after its own load?

use crate::{Expected, Memory, Outcome, Test, Variant, thread};
use support::sync::atomic::Ordering;

// ANCHOR: lb
/// Thread A: report what `x` holds (`r1`), then set `y`.
pub fn relaxed_a(m: &Memory) -> u32 {
    let r1 = m.x.load(Ordering::Relaxed); // Relaxed: the ordering under test; nothing pairs
    m.y.store(1, Ordering::Relaxed); // Relaxed: as above
    r1
}

/// Thread B, the mirror image: report what `y` holds (`r2`), then set `x`.
pub fn relaxed_b(m: &Memory) -> u32 {
    let r2 = m.y.load(Ordering::Relaxed); // Relaxed: the ordering under test; nothing pairs
    m.x.store(1, Ordering::Relaxed); // Relaxed: as above
    r2
}
// ANCHOR_END: lb

/// Thread A with an Acquire load and a Release store.
pub fn release_acquire_a(m: &Memory) -> u32 {
    let r1 = m.x.load(Ordering::Acquire); // Acquire: pairs with B's Release store of `x`
    m.y.store(1, Ordering::Release); // Release: pairs with B's Acquire load of `y`
    r1
}

/// Thread B with an Acquire load and a Release store.
pub fn release_acquire_b(m: &Memory) -> u32 {
    let r2 = m.y.load(Ordering::Acquire); // Acquire: pairs with A's Release store of `y`
    m.x.store(1, Ordering::Release); // Release: pairs with A's Acquire load of `x`
    r2
}

/// Thread A with every access `SeqCst`.
pub fn seqcst_a(m: &Memory) -> u32 {
    let r1 = m.x.load(Ordering::SeqCst); // SeqCst: also Acquire; pairs with B's store of `x`
    m.y.store(1, Ordering::SeqCst); // SeqCst: also Release; pairs with B's load of `y`
    r1
}

/// Thread B with every access `SeqCst`.
pub fn seqcst_b(m: &Memory) -> u32 {
    let r2 = m.y.load(Ordering::SeqCst); // SeqCst: also Acquire; pairs with A's store of `y`
    m.x.store(1, Ordering::SeqCst); // SeqCst: also Release; pairs with A's load of `x`
    r2
}

/// The model's answer to "can `r1 = 1, r2 = 1`?".
pub const EXPECTED: &[Expected] = &[
    // Yes. Nothing orders a Relaxed load before a later Relaxed store to another
    // location (C++20 [atomics.order] p1); cppreference memory_order, "Relaxed
    // ordering", gives a program of this shape (one thread stores what it
    // loaded) in which both loads may see the other thread's store. Cox,
    // "Hardware Memory Models": ARM allows it; x86 never shows it.
    Expected::allowed("Relaxed"),
    // No. If A's Acquire load reads B's Release store of x, B's load of y
    // happens before A's store of y (sequenced-before, then synchronizes-with,
    // then sequenced-before). A load may not read a store that happens after
    // it ([intro.races]: B must not happen before the side effect it reads),
    // so B reads 0.
    Expected::forbidden("Release/Acquire"),
    // No. SeqCst loads are Acquire and SeqCst stores Release (C++20
    // [atomics.order] p1): the Release/Acquire argument holds unchanged.
    Expected::forbidden("SeqCst"),
];

/// The three programs, in the order of [`EXPECTED`].
pub const VARIANTS: &[Variant] = &[
    Variant {
        orderings: "Relaxed",
        threads: &[thread!(relaxed_a), thread!(relaxed_b)],
        model: "model/lb-relaxed.litmus",
    },
    Variant {
        orderings: "Release/Acquire",
        threads: &[thread!(release_acquire_a), thread!(release_acquire_b)],
        model: "model/lb-release-acquire.litmus",
    },
    Variant {
        orderings: "SeqCst",
        threads: &[thread!(seqcst_a), thread!(seqcst_b)],
        model: "model/lb-seqcst.litmus",
    },
];

/// Load buffering.
pub const LB: Test = Test {
    name: "LB",
    key: "lb",
    title: "load buffering",
    registers: &["r1", "r2"],
    domain: &[&[0, 1], &[0, 1]],
    question: &[1, 1],
    outcome: |reads, _| Outcome::new(&[reads[0][0], reads[1][0]]),
    variants: VARIANTS,
    expected: EXPECTED,
};
