//! The SPSC chapter: how many u64 messages per second one thread can push to another through
//! a queue of capacity 1024.
//!
//! `cargo xtask bench` turns these results into the Benchmarks appendix table. It finds them by
//! the group name `spsc_throughput` and compares every variant with `rtrb`, so keep those two
//! names in step with `[package.metadata.bench]` in `benches/Cargo.toml`. The parameter is the thread count (always 2:
//! one producer, one consumer); the time is per message, so messages per second is 10⁹ / ns.
//! After criterion's measurements, each ring is also compared with rtrb in pairs
//! (`benches::paired`): the side column of the table.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

mod spsc_common;
use spsc_common::{Block, Queue, measure_all, paired_with_rtrb, pop_spin, push_spin, two_sides};

/// The queue size the chapter compares at.
const CAPACITY: usize = 1024;

/// Times `messages` messages through a fresh queue: one thread pushes `0..messages`, the other
/// pops them and checks that they arrive in order.
fn throughput<Q: Queue>(messages: u64) -> Duration {
    let (tx, rx) = Q::new(CAPACITY);
    two_sides(
        tx,
        rx,
        |mut tx| {
            for value in 0..messages {
                push_spin::<Q>(&mut tx, value);
            }
        },
        |mut rx| {
            for expected in 0..messages {
                let value = pop_spin::<Q>(&mut rx);
                assert_eq!(value, expected, "lost or reordered");
            }
        },
    )
}

/// What criterion and the paired comparison time: [`throughput`] for a number of messages.
struct Throughput;

impl Block for Throughput {
    fn time<Q: Queue>(operations: u64) -> Duration {
        throughput::<Q>(operations)
    }
}

fn spsc_throughput(c: &mut Criterion) {
    let mut group = c.benchmark_group("spsc_throughput");
    // Both cores busy before the first (baseline) measurement: see `benches::settle`.
    benches::settle(2, Duration::from_secs(2));
    measure_all::<Throughput>(&mut group);
    group.finish();
    // In blocks of 2²⁰ messages, a few milliseconds.
    paired_with_rtrb::<Throughput>("spsc_throughput", 1 << 20);
}

criterion_group! {
    name = benches;
    config = benches::config();
    targets = spsc_throughput
}
criterion_main!(benches);
