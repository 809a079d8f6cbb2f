package io.memring.client;

import java.net.InetSocketAddress;

/**
 * The outcome of a store or CAS.
 *
 * @param status what the server did
 * @param cas the new item's CAS when stored, else 0
 * @param node the node that applied (or refused) the write, after any redirect or failover; null if
 *     the client cannot tell
 */
public record StoreResult(Status status, long cas, InetSocketAddress node) {
    /** memcached's store outcomes. */
    public enum Status {
        /** Stored. */
        STORED,
        /** Not stored: add on an existing key, replace/append/prepend on a missing one. */
        NOT_STORED,
        /** CAS mismatch: someone changed the item since it was read. */
        EXISTS,
        /** CAS on a missing item. */
        NOT_FOUND
    }

    /** An outcome whose serving node is not known. */
    public StoreResult(Status status, long cas) {
        this(status, cas, null);
    }

    public boolean stored() {
        return status == Status.STORED;
    }
}
