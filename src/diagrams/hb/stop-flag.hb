# Lesson 9: a Relaxed stop flag; the join, not the flag, hands over the report.
title "A Relaxed stop flag decides when; the join hands over the data"
desc "Two threads. The worker loads stop with Relaxed and reads false, does a round, loads stop again and reads true (reading from the main thread's Relaxed store), then writes its report with a plain write and ends. The main thread stores stop = true with Relaxed, joins the worker and reads the report. The flag's reads-from edge orders nothing; the end of the worker synchronizes with the join, which orders the report's write before its read."
thread m "main thread"
thread w "worker"
event st m 1 "stop.store(true, Relaxed)"
event j  m 4 "join(worker)"
event rr m 5 "read report → n"
event l0 w 0 "stop.load(Relaxed) → false"
event l1 w 2 "stop.load(Relaxed) → true"
event wr w 3 "write report = n"
edge rf st l1
edge sw wr j "sw: join"
edge hb wr rr at=0.3
note "The flag only tells the worker when to finish; nothing is read on its word. Whatever the worker hands back travels by the join."
