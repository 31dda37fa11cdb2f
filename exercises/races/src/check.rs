//! The checker: loom models for accounts and mailboxes (compiled only under `--cfg loom`).
//! The counters face the counter chapter's model, `counter::check::two_increments`.
//!
//! Each model is generic over a trait, so the broken versions, the fixed ones and a reader's
//! attempt are judged by the same code. Every model is exhaustive: two threads with a handful of
//! accesses each are few enough interleavings for loom to try them all.

use crate::{Account, Mailbox};
use support::sync::Arc;
use support::thread;

// ANCHOR: never_overdraws
/// Two threads each try to withdraw 60 from a balance of 100. At most one
/// may succeed, and the balance must never go below zero.
pub fn never_overdraws<A>()
where
    A: Account + Send + Sync + 'static,
{
    support::model(|| {
        let account = Arc::new(A::new(100));
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let account = Arc::clone(&account);
                thread::spawn(move || account.withdraw(60))
            })
            .collect();
        let paid = handles
            .into_iter()
            .map(|handle| handle.join().unwrap())
            .filter(|&paid| paid)
            .count() as i64;
        let balance = account.balance();
        assert!(
            balance >= 0,
            "overdraft: {paid} withdrawals of 60 from 100 went through, and the balance is \
             {balance}"
        );
        assert_eq!(
            balance,
            100 - 60 * paid,
            "lost update: the balance is wrong"
        );
        assert_eq!(
            paid, 1,
            "one of the two withdrawals fits, so exactly one must succeed"
        );
    });
}
// ANCHOR_END: never_overdraws

/// Two threads withdraw 30 each from 100: both fit, so both must succeed and
/// the balance must end at 40 (an account that refuses everything, or loses
/// a withdrawal, fails here).
pub fn pays_what_fits<A>()
where
    A: Account + Send + Sync + 'static,
{
    support::model(|| {
        let account = Arc::new(A::new(100));
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let account = Arc::clone(&account);
                thread::spawn(move || account.withdraw(30))
            })
            .collect();
        for handle in handles {
            assert!(handle.join().unwrap(), "a withdrawal that fits was refused");
        }
        assert_eq!(account.balance(), 40, "lost update: the balance is wrong");
    });
}

// ANCHOR: reader_sees_the_payload
/// One thread publishes 42; another looks. If the reader sees the mailbox
/// as full, it must see 42 (the message-passing shape).
pub fn reader_sees_the_payload<M>()
where
    M: Mailbox + Send + Sync + 'static,
{
    support::model(|| {
        let mailbox = Arc::new(M::new());
        let writer = {
            let mailbox = Arc::clone(&mailbox);
            thread::spawn(move || mailbox.publish(42))
        };
        let reader = {
            let mailbox = Arc::clone(&mailbox);
            thread::spawn(move || {
                if let Some(value) = mailbox.try_read() {
                    assert_eq!(value, 42, "the reader saw the flag but not the payload");
                }
            })
        };
        writer.join().unwrap();
        reader.join().unwrap();
        assert_eq!(mailbox.try_read(), Some(42));
    });
}
// ANCHOR_END: reader_sees_the_payload
