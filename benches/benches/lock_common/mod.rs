//! What the two lock bench targets share: the four locks behind one interface, all guarding
//! the same small state. A module directory, so that cargo does not take it for a bench target.

use std::sync::Mutex;

use spinlock::fixed;

/// What the lock guards: the acquisitions made so far (throughput bench) and whose turn it
/// is (hand-off bench).
// Each bench reads one of the two fields.
#[allow(dead_code)]
#[derive(Default)]
pub struct Budget {
    pub taken: u64,
    pub turn: usize,
}

/// The four locks behind one interface: run `f` on the guarded value with the lock held.
pub trait Lock: Sync {
    fn new() -> Self;
    fn with<R>(&self, f: impl FnOnce(&mut Budget) -> R) -> R;
}

impl Lock for Mutex<Budget> {
    fn new() -> Self {
        Mutex::new(Budget::default())
    }
    #[inline]
    fn with<R>(&self, f: impl FnOnce(&mut Budget) -> R) -> R {
        f(&mut self.lock().unwrap())
    }
}

impl Lock for parking_lot::Mutex<Budget> {
    fn new() -> Self {
        parking_lot::Mutex::new(Budget::default())
    }
    #[inline]
    fn with<R>(&self, f: impl FnOnce(&mut Budget) -> R) -> R {
        f(&mut self.lock())
    }
}

impl Lock for spin::Mutex<Budget> {
    fn new() -> Self {
        spin::Mutex::new(Budget::default())
    }
    #[inline]
    fn with<R>(&self, f: impl FnOnce(&mut Budget) -> R) -> R {
        f(&mut self.lock())
    }
}

impl Lock for fixed::SpinLock<Budget> {
    fn new() -> Self {
        fixed::SpinLock::new(Budget::default())
    }
    #[inline]
    fn with<R>(&self, f: impl FnOnce(&mut Budget) -> R) -> R {
        f(&mut self.lock())
    }
}

/// Every lock compared, by its table name, as `run::<L>` for a generic `run`.
macro_rules! locks {
    ($run:ident) => {
        vec![
            ("std Mutex", $run::<std::sync::Mutex<Budget>> as Run),
            ("parking_lot Mutex", $run::<parking_lot::Mutex<Budget>>),
            ("spin Mutex", $run::<spin::Mutex<Budget>>),
            ("fixed SpinLock", $run::<spinlock::fixed::SpinLock<Budget>>),
        ]
    };
}
