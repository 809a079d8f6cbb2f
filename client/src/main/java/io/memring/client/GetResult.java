package io.memring.client;

import java.net.InetSocketAddress;

/**
 * A hit: the value, memcached's 32-bit client flags, the item's CAS, and the node that answered.
 *
 * @param value the stored bytes (owned by the caller)
 * @param flags client flags as stored
 * @param cas the item's CAS, for a later compare-and-set
 * @param node the node that served the read (after a retry or a redirect: not the key's owner), or
 *     null if the client cannot tell; a near cache trusts a value only from the node whose mutation
 *     stream it follows for the key
 */
public record GetResult(byte[] value, int flags, long cas, InetSocketAddress node) {

    /** A hit whose serving node is not known. */
    public GetResult(byte[] value, int flags, long cas) {
        this(value, flags, cas, null);
    }
}
