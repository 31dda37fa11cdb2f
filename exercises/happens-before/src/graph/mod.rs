//! Lesson 5: happens-before is a graph, not a clock.
//!
//! - [`joined`]: a write on one thread and a read on another, ordered by a chain of
//!   happens-before edges (the writer's end, a join, a spawn, the reader's start).
//! - [`broken_spawn_order`]: the same write and read with the chain cut. The writer is spawned
//!   first, which orders nothing.

pub mod broken_spawn_order;
#[cfg(loom)]
pub mod check;
pub mod joined;
