package io.memring.jcache.near;

import java.net.InetSocketAddress;

/**
 * What a near cache hears from the nodes. Called on the feed's thread: each method is quick and
 * never blocks or calls the ring.
 */
public interface NearListener {

    /** A key changed (written, deleted, expired, evicted) on a node: its near entry must go. */
    void invalidate(byte[] serverKey);

    /** Every entry {@code node} held is gone (flush_all). */
    void flushed(InetSocketAddress node);

    /**
     * Events from {@code node} may have been lost (a gap, a new boot id, a disconnect, a missed
     * heartbeat, an overflow): nothing learnt from it can be trusted.
     */
    void reset(InetSocketAddress node, String reason);
}
