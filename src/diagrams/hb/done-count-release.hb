# Lesson 9: the completion count fixed with Release adds and an Acquire load.
title "A completion count that publishes: Release adds, Acquire load"
desc "Three threads. Worker 1 writes result[0] = 1 and adds 1 to done with Release. Worker 2 writes result[1] = 2 and adds 1 with Release, reading from worker 1's add. The reader loads done with Acquire and reads 2. Worker 2's add synchronizes with the load, and so does worker 1's, because worker 2's read-modify-write continues worker 1's release sequence. Both results' writes happen before the reader's reads."
program "../../../exercises/happens-before/litmus/done-count-release.litmus"
thread a "worker 1"
thread r "reader"
thread b "worker 2"
event a0 a 0 "result[0] = 1" = worker1.0
event a1 a 1 "done.fetch_add(1, Release) 0→1" = worker1.1
event b0 b 1 "result[1] = 2" = worker2.0
event b1 b 2 "done.fetch_add(1, Release) 1→2" = worker2.1
event r0 r 3 "done.load(Acquire) → 2" = reader.0
event r1 r 4 "read result[0] → 1" = reader.1
event r2 r 5 "read result[1] → 2" = reader.2
edge rf a1 b1 at=0.3
edge rf b1 r0 at=0.85
edge sw b1 r0 at=0.6
edge sw a1 r0 "sw: release sequence" at=0.6
edge hb a0 r1 at=0.3
edge hb b0 r2 at=0.8
