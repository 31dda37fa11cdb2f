//! The hardware harness: the test's threads on this machine's cores, racing millions of times,
//! with every outcome counted.
//!
//! A reordering only shows when both threads run their few instructions within nanoseconds of
//! each other, so the harness works to make them collide:
//!
//! - a spinning start line ([`SpinBarrier`]) before every iteration, so the threads leave it
//!   together, both already running (a parked thread takes microseconds to wake);
//! - fresh memory for every iteration, from an array of [`Memory`] with each location on its
//!   own cache line, so no iteration reads what an earlier one left behind;
//! - a small random pause after the start line, so that neither thread always leads;
//! - on Linux, each thread pinned to its own core where there are enough, so that a busy
//!   machine's scheduler cannot stack them on one core, where they would take turns.
//!
//! The iterations run in batches of [`BATCH`]: each batch gets its threads and a zeroed array,
//! and the outcomes are counted between batches, outside the race.

use crate::{Body, Memory, Reads, Tally, Test, Variant};
use std::hint;
use std::thread;
use std::time::{Duration, Instant};
use support::barrier::SpinBarrier;

/// Iterations per batch, each with its own [`Memory`] (256 bytes): 4096 of them fill 1 MiB,
/// about what the cache keeps close.
pub const BATCH: usize = 4096;

/// The longest random pause after the start line, in spin-loop hints.
const MAX_PAUSE: u32 = 8;

/// What one hardware run counted.
#[derive(Debug, Clone)]
pub struct Run {
    pub tally: Tally,
    pub iterations: u64,
    /// Wall time of the whole run: threads, races and counting.
    pub elapsed: Duration,
}

impl Run {
    /// Iterations per second, counting included.
    pub fn per_second(&self) -> f64 {
        self.iterations as f64 / self.elapsed.as_secs_f64()
    }
}

/// Runs `variant` for `iterations` iterations.
pub fn run(test: &Test, variant: &Variant, iterations: u64) -> Run {
    run_batches(test, variant, |done, _| {
        (iterations - done).min(BATCH as u64) as usize
    })
}

/// Runs `variant` in batches until `budget` is spent (at least one batch). The batches are a
/// sixteenth of the usual length, so that a slow machine overshoots the budget by little.
pub fn run_for(test: &Test, variant: &Variant, budget: Duration) -> Run {
    run_batches(test, variant, |done, elapsed| {
        if done == 0 || elapsed < budget {
            BATCH / 16
        } else {
            0
        }
    })
}

/// Runs batches while `next` (given the iterations done and the time spent) says how long the
/// next one is; 0 ends the run.
fn run_batches(
    test: &Test,
    variant: &Variant,
    mut next: impl FnMut(u64, Duration) -> usize,
) -> Run {
    let threads = variant.threads.len();
    let mut fresh: Vec<Memory> = (0..BATCH).map(|_| Memory::new()).collect();
    let mut seen: Vec<Vec<Reads>> = vec![vec![[0; 2]; BATCH]; threads];
    let mut tally = Tally::new();
    let mut done = 0u64;
    let started = Instant::now();
    loop {
        let len = next(done, started.elapsed());
        if len == 0 {
            break;
        }
        let fresh = &mut fresh[..len];
        for memory in fresh.iter_mut() {
            *memory = Memory::new();
        }
        let start_line = SpinBarrier::new(threads);
        thread::scope(|s| {
            for (index, (thread, seen)) in variant.threads.iter().zip(&mut seen).enumerate() {
                let body = thread.body;
                let (fresh, start_line) = (&*fresh, &start_line);
                let seed = done ^ (index as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                s.spawn(move || {
                    pin_to_cpu(index);
                    race(body, fresh, &mut seen[..len], start_line, seed);
                });
            }
        });
        count(test, fresh, &seen, &mut tally);
        done += len as u64;
    }
    Run {
        tally,
        iterations: done,
        elapsed: started.elapsed(),
    }
}

// ANCHOR: sb_harness
/// One thread's share of a batch: the same body, once on each fresh memory.
fn race(body: Body, fresh: &[Memory], seen: &mut [Reads], start_line: &SpinBarrier, seed: u64) {
    let mut pause = Pause::new(seed);
    for (memory, seen) in fresh.iter().zip(seen) {
        start_line.wait(); // every thread leaves the line together,
        pause.random(); // then waits a few spins, so either may lead,
        *seen = body(memory); // and races on memory no iteration has used
    }
}

/// After the batch, outside the race: each iteration's reads (and, for 2+2W,
/// its final memory) make one outcome, and each outcome is counted.
fn count(test: &Test, fresh: &[Memory], seen: &[Vec<Reads>], tally: &mut Tally) {
    for (i, memory) in fresh.iter().enumerate() {
        let reads: [Reads; 4] = std::array::from_fn(|t| seen.get(t).map_or([0; 2], |s| s[i]));
        *tally
            .entry((test.outcome)(&reads[..seen.len()], memory))
            .or_default() += 1;
    }
}
// ANCHOR_END: sb_harness

/// Pins the calling thread to the `index`-th CPU this process may use (wrapping around when
/// there are more threads than CPUs). Best effort: if the kernel refuses, the thread runs
/// wherever the scheduler puts it.
#[cfg(target_os = "linux")]
fn pin_to_cpu(index: usize) {
    let size = std::mem::size_of::<libc::cpu_set_t>();
    // SAFETY: `cpu_set_t` is a plain bit array, for which all zeroes is a valid (empty) set.
    let mut allowed: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    // SAFETY: pid 0 is this thread, and `allowed` is a live `cpu_set_t` of `size` bytes.
    if unsafe { libc::sched_getaffinity(0, size, &mut allowed) } != 0 {
        return;
    }
    let cpus: Vec<usize> = (0..libc::CPU_SETSIZE as usize)
        // SAFETY: `cpu` is below CPU_SETSIZE, the number of bits in `allowed`.
        .filter(|&cpu| unsafe { libc::CPU_ISSET(cpu, &allowed) })
        .collect();
    let Some(&cpu) = cpus.get(index % cpus.len().max(1)) else {
        return;
    };
    // SAFETY: as above, all zeroes is the empty set.
    let mut one: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    // SAFETY: `cpu` came from the set above, so it is below CPU_SETSIZE.
    unsafe { libc::CPU_SET(cpu, &mut one) };
    // SAFETY: pid 0 is this thread, and `one` is a live `cpu_set_t` of `size` bytes. A failure
    // leaves the thread unpinned, which only makes collisions rarer.
    unsafe { libc::sched_setaffinity(0, size, &one) };
}

#[cfg(not(target_os = "linux"))]
fn pin_to_cpu(_index: usize) {}

/// A random pause of 0 to [`MAX_PAUSE`] spin-loop hints (xorshift: cheap, and good enough to
/// shuffle which thread leads).
struct Pause(u64);

impl Pause {
    fn new(seed: u64) -> Self {
        Pause(seed | 1)
    }

    fn random(&mut self) {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        for _ in 0..(self.0 % u64::from(MAX_PAUSE + 1)) {
            hint::spin_loop();
        }
    }
}
