# Lesson 9: a Relaxed completion count that a reader trusts as "all results are written".
title "A Relaxed completion count publishes nothing"
desc "Three threads. Worker 1 writes result[0] = 1 and then adds 1 to done with Relaxed (0 to 1). Worker 2 writes result[1] = 2 and adds 1 with Relaxed (1 to 2), reading from worker 1's add. The reader loads done with Relaxed, reads 2 and then reads both results with plain reads. Every edge between the threads is reads-from only; no synchronizes-with edge exists, so neither result's write happens before its read. Two data races; loom reports a causality violation."
program "../../../exercises/happens-before/litmus/done-count-relaxed.litmus"
thread a "worker 1"
thread r "reader"
thread b "worker 2"
event a0 a 0 "result[0] = 1" = worker1.0
event a1 a 1 "done.fetch_add(1, Relaxed) 0→1" = worker1.1
event b0 b 1 "result[1] = 2" = worker2.0
event b1 b 2 "done.fetch_add(1, Relaxed) 1→2" = worker2.1
event r0 r 3 "done.load(Relaxed) → 2" = reader.0
event r1 r 4 "read result[0] → ?" = reader.1
event r2 r 5 "read result[1] → ?" = reader.2
edge rf a1 b1 at=0.3
edge rf b1 r0 at=0.85
edge nohb a0 r1 at=0.3
edge nohb b0 r2 at=0.8
note "The count is exact: both adds landed, and the reader saw 2. Exactness is atomicity; publication is ordering, and Relaxed has none to give."
