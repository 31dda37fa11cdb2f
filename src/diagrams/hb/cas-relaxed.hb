# Lesson 8: the same pushes with Relaxed CAS.
title "The same loop with success ordering Relaxed: the nodes are not published"
desc "Three threads. Pusher A fills node 0 and swaps head from NIL to 0 with a Relaxed CAS. Pusher B fills node 1 and swaps head from 0 to 1 with a Relaxed CAS, which reads from A's. The reader loads head with Acquire, gets 1 and reads node 1. The load reads from B's CAS, but a Relaxed CAS is not a release, so there is no synchronizes-with edge: B's writes of node 1 are not ordered before the reader's read of node 1. loom reports a causality violation."
program "../../../exercises/happens-before/litmus/cas-relaxed.litmus"
thread a "pusher A"
thread r "reader"
thread b "pusher B"
event a0 a 0 "node0 = {10, next: NIL}" = a.0
event a1 a 1 "CAS head NIL → 0, Relaxed" = a.3
event b0 b 1 "node1 = {11, next: 0}" = b.0
event b1 b 2 "CAS head 0 → 1, Relaxed" = b.3
event r0 r 3 "head.load(Acquire) → 1" = reader.0
event r1 r 4 "read node1 → ?" = reader.1
edge rf a1 b1 at=0.3
edge rf b1 r0 at=0.85
edge nohb b0 r1 at=0.3
note "The CAS is still atomic, and each push still lands exactly once. What the Relaxed success ordering gives up is the publication of the node: loom says \"Causality violation\" on its first read."
