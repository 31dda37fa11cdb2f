//! One module per `cargo xtask` command. Each reads the shared layer (`workspace`, `checker`,
//! `generated`, `toolchain`, `util`) and never another command's module, except through the
//! functions a command exports for `test` to call.

pub mod asm;
pub mod audit;
pub mod bench;
pub mod book;
pub mod diagrams;
pub mod explorer;
pub mod learn;
pub mod litmus;
pub mod miri;
// The end-to-end test of the "Check your own code" guide: its loom command under `cargo test`,
// its Miri and TSan commands from `cargo xtask test` (`own_crate::guide_miri_and_tsan`).
pub mod own_crate;
pub mod reading;
pub mod stress;
pub mod test;
pub mod tools;
pub mod tsan;
