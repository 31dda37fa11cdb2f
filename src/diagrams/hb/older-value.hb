# Lesson 7: an Acquire load that reads the older of two Release stores.
title "An Acquire load that reads an older value receives only what that value published"
desc "Two threads, every access atomic. The writer stores first = 1 (Relaxed), flag = 1 (Release), second = 1 (Relaxed), flag = 2 (Release). The reader's Acquire load of flag reads 1, the older of the two Release stores, so it synchronizes with the store of 1 only. It then loads second, and first after it. The write of first happens before the reader's load of first, which must return 1. Nothing orders the write of second before the reader's load of second, which may return 0."
program "../../../exercises/happens-before/litmus/older-value.litmus"
thread w "thread 1: writer"
thread r "thread 2: reader"
event f1 w 0 "first = 1 (Relaxed)" = writer.0
event v1 w 1 "flag = 1 (Release)" = writer.1
event s1 w 2 "second = 1 (Relaxed)" = writer.2
event v2 w 3 "flag = 2 (Release)" = writer.3
event ld r 2 "flag.load(Acquire) → 1" = reader.0
event rs1 r 3 "second → 0 (allowed)" = reader.1
event rf1 r 4 "first → 1 (must be)" = reader.2
edge rf v1 ld at=0.2
edge sw v1 ld at=0.76
edge hb f1 rf1 at=0.12
edge nohb s1 rs1 at=0.35
note "The load read the store of 1, so it synchronizes with that store alone. The store of 2, and the write of second before it, are not ordered before anything the reader does, whatever happened first in time."
