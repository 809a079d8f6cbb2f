package io.memring.server.storage;

/**
 * Options of a meta get ({@code mg}) that change the item, and the facts the reply needs from
 * before the access. Reused per connection.
 */
public final class MetaGetRequest {
    // in
    public byte[] key;
    public boolean keyBinary;
    /** {@code u}: do not bump the LRU or mark fetched. */
    public boolean noBump;
    /** {@code T}: set a new relative exptime. */
    public boolean touch;
    public int touchExptime;
    /** {@code N}: create an empty item on miss with this relative exptime. */
    public boolean vivify;
    public int vivifyExptime;
    /** {@code R}: win the recache token when the remaining TTL is below this relative time. */
    public boolean recache;
    public int recacheTime;

    // out (valid inside the callback)
    public boolean created;
    public boolean won;
    /** A win token had been handed out before this request ({@code Z}). */
    public boolean tokenAlreadySent;
    public boolean stale;
    /** Whether the item had been fetched before this request ({@code h}). */
    public boolean fetchedBefore;
    /** Last access time before this request ({@code l}). */
    public int lastAccessBefore;

    public MetaGetRequest reset() {
        key = null;
        keyBinary = false;
        noBump = false;
        touch = false;
        touchExptime = 0;
        vivify = false;
        vivifyExptime = 0;
        recache = false;
        recacheTime = 0;
        created = false;
        won = false;
        tokenAlreadySent = false;
        stale = false;
        fetchedBefore = false;
        lastAccessBefore = 0;
        return this;
    }
}
