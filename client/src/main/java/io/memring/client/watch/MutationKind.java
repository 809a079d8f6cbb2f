package io.memring.client.watch;

/** What happened to a key (the contract's N/U/D/C/X/E/F). */
public enum MutationKind {
    /** Stored where no live item was (set, add, vivify). */
    CREATED,
    /** A live item changed: replaced, appended, counted, touched, invalidated. */
    UPDATED,
    /** Deleted by a client. */
    DELETED,
    /** Deleted by a client as part of a JCache clear ({@code md ... Y}): invalidate, but raise no listener event. */
    CLEARED,
    /** Found past its expiry (by a read or the crawler). */
    EXPIRED,
    /** Pushed out by the LRU or a page move. */
    EVICTED,
    /** {@code flush_all}: every entry from this node is gone ({@link Mutation#key()} is empty). */
    FLUSHED;

    /** Returns the kind for the wire letter, or null for an unknown one. */
    static MutationKind ofLetter(char c) {
        return switch (c) {
            case 'N' -> CREATED;
            case 'U' -> UPDATED;
            case 'D' -> DELETED;
            case 'C' -> CLEARED;
            case 'X' -> EXPIRED;
            case 'E' -> EVICTED;
            case 'F' -> FLUSHED;
            default -> null;
        };
    }
}
