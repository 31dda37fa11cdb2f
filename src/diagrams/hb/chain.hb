# Lesson 6: the three-thread chain, in the execution where B sees flag1 and C sees flag2.
title "A Release store hands on what its thread acquired: A to B to C"
desc "Three threads. Thread A writes data = 42 with a plain write, then stores flag1 = true with Release. Thread B loads flag1 with Acquire and reads true, then stores flag2 = true with Release; B never touches data. Thread C loads flag2 with Acquire and reads true, then reads data with a plain read and gets 42. A's store synchronizes with B's load, and B's store synchronizes with C's load. With sequenced-before on each thread, these give a happens-before path from A's write to C's read, so the two plain accesses do not race."
program "../../../exercises/happens-before/litmus/chain.litmus"
thread a "thread A"
thread b "thread B"
thread c "thread C"
event w  a 0 "write data = 42" = a.0
event s1 a 1 "flag1.store(true, Release)" = a.1
event l1 b 1 "flag1.load(Acquire) → true" = b.0
event s2 b 2 "flag2.store(true, Release)" = b.1
event l2 c 2 "flag2.load(Acquire) → true" = c.0
event rd c 3 "read data → 42" = c.1
edge sw s1 l1
edge sw s2 l2
edge hb w rd at=0.22 bend=-120
note "A's write →sb A's store →sw B's load →sb B's store →sw C's load →sb C's read: hb = (sb ∪ sw)⁺ orders A's write before C's read, through a thread that never touched data."
