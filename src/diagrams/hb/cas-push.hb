# Lesson 8: two pushes with Release CAS, and a reader that walks both nodes.
title "A compare-and-swap loop that publishes: success ordering Release"
desc "Three threads. Pusher A fills node 0 (value 10, next NIL) and swaps head from NIL to 0 with a Release CAS. Pusher B fills node 1 (value 11, next 0) and swaps head from 0 to 1 with a Release CAS, which reads from A's CAS. The reader loads head with Acquire and gets 1, then reads node 1 and node 0. B's CAS synchronizes with the load. A's CAS does too: B's read-modify-write continues A's release sequence. So both nodes' plain writes happen before the reader's plain reads."
program "../../../exercises/happens-before/litmus/cas-push.litmus"
thread a "pusher A"
thread r "reader"
thread b "pusher B"
event a0 a 0 "node0 = {10, next: NIL}" = a.0
event a1 a 1 "CAS head NIL → 0, Release" = a.3
event b0 b 1 "node1 = {11, next: 0}" = b.0
event b1 b 2 "CAS head 0 → 1, Release" = b.3
event r0 r 3 "head.load(Acquire) → 1" = reader.0
event r1 r 4 "read node1 → {11, next: 0}" = reader.1
event r2 r 5 "read node0 → {10, next: NIL}" = reader.3
edge rf a1 b1 at=0.3
edge rf b1 r0 at=0.85
edge sw b1 r0 at=0.6
edge sw a1 r0 "sw: release sequence" at=0.6
edge hb a0 r2 at=0.3
note "A successful CAS with Release publishes what its thread wrote before it, and a later read-modify-write of the same head keeps that publication alive for whoever acquires the newest value."
