//! The once-init chapter: what reading an initialised cell costs, alone and with two threads.
//!
//! `cargo xtask bench` turns these results into the Benchmarks appendix table. It finds them by
//! the group name `once_init` and compares every variant with `std OnceLock` at the same thread
//! count, so keep those two names in step with `benches/Cargo.toml` (`[package.metadata.bench]`).
//!
//! Every cell is initialised before the clock starts; each thread then calls `get` on the same
//! cell. All three fast paths are one Acquire load and a compare, and on x86-64 an Acquire load
//! is a plain `mov`, so readers share the cache line without ever taking it from each other.
//!
//! A `get` takes about a nanosecond, near the cost of the loop around it, so each criterion
//! iteration is a batch of [`BATCH`] gets and the time is divided by it: the clock's 1 ns
//! granularity becomes 0.001 ns per get, and what limits the comparison is the spread between
//! runs, which the table shows. The `plain load` row is the floor: the same loop reading a
//! `&u64` through `black_box`, with no cell. A cell's cost is its distance above the floor.

use std::hint::black_box;
use std::sync::OnceLock;
use std::time::Duration;

use benches::contended;
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, criterion_group, criterion_main};
use once_init::{InitOnce, fixed};

/// The thread counts every variant runs at: alone, and two threads on a 2-core machine.
const THREADS: [usize; 2] = [1, 2];

/// The value every cell holds.
const VALUE: u64 = 42;

/// Gets per criterion iteration.
const BATCH: u32 = 1000;

/// Times `get` on one initialised cell shared by every thread, in batches of [`BATCH`]. `get`
/// reads the cell through `black_box`, so the compiler can neither hoist the load out of the
/// loop nor drop it.
fn get_after_init<C: Sync>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    threads: usize,
    name: &str,
    cell: &C,
    get: impl Fn(&C) -> Option<&u64> + Sync,
) {
    {
        group.bench_with_input(BenchmarkId::new(name, threads), &threads, |b, &threads| {
            b.iter_custom(|iters| {
                let batch = contended(threads, iters, |_| {
                    for _ in 0..BATCH {
                        black_box(get(black_box(cell)));
                    }
                });
                batch / BATCH
            })
        });
    }
}

fn once_init(c: &mut Criterion) {
    let mut group = c.benchmark_group("once_init");

    let std_cell = OnceLock::new();
    std_cell.get_or_init(|| VALUE);
    let crate_cell = once_cell::sync::OnceCell::new();
    crate_cell.get_or_init(|| VALUE);
    let fixed_cell = fixed::OnceCell::new();
    fixed_cell.get_or_init(|| VALUE);
    assert_eq!(fixed_cell.get(), Some(&VALUE));

    // Every variant at one thread count before the next, with the machine settled into
    // contention first (see `benches::settle`), so the baseline is measured like the others.
    for threads in THREADS {
        if threads > 1 {
            benches::settle(threads, Duration::from_secs(2));
        }
        let g = &mut group;
        let order = benches::run_order(vec![0, 1, 2, 3]);
        for variant in order {
            match variant {
                0 => get_after_init(g, threads, "std OnceLock", &std_cell, OnceLock::get),
                1 => {
                    let once_cell_get = once_cell::sync::OnceCell::get;
                    get_after_init(g, threads, "once_cell OnceCell", &crate_cell, once_cell_get);
                }
                2 => get_after_init(g, threads, "fixed OnceCell", &fixed_cell, |cell| cell.get()),
                _ => get_after_init(g, threads, "plain load (floor)", &VALUE, |value| {
                    Some(value)
                }),
            }
        }
    }

    group.finish();
}

criterion_group! {
    name = benches;
    config = benches::config();
    targets = once_init
}
criterion_main!(benches);
