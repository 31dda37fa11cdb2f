//! The stacks under Miri: `cargo +nightly-2026-05-20 miri test --test miri`.
//!
//! Real threads, few operations: Miri interprets every instruction, so a test has to be small.
//! The fixed stack's test must pass on every schedule. The broken push's test is `#[ignore]`d,
//! so that a plain `cargo test` never runs its undefined behaviour natively; run under Miri with
//! `-- --ignored --exact`, it must stop with a data race, which a test cannot check from inside
//! (Miri ends the interpreter, not the test): the script that runs it checks the message.
#![cfg(not(loom))]

use support::sync::Arc;
use support::thread;
use treiber::{Stack, broken, fixed};

// ANCHOR: miri_test
/// One thread pushes two values while the main thread pops until it has both: the popper reads
/// nodes another thread wrote, which is where a push that publishes with Relaxed races.
fn push_while_popping<S: Stack>() {
    let stack = Arc::new(S::new());
    let pusher = {
        let stack = Arc::clone(&stack);
        thread::spawn(move || {
            stack.push(1);
            stack.push(2);
        })
    };
    let mut popped = Vec::new();
    while popped.len() < 2 {
        match stack.pop() {
            Some(value) => popped.push(value),
            None => thread::yield_now(),
        }
    }
    popped.sort_unstable();
    assert_eq!(popped, [1, 2]);
    pusher.join().unwrap();
}

#[test]
fn fixed_stack_passes_under_miri() {
    push_while_popping::<fixed::Stack>();
}

#[test]
#[ignore = "undefined behaviour: run it under Miri with -- --ignored, which reports a data race"]
fn broken_push_races_under_miri() {
    push_while_popping::<broken::Stack>();
}
// ANCHOR_END: miri_test
