//! The spinlock chapter: how many lock+add+unlock a group of threads gets through, and how
//! evenly the lock shares them out (1, 2 and 4 threads; 4 is more threads than this 2-core
//! machine has).
//!
//! `cargo xtask bench` finds these results by the group name `spinlock` and compares every
//! variant with `std Mutex` at the same thread count; keep both names in step with
//! `[package.metadata.bench]` in `benches/Cargo.toml`.
//!
//! The threads share one budget of `iters` acquisitions: each takes the lock, and if the budget
//! is not spent, adds one to the total and to its own count. The time criterion reports is the
//! wall time per acquisition, all threads together (throughput), and each thread's count goes
//! to `cargo xtask bench` as a fairness figure (Jain's index and the smallest thread's share
//! of the largest's). A lock that lets one thread take it again and again while the others
//! wait (capture) scores well on time and badly on fairness: the two columns read together.

use std::hint::black_box;
use std::sync::Mutex;
use std::time::Duration;

use benches::paired::median;
use benches::run_together;
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, criterion_group, criterion_main};

#[macro_use]
mod lock_common;
use lock_common::{Budget, Lock};

/// Alone; two threads on a 2-core machine; four threads, more than there are cores.
const THREADS: [usize; 3] = [1, 2, 4];

/// Each thread's acquisitions when `threads` threads share a budget of `iters`, and the time.
fn share<L: Lock>(threads: usize, iters: u64) -> (Duration, Vec<u64>) {
    let lock = L::new();
    let counts: Vec<Mutex<u64>> = (0..threads).map(|_| Mutex::new(0)).collect();
    let time = run_together(threads, |index| {
        let mut mine = 0u64;
        while black_box(&lock).with(|budget| {
            let more = budget.taken < iters;
            budget.taken += u64::from(more);
            more
        }) {
            mine += 1;
        }
        *counts[index].lock().unwrap() = mine;
    });
    let counts: Vec<u64> = counts
        .into_iter()
        .map(|c| c.into_inner().unwrap())
        .collect();
    assert_eq!(counts.iter().sum::<u64>(), iters, "lost acquisitions");
    (time, counts)
}

fn throughput<L: Lock>(group: &mut BenchmarkGroup<'_, WallTime>, name: &str, threads: usize) {
    // One fairness figure per sample, summarised once the benchmark is done.
    let mut jains = Vec::new();
    let mut min_max = Vec::new();
    group.bench_with_input(BenchmarkId::new(name, threads), &threads, |b, &threads| {
        b.iter_custom(|iters| {
            let (time, counts) = share::<L>(threads, iters);
            jains.push(benches::jain(&counts));
            let (min, max) = (counts.iter().min(), counts.iter().max());
            if let (Some(&min), Some(&max)) = (min, max) {
                min_max.push(if max == 0 {
                    1.0
                } else {
                    min as f64 / max as f64
                });
            }
            time
        })
    });
    benches::record_side(
        "spinlock",
        name,
        threads,
        &[median(&jains), median(&min_max)],
    );
}

fn spinlock(c: &mut Criterion) {
    let mut group = c.benchmark_group("spinlock");
    type Run = fn(&mut BenchmarkGroup<'_, WallTime>, &str, usize);
    let variants: Vec<(&str, Run)> = locks!(throughput);
    // Every variant at one thread count before the next, with the machine settled into
    // contention first (see `benches::settle`), in an order that rotates between repeats.
    for threads in THREADS {
        if threads > 1 {
            benches::settle(threads, Duration::from_secs(1));
        }
        for (name, run) in benches::run_order(variants.clone()) {
            run(&mut group, name, threads);
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = benches::config();
    targets = spinlock
}
criterion_main!(benches);
