package io.memring.client;

/**
 * The outcome of a store or CAS.
 *
 * @param status what the server did
 * @param cas the new item's CAS when stored, else 0
 */
public record StoreResult(Status status, long cas) {
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

    public boolean stored() {
        return status == Status.STORED;
    }
}
