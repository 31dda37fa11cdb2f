//! Real threads on this machine: `cargo test -p refcount`.
//!
//! The fixed pointer must drop every value exactly once, every time.
//!
//! Nothing here runs undefined behaviour. The check-then-act pointer would free twice, so it is
//! never dropped here: its decision, `broken_check_then_act::leave`, runs instead on counts
//! that own nothing, and how often both owners decide to free is printed (it depends on the
//! machine and the moment), never asserted. The Relaxed pointer's bug is a data race, so it
//! runs only under loom, Miri and ThreadSanitizer.
#![cfg(not(loom))]

use refcount::harness::Counted;
use refcount::{Shared, broken_check_then_act, fixed};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use support::barrier::SpinBarrier;

/// Values per run: each is shared by two threads that drop their owners at the same moment.
const VALUES: usize = if cfg!(miri) { 50 } else { 20_000 };

/// Makes `VALUES` values with two owners each, gives one owner of each to each of two threads,
/// and has the threads drop value `i`'s owners in lockstep. Returns how often each value was
/// dropped.
fn drop_in_lockstep<P>() -> Vec<usize>
where
    P: Shared<Counted> + Send,
{
    let drops: &'static [AtomicUsize] =
        Box::leak((0..VALUES).map(|_| AtomicUsize::new(0)).collect());
    let mut left = Vec::with_capacity(VALUES);
    let mut right = Vec::with_capacity(VALUES);
    for counter in drops {
        let owner = P::new(Counted::new(counter));
        right.push(owner.clone());
        left.push(owner);
    }
    let barrier = SpinBarrier::new(2);
    thread::scope(|s| {
        for owners in [left, right] {
            let barrier = &barrier;
            s.spawn(move || {
                for owner in owners {
                    // Both threads drop value i together.
                    barrier.wait();
                    drop(owner);
                }
            });
        }
    });
    drops.iter().map(|d| d.load(Ordering::Relaxed)).collect()
}

#[test]
fn fixed_drops_every_value_exactly_once() {
    let drops = drop_in_lockstep::<fixed::RefCount<_>>();
    let leaked = drops.iter().filter(|&&n| n == 0).count();
    let doubled = drops.iter().filter(|&&n| n > 1).count();
    assert_eq!((leaked, doubled), (0, 0), "leaked, dropped more than once");
}

/// A count alone on its cache line.
#[repr(align(128))]
struct Line(AtomicUsize);

// ANCHOR: check_then_act_stress
/// Two threads give up the two shares of each of `VALUES` counts at the
/// same moment, through the check-then-act pointer's own `leave`.
/// Nothing is freed: the test counts how often both say "I was last".
#[test]
fn check_then_act_double_decisions_are_reported() {
    // One cache line per count, as in a pointer's own block.
    let counts: Vec<Line> = (0..VALUES).map(|_| Line(AtomicUsize::new(2))).collect();
    let barrier = SpinBarrier::new(2);
    let said_last: [Vec<bool>; 2] = thread::scope(|s| {
        let run = || {
            s.spawn(|| {
                let leave = |count: &Line| {
                    barrier.wait(); // both threads leave count i together
                    broken_check_then_act::leave(&count.0)
                };
                counts.iter().map(leave).collect::<Vec<bool>>()
            })
        };
        let (a, b) = (run(), run());
        [a.join().unwrap(), b.join().unwrap()]
    });
    let both = (0..VALUES)
        .filter(|&i| said_last[0][i] && said_last[1][i])
        .count();
    // Straight to stderr, past libtest's capture, so the figure shows in a normal run.
    writeln!(
        std::io::stderr(),
        "check-then-act: both owners would free {both} of {VALUES} values ({:.1} %)",
        100.0 * both as f64 / VALUES as f64
    )
    .unwrap();
    // What holds even here: the owner whose decrement reached zero reads zero.
    assert!((0..VALUES).all(|i| said_last[0][i] || said_last[1][i]));
}
// ANCHOR_END: check_then_act_stress

#[test]
fn fixed_survives_many_clones_on_two_threads() {
    let drops = Counted::counter();
    let owner = fixed::RefCount::new(Counted::new(drops));
    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                for _ in 0..if cfg!(miri) { 20 } else { 200_000 } {
                    let clone = owner.clone();
                    assert!(fixed::RefCount::strong_count(&clone) >= 2);
                }
            });
        }
    });
    assert_eq!(fixed::RefCount::strong_count(&owner), 1);
    drop(owner);
    assert_eq!(drops.load(Ordering::Relaxed), 1);
}

#[test]
fn fixed_get_mut_only_for_the_only_owner() {
    let mut owner = fixed::RefCount::new(vec![1, 2, 3]);
    let other = owner.clone();
    assert!(fixed::RefCount::get_mut(&mut owner).is_none());
    drop(other);
    fixed::RefCount::get_mut(&mut owner).unwrap().push(4);
    assert_eq!(*owner, [1, 2, 3, 4]);
}
