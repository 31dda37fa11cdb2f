//! The checker: loom models that every once-cell must pass (compiled only under `--cfg loom`).
//!
//! Each model is generic over [`InitOnce`], so both broken cells, the fixed one and a reader's
//! attempt are judged by the same code. Every model is exhaustive: two threads and a handful
//! of atomic accesses are few enough interleavings for loom to try them all.

use crate::{InitOnce, fixed};
use std::panic::{self, AssertUnwindSafe};
use support::sync::Arc;
use support::sync::atomic::{AtomicUsize, Ordering};
use support::thread;

/// What the models store: a number, so a wrong value is easy to print.
const VALUE: u64 = 42;

// ANCHOR: init_runs_once
/// Two threads call `get_or_init` at once. The initialiser must run exactly
/// once, and both threads must get the value it made.
pub fn init_runs_once<C>()
where
    C: InitOnce<u64> + Send + Sync + 'static,
{
    support::model(|| {
        let cell = Arc::new(C::new());
        let runs = Arc::new(AtomicUsize::new(0));
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let (cell, runs) = (Arc::clone(&cell), Arc::clone(&runs));
                thread::spawn(move || {
                    *cell.get_or_init(|| {
                        // Relaxed: a tally read after the joins below.
                        runs.fetch_add(1, Ordering::Relaxed);
                        VALUE
                    })
                })
            })
            .collect();
        for handle in handles {
            assert_eq!(handle.join().unwrap(), VALUE);
        }
        // Relaxed: the joins ordered every increment before this load.
        let runs = runs.load(Ordering::Relaxed);
        assert_eq!(
            runs, 1,
            "double init: two threads asked at once, and the \
             initialiser ran {runs} times"
        );
    });
}
// ANCHOR_END: init_runs_once

// ANCHOR: reader_sees_the_value
/// One thread initialises; another only reads. If the reader sees the cell
/// as initialised, it must see the value too (the message-passing shape).
pub fn reader_sees_the_value<C>()
where
    C: InitOnce<u64> + Send + Sync + 'static,
{
    support::model(|| {
        let cell = Arc::new(C::new());
        let writer = {
            let cell = Arc::clone(&cell);
            thread::spawn(move || assert_eq!(cell.set(VALUE), Ok(())))
        };
        // The reader is a spawned thread too: loom did not schedule the
        // writer ahead of a read that the main thread makes right after
        // spawning it, so that read never saw the cell initialised.
        let reader = {
            let cell = Arc::clone(&cell);
            thread::spawn(move || {
                if let Some(&value) = cell.get() {
                    assert_eq!(value, VALUE, "the reader saw a wrong value");
                }
            })
        };
        writer.join().unwrap();
        reader.join().unwrap();
        assert_eq!(cell.get(), Some(&VALUE));
    });
}
// ANCHOR_END: reader_sees_the_value

/// One thread's initialiser panics while another thread also asks. The
/// panic must not wedge the cell: the other thread's initialiser runs, and
/// afterwards the cell holds its value.
pub fn panicking_initialiser_leaves_the_cell_usable<C>()
where
    C: InitOnce<u64> + Send + Sync + 'static,
{
    support::model(|| {
        let cell = Arc::new(C::new());
        let failing = {
            let cell = Arc::clone(&cell);
            thread::spawn(move || {
                // `resume_unwind` unwinds without running the panic hook,
                // so loom's thousands of executions print nothing.
                let attempt = panic::catch_unwind(AssertUnwindSafe(|| {
                    *cell.get_or_init(|| panic::resume_unwind(Box::new("initialiser failed")))
                }));
                // If the other thread got in first, there was nothing to
                // run (and nothing to panic): we just read its value.
                if let Ok(value) = attempt {
                    assert_eq!(value, VALUE);
                }
            })
        };
        let value = *cell.get_or_init(|| VALUE);
        assert_eq!(value, VALUE);
        failing.join().unwrap();
        assert_eq!(cell.get(), Some(&VALUE));
    });
}

// ANCHOR: waiter_parks
/// The parking path, taken in every execution: the main thread claims the
/// cell and, inside its initialiser, starts a second thread and goes on
/// only once that thread is in the queue. The waiter must sleep until the
/// owner finishes, be woken, and get the owner's value. A lost wake-up
/// would leave it parked for ever, which loom reports as a deadlock.
pub fn a_waiter_parks_until_the_owner_finishes() {
    support::model(|| {
        let cell = Arc::new(fixed::OnceCell::new());
        let mut waiter = None;
        let value = *cell.get_or_init(|| {
            let shared = Arc::clone(&cell);
            waiter = Some(thread::spawn(move || {
                *shared.get_or_init(|| unreachable!("the owner is running"))
            }));
            while cell.waiting() == 0 {
                thread::yield_now();
            }
            VALUE
        });
        assert_eq!(value, VALUE);
        let woken = waiter.expect("spawned").join().unwrap();
        assert_eq!(woken, VALUE, "the woken waiter got another value");
    });
}
// ANCHOR_END: waiter_parks

/// The same, but the owner's initialiser panics once the waiter is queued.
/// The waiter must be woken, claim the cell and run its own initialiser.
pub fn a_parked_waiter_takes_over_after_a_panic() {
    support::model(|| {
        let cell = Arc::new(fixed::OnceCell::new());
        let mut waiter = None;
        let attempt = panic::catch_unwind(AssertUnwindSafe(|| {
            cell.get_or_init(|| {
                let shared = Arc::clone(&cell);
                waiter = Some(thread::spawn(move || *shared.get_or_init(|| VALUE)));
                while cell.waiting() == 0 {
                    thread::yield_now();
                }
                panic::resume_unwind(Box::new("initialiser failed"))
            });
        }));
        assert!(attempt.is_err(), "the owner's panic reaches its caller");
        let woken = waiter.expect("spawned").join().unwrap();
        assert_eq!(woken, VALUE, "the woken waiter ran its own initialiser");
        assert_eq!(cell.get(), Some(&VALUE));
    });
}
