//! A check that never ends, for the deadline of the runner to stop: `#[ignore]`d, so only a
//! test that asks for it (`-- --ignored`) runs it.

use treiber::{Stack, fixed};

#[test]
#[ignore = "never ends: it waits for a value nobody pushes"]
fn waits_for_a_value_nobody_pushes() {
    let stack = fixed::Stack::new();
    while stack.pop().is_none() {
        std::hint::spin_loop();
    }
}
