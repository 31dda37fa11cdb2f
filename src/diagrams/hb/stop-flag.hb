# Lesson 9: a Relaxed stop flag; the join, not the flag, hands over the report.
title "A Relaxed stop flag decides when; the join hands over the data"
desc "Two threads. The worker loads stop with Relaxed and reads false, does a round, loads stop again and reads true (reading from the main thread's Relaxed store), then writes its report with a plain write and ends. The main thread stores stop = true with Relaxed, joins the worker and reads the report. The flag's reads-from edge orders nothing; the end of the worker synchronizes with the join, and the report's write is sequenced before that end, so the write happens before the read."
program "../../../exercises/happens-before/litmus/stop-flag.litmus"
thread m "main thread"
thread w "worker"
event st m 1 "stop.store(true, Relaxed)" = main.1
event j  m 5 "join(worker)" = main.2
event rr m 6 "read report → n" = main.3
event l0 w 0 "stop.load(Relaxed) → false" = worker.0
event l1 w 2 "stop.load(Relaxed) → true" = worker.1
event wr w 3 "write report = n" = worker.2
event e  w 4 "end of the worker" = worker.end
edge rf st l1
edge sw e j "sw: join" at=0.7
edge hb wr rr at=0.3
note "The flag only tells the worker when to finish; nothing is read on its word. Whatever the worker hands back travels by the join."
