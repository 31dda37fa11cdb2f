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

use benches::paired::{self, Pairs};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

mod spsc_common;
use spsc_common::{
    Adjacent, Apart64, Apart128, ArcInPlace, Fixed, Group, Measure, NoCache, Queue, Rtrb,
    measure_all, pop_spin, push_spin, two_sides,
};

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

/// Criterion's measurement: [`throughput`] for `iters` messages.
struct Throughput;

impl Measure for Throughput {
    fn measure<Q: Queue>(group: &mut Group<'_>, name: &str) {
        group.bench_with_input(BenchmarkId::new(name, 2), &2, |b, _| {
            b.iter_custom(throughput::<Q>)
        });
    }
}

/// Each SPSC ring against rtrb in pairs (`benches::paired`), rtrb against itself included: the
/// median pair ratio goes beside criterion's figures as the side column.
fn paired_with_rtrb() {
    type Block = fn(u64) -> Duration;
    let rings: [(&str, Block); 7] = [
        ("rtrb", throughput::<Rtrb>),
        ("fixed", throughput::<Fixed>),
        ("fixed, no cached index", throughput::<NoCache>),
        ("fixed, Arc dropped in place", throughput::<ArcInPlace>),
        ("ablation: head/tail 128 B apart", throughput::<Apart128>),
        ("ablation: head/tail 64 B apart", throughput::<Apart64>),
        ("ablation: head/tail adjacent", throughput::<Adjacent>),
    ];
    let Pairs { pairs, block } = Pairs::for_this_run(1 << 20);
    for (name, variant) in benches::run_order(rings.to_vec()) {
        let ratios = paired::ratios(pairs, || throughput::<Rtrb>(block), || variant(block));
        benches::record_side("spsc_throughput", name, 2, &[paired::median(&ratios)]);
    }
}

fn spsc_throughput(c: &mut Criterion) {
    let mut group = c.benchmark_group("spsc_throughput");
    // Both cores busy before the first (baseline) measurement: see `benches::settle`.
    benches::settle(2, Duration::from_secs(2));
    measure_all::<Throughput>(&mut group);
    group.finish();
    paired_with_rtrb();
}

criterion_group! {
    name = benches;
    config = benches::config();
    targets = spsc_throughput
}
criterion_main!(benches);
