package io.memring.client;

/** How a store treats an existing item. */
public enum StoreMode {
    /** Store unconditionally. */
    SET,
    /** Store only if absent. */
    ADD,
    /** Store only if present. */
    REPLACE,
    /** Add bytes after the existing value (flags and TTL are kept). */
    APPEND,
    /** Add bytes before the existing value (flags and TTL are kept). */
    PREPEND
}
