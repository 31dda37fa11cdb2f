# Lesson 7: an Acquire load that reads the older of two Release stores.
title "An Acquire load that reads an older value receives only what that value published"
desc "Two threads, every access atomic. The writer stores first = 1 (Relaxed), flag = 1 (Release), second = 1 (Relaxed), flag = 2 (Release). The reader's Acquire load of flag reads 1, the older of the two Release stores, so it synchronizes with the store of 1 only. The write of first happens before the reader's load of first, which must return 1. Nothing orders the write of second before the reader's load of second, which may return 0."
thread w "thread 1: writer"
thread r "thread 2: reader"
event f1 w 0 "first = 1 (Relaxed)"
event v1 w 1 "flag = 1 (Release)"
event s1 w 2 "second = 1 (Relaxed)"
event v2 w 3 "flag = 2 (Release)"
event ld r 2 "flag.load(Acquire) → 1"
event rf1 r 3 "first → 1 (must be)"
event rs1 r 4 "second → 0 (allowed)"
edge rf v1 ld at=0.2
edge sw v1 ld at=0.76
edge hb f1 rf1 at=0.2
edge nohb s1 rs1 at=0.75
note "The load read the store of 1, so it synchronizes with that store alone. The store of 2, and the write of second before it, are not ordered before anything the reader does, whatever happened first in time."
