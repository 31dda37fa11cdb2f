//! CoRR, read-read coherence. Thread A writes `x`; thread B reads `x` twice. The question: can
//! B read the new value and then the old one?

use crate::{Expected, Memory, Outcome, Test, Variant, thread};
use support::sync::atomic::Ordering;

// ANCHOR: corr
/// Thread A: set `x`.
pub fn relaxed_a(m: &Memory) {
    m.x.store(1, Ordering::Relaxed); // Relaxed: coherence needs no ordering; nothing pairs
}

/// Thread B: read `x` twice (`r1`, then `r2`).
pub fn relaxed_b(m: &Memory) -> [u32; 2] {
    let r1 = m.x.load(Ordering::Relaxed); // Relaxed: coherence needs no ordering
    let r2 = m.x.load(Ordering::Relaxed); // Relaxed: as above
    [r1, r2]
}
// ANCHOR_END: corr

/// The model's answer to "can `r1 = 1, r2 = 0`?".
pub const EXPECTED: &[Expected] = &[
    // No, even Relaxed. Every atomic location has one modification order, and
    // a later read in the same thread may not read an earlier store than the
    // read before it: read-read coherence (C++20 [intro.races]; cppreference
    // memory_order, "Modification order"). Cox, "Hardware Memory Models":
    // every processor keeps this.
    Expected::forbidden("Relaxed"),
];

/// The one program: coherence is what holds with the weakest ordering.
pub const VARIANTS: &[Variant] = &[Variant {
    orderings: "Relaxed",
    threads: &[thread!(relaxed_a), thread!(relaxed_b)],
    model: "model/corr-relaxed.litmus",
}];

/// Read-read coherence.
pub const CORR: Test = Test {
    name: "CoRR",
    key: "corr",
    title: "read-read coherence",
    registers: &["r1", "r2"],
    domain: &[&[0, 1], &[0, 1]],
    question: &[1, 0],
    outcome: |reads, _| Outcome::new(&reads[1]),
    variants: VARIANTS,
    expected: EXPECTED,
};
