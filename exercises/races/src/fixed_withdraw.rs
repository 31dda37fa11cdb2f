// The solution to `cargo xtask learn races`: the check and the act made one step.

use crate::Account;
use support::sync::atomic::{AtomicI64, Ordering};

/// A balance that never goes below zero, however many threads withdraw at once.
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
        // Relaxed: only a first guess; the CAS below checks it. The balance
        // is the only shared data, so no ordering pairs with anything here.
        let mut seen = self.balance.load(Ordering::Relaxed);
        loop {
            if seen < amount {
                return false;
            }
            // Writes `seen - amount` only if the balance is still `seen`:
            // the check and the act are one indivisible step.
            match self.balance.compare_exchange_weak(
                seen,
                seen - amount,
                // Relaxed on success: atomicity is what keeps the balance
                // right; no other memory travels with it, so there is no
                // Release/Acquire pair to make.
                Ordering::Relaxed,
                // Relaxed on failure: the value read is only the next guess.
                Ordering::Relaxed,
            ) {
                Ok(_) => return true,
                // Someone else changed the balance (or a weak CAS failed
                // spuriously): check again against what is there now.
                Err(now) => seen = now,
            }
        }
    }
    // ANCHOR_END: withdraw

    fn balance(&self) -> i64 {
        // Relaxed: the balance publishes nothing; callers that need the
        // final value have joined the withdrawing threads first.
        self.balance.load(Ordering::Relaxed)
    }
}

/// The same account with `fetch_update`, which writes the loop above for you.
pub struct BalanceFetchUpdate {
    balance: AtomicI64,
}

impl Account for BalanceFetchUpdate {
    fn new(balance: i64) -> Self {
        BalanceFetchUpdate {
            balance: AtomicI64::new(balance),
        }
    }

    // ANCHOR: fetch_update
    fn withdraw(&self, amount: i64) -> bool {
        self.balance
            // Relaxed (set, then fetch): as in `Balance::withdraw`, the
            // balance is the only data, so there is nothing to pair with.
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |balance| {
                // `None` leaves the balance alone and makes the call fail.
                (balance >= amount).then(|| balance - amount)
            })
            .is_ok()
    }
    // ANCHOR_END: fetch_update

    fn balance(&self) -> i64 {
        // Relaxed: as in `Balance::balance`.
        self.balance.load(Ordering::Relaxed)
    }
}
