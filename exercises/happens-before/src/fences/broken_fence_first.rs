// The Acquire fence on the wrong side of the load: it runs before the flag is read, so it
// orders nothing that follows the load, and the payload read races with the write.

use crate::fences::Mailbox;
use support::hint;
use support::sync::atomic::{Ordering, fence};

// ANCHOR: broken
/// "A fence is a fence": the Acquire fence moved up, before the loop.
pub fn wait_fence_first(m: &Mailbox) -> u64 {
    fence(Ordering::Acquire);
    while !m.ready.load(Ordering::Relaxed) {
        hint::spin_loop();
    }
    // SAFETY: none. No fence or Acquire load follows the load that saw the flag, so the
    // payload write does not happen before this read.
    unsafe { m.payload.read() }
}
// ANCHOR_END: broken
