//! The spinlock chapter: hand-off latency. Two threads take turns through one lock: each takes
//! the lock, and if it is its turn, passes the turn to the other; otherwise it lets go and
//! tries again. A round trip is two hand-offs: from one thread's unlock to the other's lock
//! that finds its turn, and back. Capture cannot help here: a thread that takes the lock again
//! at once only finds it is still not its turn.
//!
//! `cargo xtask bench` finds these results by the group name `spinlock_handoff` and compares
//! every variant with `std Mutex`; keep both names in step with `[package.metadata.bench]` in
//! `benches/Cargo.toml`.

use std::hint::black_box;
use std::time::Duration;

use benches::run_together;
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, criterion_group, criterion_main};

#[macro_use]
mod lock_common;
use lock_common::{Budget, Lock};

/// Times `iters` round trips between two threads.
fn ping_pong<L: Lock>(group: &mut BenchmarkGroup<'_, WallTime>, name: &str) {
    group.bench_with_input(BenchmarkId::new(name, 2), &2, |b, _| {
        b.iter_custom(|iters| {
            let lock = L::new();
            run_together(2, |me| {
                let mut turns = 0;
                while turns < iters {
                    let mine = black_box(&lock).with(|state| {
                        let mine = state.turn == me;
                        if mine {
                            state.turn = 1 - me;
                        }
                        mine
                    });
                    turns += u64::from(mine);
                }
            })
        })
    });
}

fn spinlock_handoff(c: &mut Criterion) {
    let mut group = c.benchmark_group("spinlock_handoff");
    benches::settle(2, Duration::from_secs(1));
    type Run = fn(&mut BenchmarkGroup<'_, WallTime>, &str);
    for (name, run) in benches::run_order(locks!(ping_pong)) {
        run(&mut group, name);
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = benches::config();
    targets = spinlock_handoff
}
criterion_main!(benches);
