# Lesson 6: the sender's store weakened to Relaxed.
title "Message passing with a Relaxed store: the payload is not handed over"
desc "Two threads. The sender writes the payload 42 with a plain write, then stores ready = true with Relaxed. The receiver loads ready with Acquire and reads true, then reads the payload with a plain read. The load reads from the store (rf), but a Relaxed store is not a release, so the store does not synchronize with the load: there is no sw edge, and no happens-before path from the payload write to the payload read. The two plain accesses are a data race; loom reports a causality violation and Miri a data race."
program "../../../exercises/happens-before/litmus/relaxed-store.litmus"
thread s "thread 1: sender"
thread r "thread 2: receiver"
event w  s 0 "write payload = 42" = sender.0
event st s 1 "ready.store(true, Relaxed)" = sender.1
event ld r 1 "ready.load(Acquire) → true" = receiver.0
event rd r 2 "read payload → ?" = receiver.1
edge rf st ld
edge nohb w rd at=0.22
note "Reads-from alone orders nothing. The Acquire load has no release to pair with, so nothing links the sender's thread to the receiver's: loom says \"Causality violation\", Miri \"Data race detected\"."
