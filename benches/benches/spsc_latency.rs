//! The SPSC chapter: ping-pong latency. Two queues of capacity 1024 between two threads; one
//! thread sends a u64 and waits for it to come back on the other queue, which the second thread
//! echoes. The time is per round trip (two hand-overs, each a cache-line transfer or two).
//!
//! `cargo xtask bench` finds these results by the group name `spsc_latency` and compares every
//! variant with `rtrb`; keep both names in step with `[package.metadata.bench]` in `benches/Cargo.toml`.

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

mod spsc_common;
use spsc_common::{Group, Measure, Queue, measure_all, pop_spin, push_spin, two_sides};

/// The queue size the chapter compares at (at most one message is ever in flight here).
const CAPACITY: usize = 1024;

/// Times `iters` round trips.
struct PingPong;

impl Measure for PingPong {
    fn measure<Q: Queue>(group: &mut Group<'_>, name: &str) {
        group.bench_with_input(BenchmarkId::new(name, 2), &2, |b, _| {
            b.iter_custom(|iters| {
                let (ping_tx, ping_rx) = Q::new(CAPACITY);
                let (pong_tx, pong_rx) = Q::new(CAPACITY);
                two_sides(
                    (ping_tx, pong_rx),
                    (ping_rx, pong_tx),
                    |(mut ping, mut pong)| {
                        for value in 0..iters {
                            push_spin::<Q>(&mut ping, value);
                            assert_eq!(pop_spin::<Q>(&mut pong), value);
                        }
                    },
                    |(mut ping, mut pong)| {
                        for _ in 0..iters {
                            let value = pop_spin::<Q>(&mut ping);
                            push_spin::<Q>(&mut pong, value);
                        }
                    },
                )
            })
        });
    }
}

fn spsc_latency(c: &mut Criterion) {
    let mut group = c.benchmark_group("spsc_latency");
    // Both cores busy before the first (baseline) measurement: see `benches::settle`.
    benches::settle(2, Duration::from_secs(2));
    measure_all::<PingPong>(&mut group);
    group.finish();
}

criterion_group! {
    name = benches;
    config = benches::config();
    targets = spsc_latency
}
criterion_main!(benches);
