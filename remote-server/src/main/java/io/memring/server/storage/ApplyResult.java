package io.memring.server.storage;

/** What a replica apply ({@link Storage#applyReplica}, {@link Storage#applyTombstone}) did. */
public enum ApplyResult {
    /** The incoming state was newer and is now stored (or, for a tombstone, the key is gone). */
    APPLIED,
    /** The same version was already stored: only its exptime was refreshed (a touch on the primary). */
    SAME,
    /** Refused by last-writer-wins: a newer version, a newer tombstone or a flush watermark covers it. */
    STALE,
    /** Newer but could not be stored (larger than an item may be, or no memory); the older copy is gone. */
    NOT_STORED
}
