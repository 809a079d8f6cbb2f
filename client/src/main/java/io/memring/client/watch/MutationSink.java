package io.memring.client.watch;

import java.net.InetSocketAddress;

/**
 * Receives a subscription's stream. Every call comes on the client's one watch thread, in each node's
 * order; an implementation must be quick, must not block and must not wait for the client. An
 * exception it throws is logged and the stream goes on.
 */
public interface MutationSink {
    /** A change under the subscription's prefix (a flush: every key), after {@link #subscribed} for its node. */
    void mutation(Mutation m);

    /** Forget everything learnt from {@code node}: events may have been lost. */
    void reset(InetSocketAddress node, ResetReason reason);

    /** {@code node} is live from now on: every later change there will be delivered ({@code bootId} 0 on stock). */
    default void subscribed(InetSocketAddress node, long bootId) {
    }
}
