//! What the guide warns about in "When a failing model aborts instead of failing": a model
//! that fails while a value's `Drop` touches a loom cell. The test of the loud destructor is
//! `#[ignore]`d, because it takes the whole test binary down; `cargo test -p xtask own_crate`
//! runs each test alone and checks how the process ended.
#![cfg(loom)]

use support::cell::UnsafeCell;
use support::sync::Arc;
use support::sync::atomic::{AtomicBool, Ordering};
use support::thread;

/// A one-value mailbox whose sender publishes with Relaxed (the bug loom catches).
struct Mailbox {
    value: UnsafeCell<u32>,
    full: AtomicBool,
}

// SAFETY: not sound (the publication is Relaxed): that is the bug the model must catch.
unsafe impl Sync for Mailbox {}

/// The receiver's handle, with a destructor that reads the cell. A quiet one first asks
/// `std::thread::panicking()`, as the guide advises; a loud one does not.
struct Receiver {
    mailbox: Arc<Mailbox>,
    quiet: bool,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        if self.quiet && std::thread::panicking() {
            return;
        }
        // The read the model fails on, once more: while the model's failure unwinds, loom
        // reports it again.
        self.mailbox.value.with(|_| ());
    }
}

/// The sender writes the value and publishes it with Relaxed (the bug); the receiver waits
/// for the flag and reads the value, which loom reports as a causality violation.
fn relaxed_mailbox(quiet: bool) {
    support::expect_bug("Causality violation", || {
        support::model(move || {
            let mailbox = Arc::new(Mailbox {
                value: UnsafeCell::new(0),
                full: AtomicBool::new(false),
            });
            let sender = {
                let mailbox = Arc::clone(&mailbox);
                thread::spawn(move || {
                    // SAFETY: the only write, before `full` is set.
                    mailbox.value.with_mut(|value| unsafe { *value = 7 });
                    // BUG: Relaxed publishes nothing; the receiver's Acquire has no pair.
                    mailbox.full.store(true, Ordering::Relaxed);
                })
            };
            let receiver = Receiver { mailbox, quiet };
            // Acquire: meant to pair with a Release store, which the sender lacks (the bug).
            while !receiver.mailbox.full.load(Ordering::Acquire) {
                thread::yield_now();
            }
            // SAFETY: unsound (see `Mailbox`); loom fails the model on this read.
            let value = receiver.mailbox.value.with(|value| unsafe { *value });
            assert_eq!(value, 7);
            sender.join().unwrap();
        });
    });
}

#[test]
#[ignore = "aborts the test binary: run alone by `cargo test -p xtask own_crate`"]
fn a_loud_destructor_aborts_the_failing_model() {
    relaxed_mailbox(false);
}

#[test]
fn a_quiet_destructor_lets_expect_bug_catch_the_failure() {
    relaxed_mailbox(true);
}
