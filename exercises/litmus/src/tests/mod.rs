//! The litmus tests, one file each: the threads in every set of orderings, the model's answer
//! for each with the rule it comes from, and how the threads' reads make an outcome.
//!
//! Sources the answers cite:
//!
//! - C++20, the standard Rust's atomics follow ([`std::sync::atomic`]): sections
//!   `[intro.races]` (happens-before and the four coherence rules) and `[atomics.order]` (what
//!   each ordering adds, and the single total order of `SeqCst` operations and fences). Drafts:
//!   <https://eel.is/c++draft/intro.races>, <https://eel.is/c++draft/atomics.order>.
//! - cppreference, `std::memory_order`: <https://en.cppreference.com/w/cpp/atomic/memory_order>.
//! - Russ Cox, "Hardware Memory Models" <https://research.swtch.com/hwmm> and "Programming
//!   Language Memory Models" <https://research.swtch.com/plmm>: each litmus test with its answer
//!   on sequentially consistent hardware, x86, ARM and in C++.
//! - RC11, the repaired C++ model that herd's `rc11.cat` encodes: Lahav, Vafeiadis, Kang, Hur
//!   and Dreyer, "Repairing Sequential Consistency in C/C++11", PLDI 2017,
//!   <https://plv.mpi-sws.org/scfix/>; and for Release/Acquire on its own, Lahav, Giannarakis
//!   and Vafeiadis, "Taming Release-Acquire Consistency", POPL 2016,
//!   <https://plv.mpi-sws.org/sra/>.

pub mod corr;
pub mod iriw;
pub mod lb;
pub mod mp;
pub mod sb;
pub mod two_plus_two_w;
