//! Real threads on this machine: `cargo test -p once-init`.
//!
//! The fixed cell must run its initialiser exactly once in every round. How often check-then-act
//! runs it twice depends on the machine and the moment, so that rate is printed, never asserted.
#![cfg(not(loom))]

use once_init::{InitOnce, broken_check_then_act, fixed};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use support::barrier::SpinBarrier;

/// Runs `threads` threads that all call `get_or_init` on one fresh cell at the same moment,
/// and returns how many times the initialiser ran. Each thread checks the value it got.
fn race_once<C: InitOnce<usize> + Sync>(threads: usize) -> usize {
    let cell = C::new();
    let runs = AtomicUsize::new(0);
    let start_line = SpinBarrier::new(threads);
    thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                // A spinning start line, so the threads really do ask at once.
                start_line.wait();
                let value = *cell.get_or_init(|| runs.fetch_add(1, Ordering::Relaxed) + 7);
                assert!(value >= 7, "a thread got a value nobody stored: {value}");
            });
        }
    });
    assert!(cell.get().is_some(), "nobody initialised the cell");
    runs.load(Ordering::Relaxed)
}

#[test]
#[cfg_attr(miri, ignore)]
fn fixed_cell_runs_init_exactly_once_across_many_threads() {
    for threads in [2, 4, 8] {
        for round in 0..500 {
            let runs = race_once::<fixed::OnceCell<usize>>(threads);
            assert_eq!(
                runs, 1,
                "{threads} threads, round {round}: init ran {runs} times"
            );
        }
    }
}

#[test]
#[cfg_attr(miri, ignore)]
fn check_then_act_double_run_rate_is_reported() {
    const ROUNDS: usize = 4_000;
    let doubled = (0..ROUNDS)
        .filter(|_| race_once::<broken_check_then_act::OnceCell<usize>>(2) > 1)
        .count();
    // Straight to stderr, past libtest's capture, so the figure shows in a normal run.
    writeln!(
        std::io::stderr(),
        "check-then-act: the initialiser ran twice in {doubled} of {ROUNDS} rounds \
         ({:.1} %) on this run",
        100.0 * doubled as f64 / ROUNDS as f64
    )
    .unwrap();
}

#[test]
fn every_caller_gets_the_first_value() {
    let cell = fixed::OnceCell::new();
    assert_eq!(cell.get(), None);
    assert_eq!(*cell.get_or_init(|| 1), 1);
    assert_eq!(*cell.get_or_init(|| 2), 1);
    assert_eq!(cell.set(3), Err(3));
    assert_eq!(cell.get(), Some(&1));
}

#[test]
fn set_fills_an_empty_cell() {
    let cell = fixed::OnceCell::new();
    assert_eq!(cell.set(String::from("first")), Ok(()));
    assert_eq!(
        cell.set(String::from("second")),
        Err(String::from("second"))
    );
    assert_eq!(cell.get().map(String::as_str), Some("first"));
}

// ANCHOR: panic_retries
#[test]
fn a_panicking_initialiser_leaves_the_cell_empty_and_the_next_call_retries() {
    let cell = fixed::OnceCell::new();
    let failed = std::panic::catch_unwind(|| {
        cell.get_or_init(|| -> String { panic!("initialiser failed") });
    });
    assert!(failed.is_err(), "the panic reaches the caller");
    assert_eq!(cell.get(), None, "no value, and not poisoned");
    assert_eq!(
        cell.get_or_init(|| String::from("second try")),
        "second try"
    );
}
// ANCHOR_END: panic_retries

// ANCHOR: reentrant
#[test]
fn a_reentrant_call_panics_instead_of_waiting_for_itself() {
    let cell = fixed::OnceCell::new();
    let reentered = std::panic::catch_unwind(|| {
        cell.get_or_init(|| *cell.get_or_init(|| 1) + 1);
    });
    let message = support::panic_message(reentered.unwrap_err().as_ref());
    assert!(
        message.starts_with("reentrant initialisation: the initialiser called get_or_init"),
        "{message}"
    );
    assert_eq!(cell.get(), None, "the outer initialiser unwound: no value");
    assert_eq!(*cell.get_or_init(|| 3), 3, "and the cell can be used again");
}
// ANCHOR_END: reentrant

#[test]
fn a_slow_initialisers_waiters_sleep_in_the_queue() {
    let cell = fixed::OnceCell::new();
    thread::scope(|s| {
        let mut waiters = Vec::new();
        let value = *cell.get_or_init(|| {
            for _ in 0..3 {
                waiters.push(s.spawn(|| *cell.get_or_init(|| unreachable!("the owner runs"))));
            }
            // All three end up parked in the queue (a spinning cell has none to count them
            // in), and stay there while this initialiser takes its time.
            while cell.waiting() < 3 {
                thread::yield_now();
            }
            thread::sleep(std::time::Duration::from_millis(50));
            assert_eq!(cell.waiting(), 3);
            7
        });
        assert_eq!(value, 7);
        for waiter in waiters {
            assert_eq!(
                waiter.join().unwrap(),
                7,
                "a woken waiter got another value"
            );
        }
    });
    assert_eq!(
        cell.waiting(),
        0,
        "every waiter was woken and left the queue"
    );
}
