// A bank balance kept in one atomic, as it is often first written. `cargo xtask learn races`
// copies this file to `exercises/races/attempt.rs` for you to fix; the checker must reject it as
// shipped. Every access is atomic and SeqCst, the strongest ordering there is, so there is no
// data race here. The withdrawal can still overdraw the account.

use crate::Account;
use support::sync::atomic::{AtomicI64, Ordering};

/// A balance that must never go below zero.
pub struct Balance {
    balance: AtomicI64,
}

impl Account for Balance {
    fn new(balance: i64) -> Self {
        Balance {
            balance: AtomicI64::new(balance),
        }
    }

    // ANCHOR: withdraw
    fn withdraw(&self, amount: i64) -> bool {
        // Check: "is there enough money?"
        let balance = self.balance.load(Ordering::SeqCst);
        if balance < amount {
            return false;
        }
        // Act: "then take it." Another withdrawal may have taken it
        // between the load above and this line.
        self.balance.fetch_sub(amount, Ordering::SeqCst);
        true
    }
    // ANCHOR_END: withdraw

    fn balance(&self) -> i64 {
        self.balance.load(Ordering::SeqCst)
    }
}
