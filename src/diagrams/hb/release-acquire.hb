# Lesson 6 and 7: the fixed mailbox, in the execution where the receiver sees `ready`.
title "Message passing with a Release store and an Acquire load"
desc "Two threads. The sender writes the payload 42 with a plain write, then stores ready = true with Release. The receiver loads ready with Acquire and reads true, then reads the payload with a plain read and gets 42. The load reads from the store (rf), and because the store is Release and the load Acquire, the store synchronizes with the load (sw). Sequenced-before on each thread plus that edge give a happens-before path from the payload write to the payload read (hb), so the two plain accesses do not race."
program "../../../exercises/happens-before/litmus/release-acquire.litmus"
thread s "thread 1: sender"
thread r "thread 2: receiver"
event w  s 0 "write payload = 42" = sender.0
event st s 1 "ready.store(true, Release)" = sender.1
event ld r 1 "ready.load(Acquire) → true" = receiver.0
event rd r 2 "read payload → 42" = receiver.1
edge rf st ld at=0.2
edge sw st ld at=0.76
edge hb w rd at=0.22
note "The write is sequenced before the store, the store synchronizes with the load, and the load is sequenced before the read: hb = (sb ∪ sw)⁺ orders the write before the read."
