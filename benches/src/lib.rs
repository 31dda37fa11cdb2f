//! Criterion comparisons for every chapter crate: `cargo xtask bench`.
