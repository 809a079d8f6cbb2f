package io.memring.client.watch;

import java.net.InetSocketAddress;

/**
 * One change a node accepted.
 *
 * @param node the node that applied it
 * @param seq its sequence number on this client's subscription to that node (0 on stock memcached)
 * @param kind what happened
 * @param key the server key (empty for {@link MutationKind#FLUSHED})
 * @param version the item's version (its CAS) after the change, the flush watermark for a flush; 0 on stock memcached
 * @param originClientId the {@code mr_client} id of the writer, 0 when unknown (untagged, stock, expiry, eviction)
 * @param flags the item's client flags
 * @param exptime the item's unix expiry time, 0 = never
 * @param oldValue the value before (values mode, when known), else null
 * @param newValue the value after (values mode, created/updated), else null
 * @param oldFlags the client flags of the item replaced or removed (the encoding of {@code oldValue}); equal to
 *     {@code flags} when no old item is known (created, incr/decr, stock memcached)
 */
public record Mutation(InetSocketAddress node, long seq, MutationKind kind, byte[] key, long version, long originClientId,
                       int flags, long exptime, byte[] oldValue, byte[] newValue, int oldFlags) {

    /** A mutation whose old item's flags are its flags (no old item known, or they did not change). */
    public Mutation(InetSocketAddress node, long seq, MutationKind kind, byte[] key, long version, long originClientId,
                    int flags, long exptime, byte[] oldValue, byte[] newValue) {
        this(node, seq, kind, key, version, originClientId, flags, exptime, oldValue, newValue, flags);
    }
}
