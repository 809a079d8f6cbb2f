package io.memring.client.watch;

import java.net.InetSocketAddress;

/** One {@code watch} of a client: a prefix, a sink, and whether each node's stream is trustworthy now. */
public interface WatchSubscription extends AutoCloseable {
    /** Returns the weakest mode among the nodes known so far (see {@link WatchMode}). */
    WatchMode mode();

    /** Returns whether {@code node}'s stream is subscribed and in sync right now. */
    boolean live(InetSocketAddress node);

    /** Stops delivery to this subscription's sink (idempotent). */
    @Override
    void close();
}
