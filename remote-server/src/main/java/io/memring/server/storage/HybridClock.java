package io.memring.server.storage;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The node's version source: a hybrid logical clock whose values are the items' CAS. A version is
 * {@code [42 bits ms since 2024-01-01 | 14 bits counter | 8 bits node id]}, so versions from different
 * nodes never collide, order roughly by wall time, and a node that applies a peer's version moves past
 * it ({@link #observe}), so its own next write is newer. 42 bits of milliseconds last until 2163; the
 * top bit stays 0, so versions compare as signed longs. A counter that overflows within one
 * millisecond carries into the millisecond field (the clock runs a little ahead, never backwards).
 *
 * <p>Thread-safe and lock-free: every shard draws from the one clock.
 */
public final class HybridClock {
    /** 2024-01-01T00:00:00Z in unix milliseconds. */
    public static final long EPOCH_MS = 1_704_067_200_000L;
    static final int NODE_BITS = 8;
    static final int COUNTER_BITS = 14;

    private final long nodeId;
    private final LongSupplier wallMillis;
    /** The last logical time handed out or observed: version >>> NODE_BITS. */
    private final AtomicLong logical = new AtomicLong();

    public HybridClock(int nodeId, LongSupplier wallMillis) {
        if (nodeId < 0 || nodeId > 255) {
            throw new IllegalArgumentException("node id must be 0..255: " + nodeId);
        }
        this.nodeId = nodeId;
        this.wallMillis = wallMillis;
    }

    /** A clock on the system's wall time. */
    public static HybridClock system(int nodeId) {
        return new HybridClock(nodeId, System::currentTimeMillis);
    }

    /** Returns a version newer than every version handed out or observed so far. */
    public long next() {
        long physical = Math.max(0, wallMillis.getAsLong() - EPOCH_MS) << COUNTER_BITS;
        long l = logical.updateAndGet(last -> Math.max(last + 1, physical));
        return l << NODE_BITS | nodeId;
    }

    /** Moves the clock past {@code version} (a peer's), so that the next local version is newer. */
    public void observe(long version) {
        long l = version >>> NODE_BITS;
        logical.accumulateAndGet(l, Math::max);
    }

    public int nodeId() {
        return (int) nodeId;
    }

    /** Returns the unix milliseconds a version was made at (lag measurement, logs). */
    public static long millisOf(long version) {
        return (version >>> (NODE_BITS + COUNTER_BITS)) + EPOCH_MS;
    }

    /** Returns the node id in a version's low bits. */
    public static int nodeOf(long version) {
        return (int) (version & 0xFF);
    }
}
