//! The fence hand-overs of lesson 7's Going-further page on real threads:
//! `cargo test -p happens-before --test stress_fences`. Each pairing must deliver the payload
//! in every run; the broken receiver is never run here (its race is undefined behaviour).
#![cfg(not(loom))]

use happens_before::fences::{PAYLOAD, Receiver, Sender, fenced, hand_over};

const RUNS: usize = 200;

#[test]
fn every_fence_pairing_delivers_the_payload() {
    let pairings: [(&str, Sender, Receiver); 4] = [
        ("Release store, Acquire loads", fenced::send, fenced::wait),
        (
            "Release store, Acquire fence",
            fenced::send,
            fenced::wait_fenced,
        ),
        (
            "Release fence, Acquire loads",
            fenced::send_fenced,
            fenced::wait,
        ),
        (
            "Release fence, Acquire fence",
            fenced::send_fenced,
            fenced::wait_fenced,
        ),
    ];
    for (name, send, wait) in pairings {
        for _ in 0..RUNS {
            assert_eq!(hand_over(send, wait), PAYLOAD, "{name}");
        }
    }
}
