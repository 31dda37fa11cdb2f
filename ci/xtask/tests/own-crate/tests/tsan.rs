//! The stacks under ThreadSanitizer: `RUSTFLAGS="-Zsanitizer=thread" cargo +nightly-2026-05-20
//! test -Zbuild-std --target x86_64-unknown-linux-gnu --test tsan`.
//!
//! TSan judges only the run it sees, so the threads start together (a barrier of std's
//! atomics, Relaxed: it lines them up without ordering any of the stack's accesses) and the
//! pusher pushes several values. The broken push's test is `#[ignore]`d: it is undefined
//! behaviour natively, and TSan's verdict is its exit status (66) and report, which a test
//! cannot check from inside; the script that runs it with `-- --ignored --exact` does.
#![cfg(not(loom))]

use support::barrier::SpinBarrier;
use support::sync::Arc;
use support::thread;
use treiber::{Stack, broken, fixed};

// ANCHOR: tsan_test
/// Values the pusher pushes while the main thread pops them.
const VALUES: u32 = 100;

fn push_while_popping<S: Stack>() {
    let stack = Arc::new(S::new());
    let start = Arc::new(SpinBarrier::new(2));
    let pusher = {
        let (stack, start) = (Arc::clone(&stack), Arc::clone(&start));
        thread::spawn(move || {
            start.wait();
            for value in 0..VALUES {
                stack.push(value);
            }
        })
    };
    start.wait();
    let mut popped = Vec::new();
    while popped.len() < VALUES as usize {
        match stack.pop() {
            Some(value) => popped.push(value),
            None => thread::yield_now(),
        }
    }
    popped.sort_unstable();
    assert!(popped.into_iter().eq(0..VALUES));
    pusher.join().unwrap();
}

#[test]
fn fixed_stack_is_clean_under_tsan() {
    push_while_popping::<fixed::Stack>();
}

#[test]
#[ignore = "undefined behaviour: run it under TSan with -- --ignored, which reports a data race"]
fn broken_push_is_reported_under_tsan() {
    push_while_popping::<broken::Stack>();
}
// ANCHOR_END: tsan_test
