//! The counter chapter: what one increment costs, alone and with two threads contending.
//!
//! `cargo xtask bench` turns these results into the Benchmarks appendix table. It finds them by
//! the group name `counter` and compares every variant with `fetch_add Relaxed` at the same
//! thread count, so keep those two names in step with `[package.metadata.bench]` in
//! `benches/Cargo.toml`.
//!
//! Every thread of a 2-thread run increments the *same* counter (the sharded one: each thread
//! its own shard). The reported time is wall time divided by the increments each thread made.

use std::hint::black_box;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use benches::contended;
use counter::sharded::ShardedCounter;
use counter::{Count, broken, fixed};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, criterion_group, criterion_main};

/// The thread counts every variant runs at: alone, and two threads on a 2-core machine.
const THREADS: [usize; 2] = [1, 2];

/// `fetch_add` with SeqCst: on x86-64 the same `lock xadd` as Relaxed.
struct SeqCstCounter(AtomicU64);

impl Count for SeqCstCounter {
    fn new() -> Self {
        SeqCstCounter(AtomicU64::new(0))
    }
    fn increment(&self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
    fn get(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// A `u64` behind std's futex-based `Mutex`.
struct MutexCounter(Mutex<u64>);

impl Count for MutexCounter {
    fn new() -> Self {
        MutexCounter(Mutex::new(0))
    }
    fn increment(&self) {
        *self.0.lock().unwrap() += 1;
    }
    fn get(&self) -> u64 {
        *self.0.lock().unwrap()
    }
}

/// Whether a variant must count every increment (checked after each sample).
#[derive(Clone, Copy)]
enum Exact {
    Yes,
    /// The load+store counter loses updates as soon as two threads share it.
    OnlyAlone,
}

/// One shared counter of type `C`, incremented by every thread.
fn shared<C: Count>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    threads: usize,
    name: &str,
    exact: Exact,
) {
    {
        group.bench_with_input(BenchmarkId::new(name, threads), &threads, |b, &threads| {
            b.iter_custom(|iters| {
                let counter = C::new();
                let elapsed = contended(threads, iters, |_| black_box(&counter).increment());
                let expected = threads as u64 * iters;
                match exact {
                    Exact::Yes => assert_eq!(counter.get(), expected, "{name} lost updates"),
                    Exact::OnlyAlone if threads == 1 => assert_eq!(counter.get(), expected),
                    Exact::OnlyAlone => assert!(counter.get() <= expected),
                }
                elapsed
            })
        });
    }
}

/// The sharded counter: each thread increments its own shard (picked by its thread-local
/// number), each shard on its own cache line.
fn sharded(group: &mut BenchmarkGroup<'_, WallTime>, threads: usize, name: &str) {
    {
        group.bench_with_input(BenchmarkId::new(name, threads), &threads, |b, &threads| {
            b.iter_custom(|iters| {
                let counter = ShardedCounter::new(threads);
                let elapsed = contended(threads, iters, |_| black_box(&counter).increment());
                assert_eq!(counter.sum(), threads as u64 * iters, "{name} lost updates");
                elapsed
            })
        });
    }
}

fn counter(c: &mut Criterion) {
    let mut group = c.benchmark_group("counter");
    type Run = fn(&mut BenchmarkGroup<'_, WallTime>, usize);
    let variants: Vec<Run> = vec![
        |g, t| shared::<fixed::Counter>(g, t, "fetch_add Relaxed", Exact::Yes),
        |g, t| shared::<SeqCstCounter>(g, t, "fetch_add SeqCst", Exact::Yes),
        |g, t| shared::<MutexCounter>(g, t, "Mutex<u64>", Exact::Yes),
        |g, t| sharded(g, t, "sharded (CachePadded)"),
        |g, t| shared::<broken::Counter>(g, t, "load+store (loses updates)", Exact::OnlyAlone),
    ];
    // Every variant at one thread count before the next count, with the machine settled into
    // contention first (see `benches::settle`), in an order that rotates between repeats so no
    // variant is always the first measured after the settling.
    for threads in THREADS {
        if threads > 1 {
            benches::settle(threads, Duration::from_secs(1));
        }
        for run in benches::run_order(variants.clone()) {
            run(&mut group, threads);
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = benches::config();
    targets = counter
}
criterion_main!(benches);
