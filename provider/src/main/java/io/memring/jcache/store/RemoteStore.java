package io.memring.jcache.store;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One cache's entries where they are shared: keyed by the serialized cache key, each with its value
 * bytes, encoding, millisecond expiry and a version (memcached's CAS). Every conditional write
 * either succeeds or reports a lost race ({@code false}) so that callers can re-read and retry: that
 * is what makes cache operations atomic across JVMs. Failures to reach the store are
 * {@link javax.cache.CacheException}s.
 *
 * <p>{@link RingStore} is the implementation on the ring; a near cache wraps this interface, and
 * provider logic is unit-tested against an in-memory one.
 */
public interface RemoteStore {

    /**
     * Returns the entry (possibly logically expired), a {@linkplain StoredEntry#foreign foreign} entry if
     * the key holds an item that is not this key's Memring envelope, or null if absent.
     */
    StoredEntry read(byte[] keyBytes);

    /**
     * Reads many keys at once (one pipelined batch per node). Returns the entries found, by position in
     * {@code keyBytes}; absent keys and foreign items are left out.
     */
    Map<Integer, StoredEntry> readMany(List<byte[]> keyBytes);

    /** Stores unconditionally: for writes whose outcome does not depend on the old entry. */
    void overwrite(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis);

    /** Stores only if the key is absent; false if something is there. */
    boolean add(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis);

    /** Stores only if the key still holds {@code current} (its version); false otherwise. */
    boolean cas(byte[] keyBytes, StoredEntry current, byte[] value, int encoding, long expiryMillis, long nowMillis);

    /**
     * Writes a value where {@code current} was read: add if there was nothing, compare-and-set on its
     * version otherwise. Returns false if someone else changed the key in between.
     */
    default boolean write(byte[] keyBytes, StoredEntry current, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return current == null
                ? add(keyBytes, value, encoding, expiryMillis, nowMillis)
                : cas(keyBytes, current, value, encoding, expiryMillis, nowMillis);
    }

    /** Returned by the versioned writes when nothing was stored. */
    long NOT_STORED = -1;
    /** Returned by the versioned writes when the entry was stored but its new version is not known. */
    long VERSION_UNKNOWN = 0;

    /**
     * {@link #overwrite}, returning the entry's new version ({@link #VERSION_UNKNOWN} if the store
     * cannot tell): a near cache installs what was written with it.
     */
    default long overwriteVersioned(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        overwrite(keyBytes, value, encoding, expiryMillis, nowMillis);
        return VERSION_UNKNOWN;
    }

    /** {@link #add}, returning the new version, {@link #VERSION_UNKNOWN}, or {@link #NOT_STORED}. */
    default long addVersioned(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return add(keyBytes, value, encoding, expiryMillis, nowMillis) ? VERSION_UNKNOWN : NOT_STORED;
    }

    /** {@link #cas}, returning the new version, {@link #VERSION_UNKNOWN}, or {@link #NOT_STORED}. */
    default long casVersioned(byte[] keyBytes, StoredEntry current, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return cas(keyBytes, current, value, encoding, expiryMillis, nowMillis) ? VERSION_UNKNOWN : NOT_STORED;
    }

    /**
     * A versioned write's outcome and the node that applied it.
     *
     * @param version the new version, {@link #VERSION_UNKNOWN}, or {@link #NOT_STORED}
     * @param node the node that applied (or refused) the write, after any failover; null if the store cannot tell
     */
    record Written(long version, java.net.InetSocketAddress node) {
    }

    /** {@link #overwriteVersioned}, with the node that applied it (a near cache installs only from the node it follows). */
    default Written overwriteServed(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return new Written(overwriteVersioned(keyBytes, value, encoding, expiryMillis, nowMillis), null);
    }

    /** {@link #addVersioned}, with the node that applied it. */
    default Written addServed(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return new Written(addVersioned(keyBytes, value, encoding, expiryMillis, nowMillis), null);
    }

    /** {@link #casVersioned}, with the node that applied it. */
    default Written casServed(byte[] keyBytes, StoredEntry current, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return new Written(casVersioned(keyBytes, current, value, encoding, expiryMillis, nowMillis), null);
    }

    /**
     * Returns the key the nodes know the entry by (what their invalidations name); the cache key itself
     * for stores that are not on a ring.
     */
    default byte[] serverKey(byte[] keyBytes) {
        return keyBytes.clone();
    }

    /**
     * Returns {@code P} such that {@link #serverKey} of any {@code keyBytes} is {@code P + keyBytes}
     * whenever that is at most {@link io.memring.client.Key#MAX_BASE64_LENGTH} bytes long (a key
     * always taken as it is), or null if the store promises no such prefix (then callers build server
     * keys with {@link #serverKey} only). A near cache uses it to look a key up without building its
     * server key. The array is the store's own: callers must not change it. The default is null: a
     * store that overrides {@link #serverKey} must not inherit a promise it does not keep.
     */
    default byte[] plainKeyPrefix() {
        return null;
    }

    /**
     * Returns the server-key prefixes whose changes concern this cache (a near cache subscribes to them):
     * the first is where the entries are; each other is one item's full key (a generation item) whose
     * change concerns the whole cache (a longer key under it is another cache's: ignored). None for stores that are not on a ring.
     */
    default List<byte[]> watchPrefixes() {
        return List.of();
    }

    /** Deletes the key if it still holds {@code current}; false if someone else changed it. */
    boolean remove(byte[] keyBytes, StoredEntry current);

    /**
     * Deletes each entry that still holds the version it was read with, all at once (pipelined).
     * Returns the positions in {@code entries} that were deleted; the others lost a race.
     */
    Set<Integer> removeMany(List<KeyedEntry> entries);

    /** Deletes unconditionally. */
    void delete(byte[] keyBytes);

    /**
     * Walks every entry of the cache in pages of at most {@code pageSize}, each page read at once. The
     * keys are listed when the scan starts (entries written later may be missed; entries gone by the
     * time their page is read are left out). A scan is not a snapshot.
     *
     * @throws javax.cache.CacheException if part of the store cannot be listed (a node is down)
     */
    Iterator<List<KeyedEntry>> scan(int pageSize);

    /**
     * Empties the cache without reading its entries: deletes them, or moves the cache to a new
     * generation where they are unreachable ({@link GenerationalStore}).
     *
     * @throws javax.cache.CacheException if part of the store could not be cleared (a node is down):
     *     entries there would otherwise reappear when it comes back
     */
    void clear();

    /**
     * A cache key with its entry.
     *
     * @param keyBytes the serialized cache key
     * @param entry the stored entry
     */
    record KeyedEntry(byte[] keyBytes, StoredEntry entry) {
    }
}
