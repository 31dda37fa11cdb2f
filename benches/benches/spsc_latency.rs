//! The SPSC chapter: ping-pong latency. Two queues of capacity 1024 between two threads; one
//! thread sends a u64 and waits for it to come back on the other queue, which the second thread
//! echoes. The time is per round trip (two hand-overs, each a cache-line transfer or two).
//!
//! `cargo xtask bench` finds these results by the group name `spsc_latency` and compares every
//! variant with `rtrb`; keep both names in step with `[package.metadata.bench]` in `benches/Cargo.toml`.
//! After criterion's measurements, each ring is also compared with rtrb in pairs
//! (`benches::paired`): the side column of the table.

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

mod spsc_common;
use spsc_common::{Block, Queue, measure_all, paired_with_rtrb, pop_spin, push_spin, two_sides};

/// The queue size the chapter compares at (at most one message is ever in flight here).
const CAPACITY: usize = 1024;

/// Times `trips` round trips through two fresh queues.
fn ping_pong<Q: Queue>(trips: u64) -> Duration {
    let (ping_tx, ping_rx) = Q::new(CAPACITY);
    let (pong_tx, pong_rx) = Q::new(CAPACITY);
    two_sides(
        (ping_tx, pong_rx),
        (ping_rx, pong_tx),
        |(mut ping, mut pong)| {
            for value in 0..trips {
                push_spin::<Q>(&mut ping, value);
                assert_eq!(pop_spin::<Q>(&mut pong), value);
            }
        },
        |(mut ping, mut pong)| {
            for _ in 0..trips {
                let value = pop_spin::<Q>(&mut ping);
                push_spin::<Q>(&mut pong, value);
            }
        },
    )
}

/// What criterion and the paired comparison time: [`ping_pong`] for a number of round trips.
struct PingPong;

impl Block for PingPong {
    fn time<Q: Queue>(operations: u64) -> Duration {
        ping_pong::<Q>(operations)
    }
}

fn spsc_latency(c: &mut Criterion) {
    let mut group = c.benchmark_group("spsc_latency");
    // Both cores busy before the first (baseline) measurement: see `benches::settle`.
    benches::settle(2, Duration::from_secs(2));
    measure_all::<PingPong>(&mut group);
    group.finish();
    // In blocks of 2¹⁴ round trips, 2 to 10 ms.
    paired_with_rtrb::<PingPong>("spsc_latency", 1 << 14);
}

criterion_group! {
    name = benches;
    config = benches::config();
    targets = spsc_latency
}
criterion_main!(benches);
