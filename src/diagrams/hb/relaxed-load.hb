# Lesson 7: the receiver's load weakened to Relaxed.
title "Message passing with a Relaxed load: the payload is not claimed"
desc "Two threads. The sender writes the payload 42 with a plain write, then stores ready = true with Release. The receiver loads ready with Relaxed and reads true, then reads the payload with a plain read. The load reads from the store (rf), but a Relaxed load is not an acquire, so the store does not synchronize with it: there is no sw edge and no happens-before path from the payload write to the payload read. The two plain accesses are a data race; loom reports a causality violation and Miri a data race."
program "../../../exercises/happens-before/litmus/relaxed-load.litmus"
thread s "thread 1: sender"
thread r "thread 2: receiver"
event w  s 0 "write payload = 42" = sender.0
event st s 1 "ready.store(true, Release)" = sender.1
event ld r 1 "ready.load(Relaxed) → true" = receiver.0
event rd r 2 "read payload → ?" = receiver.1
edge rf st ld
edge nohb w rd at=0.22
note "The Release store offers the payload; a Relaxed load does not take it. Without an Acquire on the reading side there is no sw edge: loom says \"Causality violation\", Miri \"Data race detected\"."
