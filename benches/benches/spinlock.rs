//! The spinlock chapter: what a lock+unlock costs, alone, with two threads contending on a
//! 2-core machine, and with four threads, more threads than cores.
//!
//! `cargo xtask bench` turns these results into the Benchmarks appendix table. It finds them by
//! the group name `spinlock` and compares every variant with `std Mutex` at the same thread
//! count, so keep those two names in step with `ci/xtask/src/bench.rs`.
//!
//! Every thread takes the same lock and adds one to the `u64` it guards, so the critical
//! section is as short as a critical section gets: what is measured is the lock itself.

use std::hint::black_box;
use std::sync::Mutex;
use std::time::Duration;

use benches::contended;
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, criterion_group, criterion_main};
use spinlock::fixed;

/// Alone; two threads on a 2-core machine; four threads, more than there are cores.
const THREADS: [usize; 3] = [1, 2, 4];

/// Times one lock, one increment of the guarded value and one unlock, per thread, with
/// `threads` threads all using the same lock.
fn lock_and_add<L: Sync>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    threads: usize,
    name: &str,
    lock: &L,
    add: impl Fn(&L) + Sync,
) {
    group.bench_with_input(BenchmarkId::new(name, threads), &threads, |b, &threads| {
        b.iter_custom(|iters| contended(threads, iters, |_| add(black_box(lock))))
    });
}

fn spinlock(c: &mut Criterion) {
    let mut group = c.benchmark_group("spinlock");

    let std_mutex = Mutex::new(0u64);
    let parking_lot_mutex = parking_lot::Mutex::new(0u64);
    let spin_mutex = spin::Mutex::new(0u64);
    let fixed_lock = fixed::SpinLock::new(0u64);

    // Every variant at one thread count before the next, with the machine settled into
    // contention first (see `benches::settle`), so the baseline is measured like the others.
    for threads in THREADS {
        if threads > 1 {
            benches::settle(threads, Duration::from_secs(2));
        }
        let g = &mut group;
        lock_and_add(g, threads, "std Mutex", &std_mutex, |m| {
            *m.lock().unwrap() += 1;
        });
        lock_and_add(g, threads, "parking_lot Mutex", &parking_lot_mutex, |m| {
            *m.lock() += 1;
        });
        lock_and_add(g, threads, "spin Mutex", &spin_mutex, |m| *m.lock() += 1);
        lock_and_add(g, threads, "fixed SpinLock", &fixed_lock, |l| {
            *l.lock() += 1;
        });
    }

    group.finish();
}

criterion_group! {
    name = benches;
    config = benches::config();
    targets = spinlock
}
criterion_main!(benches);
