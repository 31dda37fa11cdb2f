// A once-cell built on a compare-and-swap, as it is often first written. `cargo xtask learn
// once-init` copies this file to `exercises/once-init/attempt.rs` for you to fix; the checker
// must reject it as shipped. The state machine is right. The orderings are not.

use crate::InitOnce;
use std::mem::{self, MaybeUninit};
use support::cell::UnsafeCell;
use support::sync::atomic::{AtomicU8, Ordering};
use support::{hint, thread};

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

// SAFETY: every thread that calls `get` gets a `&T` (so `T: Sync`), and
// the value may be made on one thread and dropped on another (`T: Send`).
// (The claim that `state` orders access to `value` is the bug.)
unsafe impl<T: Send + Sync> Sync for OnceCell<T> {}

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
        // "The state is atomic, so whoever sees DONE sees the value."
        if self.state.load(Ordering::Relaxed) == DONE {
            // SAFETY: DONE means the value is written. (Is the write visible?)
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
    /// The slow path: claim the cell, or wait for the thread that did.
    #[cold]
    fn initialize<F: FnOnce() -> T>(&self, init: F) -> &T {
        let mut round = 0;
        loop {
            // "The CAS makes sure only one thread initialises."
            let claim =
                self.state
                    .compare_exchange(UNINIT, RUNNING, Ordering::Relaxed, Ordering::Relaxed);
            match claim {
                Ok(_) => return self.run(init),
                // SAFETY: DONE means the value is written. (Is the write visible?)
                Err(DONE) => return unsafe { self.value_unchecked() },
                Err(_) => {
                    while self.state.load(Ordering::Relaxed) == RUNNING {
                        back_off(&mut round);
                    }
                }
            }
        }
    }

    // ANCHOR: run
    /// Runs `init` in the RUNNING state this thread claimed.
    fn run<F: FnOnce() -> T>(&self, init: F) -> &T {
        let reset = ResetOnPanic(&self.state);
        let value = init();
        // SAFETY: this thread owns the RUNNING state.
        self.value
            .with_mut(|slot| unsafe { slot.write(MaybeUninit::new(value)) });
        mem::forget(reset);
        // "Nobody else writes DONE, so Relaxed is enough."
        self.state.store(DONE, Ordering::Relaxed);
        // SAFETY: this thread wrote the value.
        unsafe { self.value_unchecked() }
    }
    // ANCHOR_END: run

    /// The stored value.
    ///
    /// # Safety
    /// The value has been written, and the write happened before this read.
    unsafe fn value_unchecked(&self) -> &T {
        // SAFETY: per the caller.
        self.value.with(|slot| unsafe { (*slot).assume_init_ref() })
    }
}

/// Puts a claimed cell back to UNINIT if the initialiser panics, so that
/// the next caller runs its own initialiser.
struct ResetOnPanic<'a>(&'a AtomicU8);

impl Drop for ResetOnPanic<'_> {
    fn drop(&mut self) {
        self.0.store(UNINIT, Ordering::Relaxed);
    }
}

/// Spins a little longer each round, then yields the core.
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
        if mem::needs_drop::<T>() && self.state.load(Ordering::Relaxed) == DONE {
            // SAFETY: DONE means the value is written; we are alone.
            self.value
                .with_mut(|slot| unsafe { (*slot).assume_init_drop() });
        }
    }
}
