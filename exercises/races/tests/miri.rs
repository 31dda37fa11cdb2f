//! Small tests for Miri, which runs each under 16 schedules: `cargo xtask miri races`.
//!
//! The `#[ignore]`d tests are the two data races and the mixed-size atomic accesses, which Miri
//! must report; they are never run natively (each is undefined behaviour). The check-then-act withdrawal is *not*
//! ignored: it has no data race, so Miri runs it to the end and reports nothing, even in the
//! schedules where it overdraws.
#![cfg(not(loom))]

use races::{Account, Count, Mailbox};
use races::{broken_check_then_act, broken_data_race, broken_volatile};
use races::{fixed_counter, fixed_publish, fixed_withdraw};
use std::io::Write;
use std::sync::atomic::{AtomicU8, AtomicU16, Ordering};
use std::{hint, thread};
use support::barrier::SpinBarrier;

/// Two threads increment `counter` three times each.
fn count_from_two_threads<C: Count>() -> u64 {
    let counter = C::new();
    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                for _ in 0..3 {
                    counter.increment();
                }
            });
        }
    });
    counter.get()
}

/// Two threads try to withdraw 60 from 100; returns how many succeeded and the balance.
fn withdraw_from_two_threads<A: Account + Sync>() -> (i64, i64) {
    let account = A::new(100);
    // A start line, so that neither thread is done before the other has begun.
    let start_line = SpinBarrier::new(2);
    let paid = thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    start_line.wait();
                    account.withdraw(60)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .filter(|&paid| paid)
            .count() as i64
    });
    (paid, account.balance())
}

/// One thread publishes 42, another spins until it sees it.
fn publish_and_wait<M: Mailbox + Sync>() -> u64 {
    let mailbox = M::new();
    thread::scope(|s| {
        s.spawn(|| mailbox.publish(42));
        s.spawn(|| {
            loop {
                if let Some(value) = mailbox.try_read() {
                    return value;
                }
                hint::spin_loop();
            }
        })
        .join()
        .unwrap()
    })
}

#[test]
fn atomic_counter_has_no_data_race() {
    assert_eq!(count_from_two_threads::<fixed_counter::AtomicCounter>(), 6);
}

#[test]
fn locked_counter_has_no_data_race() {
    assert_eq!(count_from_two_threads::<fixed_counter::LockedCounter>(), 6);
}

// ANCHOR: miri_no_ub
/// The race condition, under Miri. Every access is atomic, so Miri has no
/// data race to report, and this test passes in every schedule. What it
/// asserts is only what holds even when the account is overdrawn: no
/// withdrawal was lost. How many rounds overdrew is printed.
#[test]
fn check_then_act_is_not_a_data_race() {
    const ROUNDS: usize = 20;
    let mut overdrawn = 0;
    for _ in 0..ROUNDS {
        let (paid, balance) = withdraw_from_two_threads::<broken_check_then_act::Balance>();
        assert_eq!(balance, 100 - 60 * paid, "a withdrawal was lost");
        overdrawn += usize::from(balance < 0);
    }
    // Straight to stderr, past libtest's capture, so each schedule's count shows.
    writeln!(
        std::io::stderr(),
        "check-then-act {}: overdrawn in {overdrawn} of {ROUNDS} rounds, no UB",
        if cfg!(miri) { "under Miri" } else { "natively" }
    )
    .unwrap();
}
// ANCHOR_END: miri_no_ub

#[test]
fn cas_withdrawal_pays_once() {
    assert_eq!(
        withdraw_from_two_threads::<fixed_withdraw::Balance>(),
        (1, 40)
    );
}

#[test]
fn fetch_update_withdrawal_pays_once() {
    let outcome = withdraw_from_two_threads::<fixed_withdraw::BalanceFetchUpdate>();
    assert_eq!(outcome, (1, 40));
}

#[test]
fn release_acquire_flag_publishes_the_payload() {
    assert_eq!(publish_and_wait::<fixed_publish::AtomicFlagMailbox>(), 42);
}

// ANCHOR: miri_broken
#[test]
#[ignore = "undefined behaviour: run only under Miri (cargo xtask miri)"]
fn broken_data_race_counter_races() {
    count_from_two_threads::<broken_data_race::RacyCounter>();
}

#[test]
#[ignore = "undefined behaviour: run only under Miri (cargo xtask miri)"]
fn broken_volatile_publication_races() {
    publish_and_wait::<broken_volatile::VolatileMailbox>();
}
// ANCHOR_END: miri_broken

// ANCHOR: mixed_size
/// Two atomic accesses to overlapping memory, of different sizes, one of
/// them a write, and nothing orders them: undefined behaviour, although
/// neither access is plain.
#[test]
#[ignore = "undefined behaviour: run only under Miri (cargo xtask miri)"]
fn mixed_size_atomic_accesses_race() {
    let whole = AtomicU16::new(0);
    // SAFETY: the pointer is valid and aligned for a `u8` while `whole` lives.
    // Racing this 1-byte atomic with a 2-byte one is the bug under test.
    let low_byte = unsafe { AtomicU8::from_ptr(whole.as_ptr().cast::<u8>()) };
    thread::scope(|s| {
        // Relaxed (both): pairs with nothing; only the access sizes matter here.
        s.spawn(|| whole.store(0x0101, Ordering::Relaxed));
        s.spawn(|| low_byte.load(Ordering::Relaxed));
    });
}

/// The control: the same two sizes, both reads. Reads never conflict, so
/// this is defined, and Miri passes it.
#[test]
fn mixed_size_atomic_reads_are_fine() {
    let whole = AtomicU16::new(0x0101);
    // SAFETY: as above; here both accesses only read.
    let low_byte = unsafe { AtomicU8::from_ptr(whole.as_ptr().cast::<u8>()) };
    thread::scope(|s| {
        // Relaxed (both): pairs with nothing; two loads.
        s.spawn(|| whole.load(Ordering::Relaxed));
        s.spawn(|| low_byte.load(Ordering::Relaxed));
    });
}
// ANCHOR_END: mixed_size
