//! A spinning barrier for stress tests and benches on real threads.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Lines threads up so that they leave each round together.
///
/// Every [`wait`](Self::wait) returns once all `threads` threads have called it as many times
/// as the caller has. It spins rather than parks: a parked thread takes microseconds to wake,
/// far longer than the races a stress test is trying to provoke, so a parking barrier would
/// release the threads one after another instead of together. It always uses std's atomics,
/// also under `cfg(loom)`: it is for real threads, never for models.
#[derive(Debug)]
pub struct SpinBarrier {
    arrived: AtomicUsize,
    threads: usize,
}

impl SpinBarrier {
    /// A barrier for `threads` threads.
    ///
    /// # Panics
    /// If `threads` is zero.
    pub fn new(threads: usize) -> Self {
        assert!(threads > 0, "a barrier needs at least one thread");
        SpinBarrier {
            arrived: AtomicUsize::new(0),
            threads,
        }
    }

    /// Waits until every thread has arrived at this round.
    pub fn wait(&self) {
        // Relaxed: the barrier lines threads up in time; it publishes no data. The ticket
        // says which round this caller is in: round r holds tickets r*n .. (r+1)*n - 1.
        let ticket = self.arrived.fetch_add(1, Ordering::Relaxed);
        let round_end = (ticket / self.threads + 1) * self.threads;
        let mut spins = 0u32;
        // Relaxed: as above, only the count matters.
        while self.arrived.load(Ordering::Relaxed) < round_end {
            spins = spins.wrapping_add(1);
            if spins.is_multiple_of(1024) {
                // With more threads than cores, let a thread that has not arrived yet run.
                std::thread::yield_now();
            } else {
                std::hint::spin_loop();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_thread_leaves_a_round_before_all_have_arrived() {
        const THREADS: usize = 3;
        const ROUNDS: usize = 200;
        let barrier = SpinBarrier::new(THREADS);
        let arrivals: Vec<AtomicUsize> = (0..ROUNDS).map(|_| AtomicUsize::new(0)).collect();
        std::thread::scope(|s| {
            for _ in 0..THREADS {
                s.spawn(|| {
                    for arrived in &arrivals {
                        // Relaxed: a count; coherence alone makes the check below exact.
                        arrived.fetch_add(1, Ordering::Relaxed);
                        barrier.wait();
                        // Relaxed: every thread's add precedes its barrier arrival, and the
                        // count only grows; anything short of THREADS is the bug.
                        assert_eq!(arrived.load(Ordering::Relaxed), THREADS);
                    }
                });
            }
        });
    }

    #[test]
    #[should_panic(expected = "at least one thread")]
    fn zero_threads_is_refused() {
        SpinBarrier::new(0);
    }
}
