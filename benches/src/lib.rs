//! Criterion comparisons for every chapter crate: `cargo xtask bench`.
//!
//! Each chapter has one bench target in `benches/benches/`. What they share lives here:
//!
//! - [`config`]: the criterion settings that keep a full run short on a 2-core machine.
//! - [`run_together`] and [`contended`]: start N threads at the same moment and time them, for
//!   measurements where threads fight over the same memory (use them inside `iter_custom`).
//!
//! - [`pin`]: each benchmark thread on its own CPU (`sched_setaffinity`), falling back to
//!   running unpinned, and saying so, where affinity is not available.
//! - [`run_order`]: the variants of a group in a different order on each repeat, so no variant
//!   always runs first (just after the machine settles) or last.
//! - [`record_side`]: figures criterion has no column for (a lock's fairness, a paired ratio),
//!   written where `cargo xtask bench` reads them.
//! - [`paired`]: a variant and its baseline measured back to back, many times, for a ratio
//!   that the machine's drift from second to second cancels out of.
//!
//! `cargo xtask bench` reads criterion's results and writes the Benchmarks appendix; it names
//! the variants by their criterion function ids, so renaming one renames its table row. The
//! list of bench targets, their baselines and the repeat count live in `benches/Cargo.toml`
//! (`[package.metadata.bench]`).

use std::io::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use criterion::Criterion;
use support::barrier::SpinBarrier;

pub mod paired;

/// Criterion settings for every chapter bench: about 2 s per benchmark and run.
///
/// Contended measurements spawn their threads once per sample, so a sample must be long enough
/// (milliseconds) for that to vanish: 30 samples in 1.5 s leaves them 50 ms each. `cargo xtask
/// bench` runs every target several times (see `benches/Cargo.toml`) and reports the spread
/// between runs, which a single longer run would hide. No plots: the appendix draws its own.
pub fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_millis(1500))
        .sample_size(30)
        .without_plots()
}

/// Whether a thread got the CPU it asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pinning {
    /// Running on this CPU only.
    Pinned(usize),
    /// Running wherever the scheduler puts it, and why.
    Unpinned(String),
}

/// The CPUs this process may run on, lowest first (empty where affinity is not available).
pub fn allowed_cpus() -> Vec<usize> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: `cpu_set_t` is plain bits, valid when zeroed; `sched_getaffinity` writes at
        // most `size_of::<cpu_set_t>()` bytes into it.
        let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
        let size = std::mem::size_of::<libc::cpu_set_t>();
        // SAFETY: as above; pid 0 is the calling thread.
        if unsafe { libc::sched_getaffinity(0, size, &mut set) } != 0 {
            return Vec::new();
        }
        let bits = 8 * size;
        // SAFETY: `cpu < bits`, the set's size.
        (0..bits)
            .filter(|&cpu| unsafe { libc::CPU_ISSET(cpu, &set) })
            .collect()
    }
    #[cfg(not(target_os = "linux"))]
    Vec::new()
}

/// Pins the calling thread to `cpu`, or leaves it unpinned and says why.
pub fn pin(cpu: usize) -> Pinning {
    pin_with(cpu, set_affinity)
}

/// [`pin`] with the system call passed in, so the fallback can be tested on any machine.
pub fn pin_with(cpu: usize, set: impl FnOnce(usize) -> std::io::Result<()>) -> Pinning {
    if std::env::var_os("BENCH_NO_PIN").is_some() {
        return Pinning::Unpinned("BENCH_NO_PIN is set".to_owned());
    }
    match set(cpu) {
        Ok(()) => Pinning::Pinned(cpu),
        Err(error) => Pinning::Unpinned(format!("cannot pin to CPU {cpu}: {error}")),
    }
}

#[cfg(target_os = "linux")]
fn set_affinity(cpu: usize) -> std::io::Result<()> {
    // SAFETY: a zeroed `cpu_set_t` is the empty set.
    let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    if cpu >= 8 * std::mem::size_of::<libc::cpu_set_t>() {
        return Err(std::io::Error::other("beyond the largest CPU set"));
    }
    // SAFETY: `cpu` is within the set (checked above).
    unsafe { libc::CPU_SET(cpu, &mut set) };
    // SAFETY: `set` is a valid set of the size passed; pid 0 is the calling thread.
    match unsafe { libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) } {
        0 => Ok(()),
        _ => Err(std::io::Error::last_os_error()),
    }
}

#[cfg(not(target_os = "linux"))]
fn set_affinity(_cpu: usize) -> std::io::Result<()> {
    Err(std::io::Error::other(
        "thread affinity is implemented for Linux only",
    ))
}

/// Which repeat of the bench this process is (`BENCH_RUN`, set by `cargo xtask bench`; 0 when
/// run by hand).
pub fn run_index() -> usize {
    std::env::var("BENCH_RUN")
        .ok()
        .and_then(|run| run.parse().ok())
        .unwrap_or(0)
}

/// `items` rotated by the repeat index, so that across repeats each variant runs first once.
pub fn run_order<T>(mut items: Vec<T>) -> Vec<T> {
    if !items.is_empty() {
        let by = run_index() % items.len();
        items.rotate_left(by);
    }
    items
}

