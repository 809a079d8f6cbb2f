package io.memring.jcache.near;

import java.net.InetSocketAddress;

/**
 * A near cache's subscription to the nodes' mutation stream, as the near cache needs it: how far it
 * can be trusted, which node owns a key, and whether that node's stream is in sync right now.
 */
public interface InvalidationFeed extends AutoCloseable {

    /** How far the nodes' invalidations can be trusted. */
    enum Mode {
        /** Every node pushes every write (Memring nodes): a near entry lives until invalidated (no TTL; a 1 h safety net). */
        PUSH,
        /** Some node reports mutations only on a best-effort basis (stock memcached's {@code watch mutations}): the TTL bounds staleness. */
        BEST_EFFORT,
        /** No invalidations at all: only the TTL bounds staleness. */
        NONE
    }

    /** Returns the mode (it may change as nodes come and go). */
    Mode mode();

    /** Returns whether {@code node}'s stream is subscribed and in sync right now. */
    boolean live(InetSocketAddress node);

    /** Returns the node that owns {@code serverKey} now (null if unknown). */
    InetSocketAddress ownerOf(byte[] serverKey);

    /** Stops listening; never throws. */
    @Override
    void close();
}
