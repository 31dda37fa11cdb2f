//! 2+2W, two plus two writes. Thread A writes `x = 1`, then `y = 2`; thread B writes `y = 1`,
//! then `x = 2`. The question: can both locations end with the value written *first*, as if
//! each thread's second write came before the other thread's first?

use crate::{Expected, Memory, Outcome, Test, Variant, thread};
use support::sync::atomic::Ordering;

// ANCHOR: two_plus_two_w
/// Thread A: `x = 1`, then `y = 2`.
pub fn relaxed_a(m: &Memory) {
    m.x.store(1, Ordering::Relaxed); // Relaxed: the ordering under test; nothing pairs with it
    m.y.store(2, Ordering::Relaxed); // Relaxed: as above
}

/// Thread B, the mirror image: `y = 1`, then `x = 2`.
pub fn relaxed_b(m: &Memory) {
    m.y.store(1, Ordering::Relaxed); // Relaxed: the ordering under test; nothing pairs with it
    m.x.store(2, Ordering::Relaxed); // Relaxed: as above
}
// ANCHOR_END: two_plus_two_w

/// Thread A with Release stores.
pub fn release_a(m: &Memory) {
    m.x.store(1, Ordering::Release); // Release: no load here to pair with; the test asks
    m.y.store(2, Ordering::Release); // Release: whether ordering stores alone is enough
}

/// Thread B with Release stores.
pub fn release_b(m: &Memory) {
    m.y.store(1, Ordering::Release); // Release: as in thread A
    m.x.store(2, Ordering::Release); // Release: as in thread A
}

/// Thread A with `SeqCst` stores.
pub fn seqcst_a(m: &Memory) {
    m.x.store(1, Ordering::SeqCst); // SeqCst: in the total order with B's stores
    m.y.store(2, Ordering::SeqCst); // SeqCst: as above
}

/// Thread B with `SeqCst` stores.
pub fn seqcst_b(m: &Memory) {
    m.y.store(1, Ordering::SeqCst); // SeqCst: in the total order with A's stores
    m.x.store(2, Ordering::SeqCst); // SeqCst: as above
}

/// The model's answer to "can `x = 1, y = 1` at the end?".
pub const EXPECTED: &[Expected] = &[
    // Yes. A modification order must agree with happens-before (write-write
    // coherence, C++20 [intro.races]), and no store here happens before the
    // other thread's; nothing else constrains the two orders (RC11 allows it
    // too). x86 keeps each thread's stores in order, so it never shows there.
    Expected::allowed("Relaxed"),
    // Yes. With no loads, no Release store synchronizes with anything, so
    // happens-before is still only each thread's own order. RC11 and the
    // release/acquire model both allow it (Lahav, Giannarakis, Vafeiadis,
    // "Taming Release-Acquire Consistency", whose strengthened SRA forbids it).
    Expected::allowed("Release"),
    // No. All four stores are in one total order S, which must agree with each
    // location's modification order (C++20 [atomics.order] p4): x ending 1
    // puts B's x = 2 before A's x = 1 in S, y ending 1 puts A's y = 2 before
    // B's y = 1, and with program order that is a cycle.
    Expected::forbidden("SeqCst"),
];

/// The three programs, in the order of [`EXPECTED`].
pub const VARIANTS: &[Variant] = &[
    Variant {
        orderings: "Relaxed",
        threads: &[thread!(relaxed_a), thread!(relaxed_b)],
        model: "model/2+2w-relaxed.litmus",
    },
    Variant {
        orderings: "Release",
        threads: &[thread!(release_a), thread!(release_b)],
        model: "model/2+2w-release.litmus",
    },
    Variant {
        orderings: "SeqCst",
        threads: &[thread!(seqcst_a), thread!(seqcst_b)],
        model: "model/2+2w-seqcst.litmus",
    },
];

/// Two plus two writes. The outcome is the final memory, read after both threads are joined.
pub const TWO_PLUS_TWO_W: Test = Test {
    name: "2+2W",
    key: "2+2w",
    title: "two plus two writes",
    registers: &["x", "y"],
    domain: &[&[1, 2], &[1, 2]],
    question: &[1, 1],
    outcome: |_, memory| Outcome::new(&memory.final_values()),
    variants: VARIANTS,
    expected: EXPECTED,
};
