//! An exhaustive checker for the C++20 memory model, the one Rust's atomics follow.
//!
//! Give it a small litmus program (threads of loads, stores, read-modify-writes and fences,
//! and a question about the final state); it builds **every** candidate execution — each
//! load's choice of the store it reads from, a modification order for each location — and
//! keeps exactly those the model's axioms accept. What comes out is the set of final states
//! the model allows, each labelled as reachable by some interleaving (sequential consistency)
//! or needing weak memory, and any data race.
//!
//! The model is RC11 (Lahav, Vafeiadis, Kang, Hur and Dreyer, *Repairing Sequential
//! Consistency in C/C++11*, PLDI 2017), which C++20 adopted through P0668, in two flavours
//! ([`Model`]): `c++20`, the standard as written, and `rc11`, the paper's model with its
//! no-thin-air axiom. The axioms are in [`axioms`], each written as its definition reads.

pub mod axioms;
pub mod candidates;
pub mod error;
pub mod execution;
pub mod graph;
pub mod parse;
pub mod paths;
pub mod program;
pub mod relation;
pub mod report;
pub mod sc;
pub mod verdict;

pub use error::{Error, Span};
pub use parse::{parse, parse_file};
pub use program::Program;
pub use verdict::{
    Consistent, Model, Verdict, check, check_file, check_path, consistent_executions,
};

/// At most this many threads in a program.
pub const MAX_THREADS: usize = 6;
/// At most this many events in one execution, the initial writes included.
pub const MAX_EVENTS: usize = 64;
