//! Lesson 1: what the compiler does to a loop that waits for a flag.
//!
//! Both functions below wait until `done` is true. The first reads a plain `bool` through a
//! shared reference; the second an `AtomicBool` with `load(Relaxed)`. Neither is ever called
//! while another thread writes the flag: a plain `bool` written by one thread while another
//! reads it would be a data race, undefined behaviour, and a `&bool` promises that nobody
//! writes it at all while the reference lives. That promise is exactly what lets the compiler
//! read the plain flag once, before the loop, and spin on the register it read into.
//!
//! `cargo xtask asm` compiles these functions for x86-64 and AArch64 and writes
//! `src/phase-1/generated/hoisting-asm.md`; it also fails unless the plain loop reads no memory
//! and the atomic loop reads the flag on every turn, which is what lesson 1 says the table
//! shows. A compiler that stops doing either fails `cargo xtask asm --check`.

use std::sync::atomic::{AtomicBool, Ordering};

// ANCHOR: wait
/// `while !*done {}`: a plain `bool`, read through `&bool`.
#[inline(never)]
// clippy sees what the compiler sees: nothing in the loop can change `*done`.
#[allow(clippy::while_immutable_condition)]
pub fn wait_plain(done: &bool) {
    while !*done {}
}

/// `while !done.load(Relaxed) {}`: an `AtomicBool`.
#[inline(never)]
pub fn wait_relaxed(done: &AtomicBool) {
    // Relaxed: would pair with nothing; the loop wants only the flag's own
    // value, with no data published alongside it.
    while !done.load(Ordering::Relaxed) {}
}
// ANCHOR_END: wait
