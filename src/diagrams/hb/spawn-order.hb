# Lesson 5: both threads spawned before either is joined.
title "Spawning the writer first orders nothing"
desc "Three threads. The main thread spawns thread 1, then thread 2, then joins both. Thread 1 writes data = 42 and ends; thread 2 reads data and ends. Each spawn synchronizes with the start of its thread, and each thread's end with its join, but no path of sequenced-before and synchronizes-with edges leads from the write to the read or from the read to the write. They are not ordered by happens-before: a data race, whichever runs first in time. loom reports a causality violation and Miri a data race."
program "../../../exercises/happens-before/litmus/spawn-order.litmus"
thread m "main thread"
thread a "thread 1"
thread b "thread 2"
event sa m 0 "spawn(thread 1)" = main.0
event sb m 1 "spawn(thread 2)" = main.1
event ja m 5 "join(thread 1)" = main.2
event jb m 6 "join(thread 2)" = main.3
event w  a 1 "write data = 42" = writer.0
event ea a 4 "end of thread 1" = writer.end
event r  b 3 "read data → ?" = reader.0
event eb b 4 "end of thread 2" = reader.end
edge sw sa w "sw: spawn"
edge sw sb r "sw: spawn"
edge sw ea ja "sw: join"
edge sw eb jb "sw: join"
edge nohb w r
note "Both threads hang off the main thread, but every path out of the write leads to the joins, never to the read. Drawing the write higher does not make it happen before anything."
