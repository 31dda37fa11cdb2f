//! Criterion comparisons for every chapter crate: `cargo xtask bench`.
//!
//! Each chapter has one bench target in `benches/benches/`. What they share lives here:
//!
//! - [`config`]: the criterion settings that keep a full run short on a 2-core machine.
//! - [`run_together`] and [`contended`]: start N threads at the same moment and time them, for
//!   measurements where threads fight over the same memory (use them inside `iter_custom`).
//!
//! `cargo xtask bench` reads criterion's results and writes the Benchmarks appendix; it names
//! the variants by their criterion function ids, so renaming one renames its table row.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use criterion::Criterion;
use support::barrier::SpinBarrier;

/// Criterion settings for every chapter bench: about 4 s per benchmark.
///
/// Contended measurements spawn their threads once per sample, so a sample must be long enough
/// (milliseconds) for that to vanish: 40 samples in 3 s leaves them plenty. No plots: the
/// appendix draws its own charts.
pub fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(40)
        .without_plots()
}

/// Runs `body(index)` on `threads` threads (index `0..threads`) that start together, and
/// returns the time from the first one starting `body` to the last one finishing it.
///
/// The threads are spawned first and wait for each other at a spinning barrier, so neither
/// thread start-up nor a sleeping thread's wake-up is inside the measured time. Each thread
/// reads the clock itself, just after the barrier and just after `body`.
///
/// # Panics
/// If `threads` is zero, or if `body` panics on any thread (the panic is passed on).
pub fn run_together<F>(threads: usize, body: F) -> Duration
where
    F: Fn(usize) + Sync,
{
    assert!(threads > 0, "run_together needs at least one thread");
    let start_line = SpinBarrier::new(threads);
    let spans: Vec<(Instant, Instant)> = thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|index| {
                let (start_line, body) = (&start_line, &body);
                scope.spawn(move || {
                    start_line.wait();
                    let start = Instant::now();
                    body(index);
                    (start, Instant::now())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let first_start = spans.iter().map(|&(start, _)| start).min();
    let last_end = spans.iter().map(|&(_, end)| end).max();
    match (first_start, last_end) {
        (Some(start), Some(end)) => end.saturating_duration_since(start),
        _ => unreachable!("at least one thread ran"),
    }
}

/// For `iter_custom`: each of `threads` threads calls `op(index)` `iters` times, all starting
/// together (see [`run_together`]). Returns the wall time for the whole lot.
///
/// Criterion divides that by `iters`, so the figure it reports is the time for every thread to
/// do one operation while all of them run at once. With one thread that is plain time per op;
/// with N threads that never get in each other's way it stays the same; contention makes it
/// grow.
pub fn contended<F>(threads: usize, iters: u64, op: F) -> Duration
where
    F: Fn(usize) + Sync,
{
    run_together(threads, |index| {
        for _ in 0..iters {
            op(index);
        }
    })
}

/// Keeps `threads` threads busy contending on one cache line for `duration`, untimed.
///
/// Run this before a group of multi-thread measurements. On a virtual machine, a vCPU that sat
/// idle during single-thread runs can come back on a distant host core, and for several seconds
/// every cache-line transfer costs up to twice as much: the first multi-thread benchmark (often
/// the baseline) would then look slow and every ratio against it too good.
pub fn settle(threads: usize, duration: Duration) {
    let line = AtomicUsize::new(0);
    let until = Instant::now() + duration;
    run_together(threads, |_| {
        while Instant::now() < until {
            for _ in 0..1000 {
                line.fetch_add(1, Ordering::Relaxed);
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU64;

    #[test]
    fn every_thread_runs_its_index_once() {
        let seen: Vec<AtomicU64> = (0..3).map(|_| AtomicU64::new(0)).collect();
        run_together(3, |index| {
            seen[index].fetch_add(1, Ordering::Relaxed);
        });
        assert!(seen.iter().all(|count| count.load(Ordering::Relaxed) == 1));
    }

    #[test]
    fn contended_runs_iters_ops_per_thread() {
        let total = AtomicU64::new(0);
        contended(2, 1000, |_| {
            total.fetch_add(1, Ordering::Relaxed);
        });
        assert_eq!(total.load(Ordering::Relaxed), 2000);
    }

    #[test]
    fn the_measured_time_covers_the_work() {
        let elapsed = run_together(2, |_| thread::sleep(Duration::from_millis(20)));
        assert!(elapsed >= Duration::from_millis(20), "{elapsed:?}");
    }

    #[test]
    #[should_panic(expected = "boom")]
    fn a_panic_in_a_thread_is_passed_on() {
        run_together(2, |index| assert!(index != 1, "boom"));
    }

    #[test]
    fn settle_keeps_the_threads_busy_for_the_duration() {
        let started = Instant::now();
        settle(2, Duration::from_millis(50));
        assert!(started.elapsed() >= Duration::from_millis(50));
    }
}
