//! The checker for lesson 5 (compiled only under `--cfg loom`).

// ANCHOR: check
/// Runs `program` (a writer thread stores 42, a reader thread loads it) in every interleaving
/// loom can produce. Two threads and two plain accesses: exhaustive, and instant.
pub fn reader_sees_the_write(program: fn() -> u64) {
    support::model(move || {
        let seen = program();
        assert_eq!(seen, 42, "the reader missed the write: it read {seen}");
    });
}
// ANCHOR_END: check
