//! The refcount chapter: what a clone and a drop cost, alone and with two threads on the same
//! pointer.
//!
//! `cargo xtask bench` turns these results into the Benchmarks appendix table. It finds them by
//! the group name `refcount` and compares every variant with `std Arc` at the same thread
//! count, so keep those two names in step with `benches/Cargo.toml` (`[package.metadata.bench]`).
//!
//! One operation is `drop(pointer.clone())`: a `fetch_add` and a `fetch_sub` on the count. With
//! two threads, both clone and drop the *same* pointer, so the count's cache line travels
//! between the cores. The reported time is wall time divided by the operations each thread
//! made.

use std::hint::black_box;
use std::time::Duration;

use benches::contended;
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, criterion_group, criterion_main};
use refcount::Shared;

/// The thread counts every variant runs at: alone, and two threads on a 2-core machine.
const THREADS: [usize; 2] = [1, 2];

/// Times `drop(pointer.clone())` on a pointer made by `make`, shared by every thread.
/// `count` reads the owner count, which must be back at one after every sample.
fn clone_drop<P: Clone + Sync>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    threads: usize,
    name: &str,
    make: impl Fn() -> P,
    count: impl Fn(&P) -> usize,
) {
    {
        group.bench_with_input(BenchmarkId::new(name, threads), &threads, |b, &threads| {
            b.iter_custom(|iters| {
                let pointer = make();
                let elapsed = contended(threads, iters, |_| drop(black_box(&pointer).clone()));
                assert_eq!(count(&pointer), 1, "{name} lost track of its owners");
                elapsed
            })
        });
    }
}

fn refcount(c: &mut Criterion) {
    let mut group = c.benchmark_group("refcount");
    // Every variant at one thread count before the next, with the machine settled into
    // contention first (see `benches::settle`), so the baseline is measured like the others.
    for threads in THREADS {
        if threads > 1 {
            benches::settle(threads, Duration::from_secs(2));
        }
        clone_drop(
            &mut group,
            threads,
            "std Arc",
            || std::sync::Arc::new(7u64),
            std::sync::Arc::strong_count,
        );
        clone_drop(
            &mut group,
            threads,
            "RefCount (fixed)",
            || refcount::fixed::RefCount::new(7u64),
            refcount::fixed::RefCount::strong_count,
        );
        clone_drop(
            &mut group,
            threads,
            "triomphe Arc",
            || triomphe::Arc::new(7u64),
            triomphe::Arc::count,
        );
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = benches::config();
    targets = refcount
}
criterion_main!(benches);
