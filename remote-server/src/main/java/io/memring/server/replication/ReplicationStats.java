package io.memring.server.replication;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the receiving side, shared by every inbound link (the sending side's live in each {@link PeerLink}). */
final class ReplicationStats {
    /** Frames received and processed from peers, whatever last-writer-wins decided. */
    final LongAdder applied = new LongAdder();
    /** Of those, refused as older than what this node holds. */
    final LongAdder appliedStale = new LongAdder();
    final LongAdder badFrames = new LongAdder();
    final LongAdder refusedHandshakes = new LongAdder();
    final AtomicInteger inboundLinks = new AtomicInteger();
    /** Milliseconds from a change being queued on its primary to its apply here (live frames only). */
    final LagSampler lag = new LagSampler();
    /** The same two, per sending member index. */
    final LongAdder[] appliedFrom;
    final LagSampler[] lagFrom;

    ReplicationStats(int members) {
        appliedFrom = new LongAdder[members];
        lagFrom = new LagSampler[members];
        for (int i = 0; i < members; i++) {
            appliedFrom[i] = new LongAdder();
            lagFrom[i] = new LagSampler();
        }
    }
}