/// Appends one line `variant<TAB>parameter<TAB>fields...` to `$BENCH_SIDE_DIR/<group>.tsv`,
/// for figures criterion has no place for. Does nothing when `cargo xtask bench` did not ask.
pub fn record_side(group: &str, variant: &str, parameter: usize, fields: &[f64]) {
    let Some(dir) = std::env::var_os("BENCH_SIDE_DIR") else {
        return;
    };
    let path = std::path::Path::new(&dir).join(format!("{group}.tsv"));
    let mut line = format!("{variant}\t{parameter}");
    for field in fields {
        line.push_str(&format!("\t{field}"));
    }
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut file| writeln!(file, "{line}"));
    if let Err(error) = written {
        panic!("cannot write {}: {error}", path.display());
    }
}

/// Jain's fairness index of per-thread counts: 1 when every thread got the same share, 1/n
/// when one thread got everything.
pub fn jain(counts: &[u64]) -> f64 {
    let sum: f64 = counts.iter().map(|&c| c as f64).sum();
    let squares: f64 = counts.iter().map(|&c| (c as f64) * (c as f64)).sum();
    if squares == 0.0 {
        return 1.0;
    }
    sum * sum / (counts.len() as f64 * squares)
}

/// Runs `body(index)` on `threads` threads (index `0..threads`) that start together, and
/// returns the time from the first one starting `body` to the last one finishing it.
///
/// The threads are spawned first and wait for each other at a spinning barrier, so neither
/// thread start-up nor a sleeping thread's wake-up is inside the measured time. Each thread
/// reads the clock itself, just after the barrier and just after `body`. Thread `i` is pinned
/// to the `i`-th allowed CPU (modulo their number: with more threads than CPUs, some share),
/// or runs unpinned where that is not possible.
///
/// # Panics
/// If `threads` is zero, or if `body` panics on any thread (the panic is passed on).
pub fn run_together<F>(threads: usize, body: F) -> Duration
where
    F: Fn(usize) + Sync,
{
    let cpus = allowed_cpus();
    run_together_pinned(
        threads,
        |index| match cpus.len() {
            0 => Pinning::Unpinned("the allowed CPUs are unknown".to_owned()),
            n => pin(cpus[index % n]),
        },
        body,
    )
}

/// [`run_together`] with the pinning step passed in (each thread calls `pin(index)` first).
pub fn run_together_pinned<F, P>(threads: usize, pin: P, body: F) -> Duration
where
    F: Fn(usize) + Sync,
    P: Fn(usize) -> Pinning + Sync,
{
    assert!(threads > 0, "run_together needs at least one thread");
    let start_line = SpinBarrier::new(threads);
    let spans: Vec<(Instant, Instant)> = thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|index| {
                let (start_line, body, pin) = (&start_line, &body, &pin);
                scope.spawn(move || {
                    // Unpinned is a weaker measurement, not a failure: the bench goes on.
                    let _ = pin(index);
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
    fn when_affinity_is_unavailable_the_thread_runs_unpinned() {
        let refused = pin_with(3, |_| Err(std::io::Error::from_raw_os_error(libc::EINVAL)));
        match refused {
            Pinning::Unpinned(why) => assert!(why.contains("cannot pin to CPU 3"), "{why}"),
            Pinning::Pinned(_) => panic!("a refused call must not count as pinned"),
        }
        // A CPU no machine has: the real system call refuses it too.
        assert!(matches!(pin(1 << 20), Pinning::Unpinned(_)));
        // And the measurement still runs every thread.
        let ran = AtomicU64::new(0);
        run_together_pinned(
            2,
            |_| Pinning::Unpinned("test".into()),
            |_| {
                ran.fetch_add(1, Ordering::Relaxed);
            },
        );
        assert_eq!(ran.load(Ordering::Relaxed), 2);
    }

    #[test]
    fn pinning_to_an_allowed_cpu_works_where_affinity_exists() {
        let cpus = allowed_cpus();
        if let Some(&cpu) = cpus.first() {
            // On a thread of its own, so the test thread keeps its affinity.
            let got = thread::spawn(move || pin(cpu)).join().unwrap();
            if std::env::var_os("BENCH_NO_PIN").is_none() {
                assert_eq!(got, Pinning::Pinned(cpu));
            }
        }
    }

    #[test]
    fn jain_is_one_when_fair_and_one_over_n_under_capture() {
        assert!((jain(&[5, 5, 5, 5]) - 1.0).abs() < 1e-12);
        assert!((jain(&[100, 0, 0, 0]) - 0.25).abs() < 1e-12);
        assert!((jain(&[3, 1]) - 0.8).abs() < 1e-12);
    }

    #[test]
    fn run_order_rotates_by_the_repeat() {
        // BENCH_RUN is unset under `cargo test`: the order is unchanged.
        assert_eq!(run_order(vec![1, 2, 3]), vec![1, 2, 3]);
        assert!(run_order(Vec::<u8>::new()).is_empty());
    }

    #[test]
    fn settle_keeps_the_threads_busy_for_the_duration() {
        let started = Instant::now();
        settle(2, Duration::from_millis(50));
        assert!(started.elapsed() >= Duration::from_millis(50));
    }
}
