# Lesson 5: a write and a read ordered through the main thread.
title "Spawn and join edges order a write on one thread before a read on another"
desc "Three threads. The main thread spawns thread 1, joins it, spawns thread 2 and joins it. Thread 1 writes data = 42 and ends; thread 2 reads data, gets 42 and ends. Spawning a thread synchronizes with the start of that thread, so each spawn has an sw edge to the new thread's first event; the end of a thread synchronizes with the join that waits for it. Following the edges from the write: sb to the end of thread 1, sw to the join of thread 1, sb to the spawn of thread 2, sw to the read. That path is the happens-before edge from the write to the read."
program "../../../exercises/happens-before/litmus/spawn-join.litmus"
thread m "main thread"
thread a "thread 1"
thread b "thread 2"
event sa m 0 "spawn(thread 1)" = main.0
event ja m 3 "join(thread 1)" = main.1
event sb m 4 "spawn(thread 2)" = main.2
event jb m 7 "join(thread 2)" = main.3
event w  a 1 "write data = 42" = writer.0
event ea a 2 "end of thread 1" = writer.end
event r  b 5 "read data → 42" = reader.0
event eb b 6 "end of thread 2" = reader.end
edge sw sa w "sw: spawn"
edge sw ea ja "sw: join"
edge sw sb r "sw: spawn"
edge sw eb jb "sw: join"
edge hb w r
note "Happens-before is the transitive closure of the two: hb = (sb ∪ sw)⁺. The write reaches the read through the main thread: w → end of thread 1 → join → spawn → r."
