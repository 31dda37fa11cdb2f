// The solution to `cargo xtask learn once-init`: the exercise's state machine with orderings
// that publish the value.

use crate::InitOnce;
use std::mem::{self, MaybeUninit};
use std::panic::{RefUnwindSafe, UnwindSafe};
use support::cell::UnsafeCell;
use support::sync::atomic::{AtomicU8, Ordering};
use support::{hint, thread};

// ANCHOR: states
/// Empty: nobody has stored a value, or an initialiser panicked.
const UNINIT: u8 = 0;
/// One thread owns the cell and is running its initialiser.
const RUNNING: u8 = 1;
/// The value is stored, and never changes again.
const DONE: u8 = 2;

/// A cell whose initialiser runs once, however many threads ask at once.
pub struct OnceCell<T> {
    state: AtomicU8,
    value: UnsafeCell<MaybeUninit<T>>,
}
// ANCHOR_END: states

// SAFETY: every thread that calls `get` gets a `&T` (so `T: Sync`), and
// the value may be made on one thread and dropped on another (`T: Send`).
// Access to `value` itself is ordered by `state`, as the comments show.
unsafe impl<T: Send + Sync> Sync for OnceCell<T> {}

// A panicking initialiser leaves the cell empty and usable (see
// `ResetOnPanic`), so a `&OnceCell` may cross `catch_unwind`, as with std's.
impl<T: RefUnwindSafe + UnwindSafe> RefUnwindSafe for OnceCell<T> {}

impl<T> InitOnce<T> for OnceCell<T> {
    fn new() -> Self {
        OnceCell {
            state: AtomicU8::new(UNINIT),
            value: UnsafeCell::new(MaybeUninit::uninit()),
        }
    }

    // ANCHOR: get
    #[inline]
    fn get(&self) -> Option<&T> {
        // Acquire: pairs with the Release store of DONE in `initialize`.
        // Seeing DONE then also means seeing the write of the value.
        if self.state.load(Ordering::Acquire) == DONE {
            // SAFETY: DONE, seen with Acquire: the value is written, the
            // write happened before this read, and nobody writes it again.
            Some(unsafe { self.value_unchecked() })
        } else {
            None
        }
    }
    // ANCHOR_END: get

    #[inline]
    fn get_or_init<F: FnOnce() -> T>(&self, init: F) -> &T {
        match self.get() {
            Some(value) => value,
            None => self.initialize(init),
        }
    }
}

impl<T> OnceCell<T> {
    // ANCHOR: initialize
    /// The slow path: claim the cell, or wait for the thread that did.
    #[cold]
    fn initialize<F: FnOnce() -> T>(&self, init: F) -> &T {
        let mut round = 0;
        loop {
            let claim = self.state.compare_exchange(
                UNINIT,
                RUNNING,
                // Success, Relaxed: claiming receives nothing. No value
                // was written before (a panicked initialiser writes none).
                Ordering::Relaxed,
                // Failure, Acquire: pairs with the Release store of DONE
                // below, for when we fail because the value is ready.
                Ordering::Acquire,
            );
            match claim {
                Ok(_) => return self.run(init),
                // SAFETY: DONE, seen with Acquire (the CAS's failure load).
                Err(DONE) => return unsafe { self.value_unchecked() },
                Err(_) => {
                    // RUNNING: another thread is initialising. Watch for
                    // a change; the CAS above does the Acquire.
                    while self.state.load(Ordering::Relaxed) == RUNNING {
                        back_off(&mut round);
                    }
                }
            }
        }
    }

    /// Runs `init` in the RUNNING state this thread claimed.
    fn run<F: FnOnce() -> T>(&self, init: F) -> &T {
        let reset = ResetOnPanic(&self.state);
        let value = init();
        // SAFETY: this thread owns the RUNNING state, and nobody reads
        // the value before seeing DONE, which is stored after this write.
        self.value
            .with_mut(|slot| unsafe { slot.write(MaybeUninit::new(value)) });
        mem::forget(reset);
        // Release: publishes the write above. Pairs with the Acquire loads
        // that see DONE: in `get` and in the CAS's failure case.
        self.state.store(DONE, Ordering::Release);
        // SAFETY: this thread wrote the value, so it happened before.
        unsafe { self.value_unchecked() }
    }
    // ANCHOR_END: initialize

    /// The stored value.
    ///
    /// # Safety
    /// The state is DONE, and this thread stored it or saw it with Acquire.
    unsafe fn value_unchecked(&self) -> &T {
        // SAFETY: per the caller, the value is written and the write
        // happened before this read; nobody writes it again.
        self.value.with(|slot| unsafe { (*slot).assume_init_ref() })
    }
}

// ANCHOR: reset
/// Puts a claimed cell back to UNINIT if the initialiser panics, so that
/// the next caller (a waiter, or a later call) runs its own initialiser:
/// the cell retries, it is not poisoned.
struct ResetOnPanic<'a>(&'a AtomicU8);

impl Drop for ResetOnPanic<'_> {
    fn drop(&mut self) {
        // Relaxed: a panicked initialiser wrote nothing, so there is
        // nothing to publish; the next owner starts from scratch.
        self.0.store(UNINIT, Ordering::Relaxed);
    }
}
// ANCHOR_END: reset

/// Waits a little longer each round: spins first, because initialisers are
/// usually quick, then gives the core away (the initialiser's thread may
/// need it: on a busy machine waiters can outnumber cores).
fn back_off(round: &mut u32) {
    if *round < 6 {
        for _ in 0..1u32 << *round {
            hint::spin_loop();
        }
        *round += 1;
    } else {
        thread::yield_now();
    }
}

impl<T> Drop for OnceCell<T> {
    fn drop(&mut self) {
        // Relaxed: `&mut self` means no other thread can reach the cell;
        // what gave us that (a join, the last `Arc`) ordered their
        // accesses before this one already.
        if mem::needs_drop::<T>() && self.state.load(Ordering::Relaxed) == DONE {
            // SAFETY: DONE means the value is written; we are alone.
            self.value
                .with_mut(|slot| unsafe { (*slot).assume_init_drop() });
        }
    }
}
