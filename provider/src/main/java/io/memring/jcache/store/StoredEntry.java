package io.memring.jcache.store;

import java.net.InetSocketAddress;

/**
 * An entry as read from the ring.
 *
 * <p>A <em>foreign</em> entry ({@link #foreign}) stands for an item under the cache's key that is not a
 * Memring envelope (written by another program, truncated, or a hashed key whose envelope names a
 * different key). It is no mapping of the cache, but it occupies the key: its CAS lets a write replace
 * it and a remove delete it, instead of an {@code add} that can never succeed.
 *
 * @param value the serialized value; null for a foreign entry
 * @param encoding the serializer's tag (memcached client flags)
 * @param expiryMillis absolute expiry in wall-clock milliseconds; 0 = never
 * @param cas memcached's CAS of the item, for a conditional write
 * @param node the node that served the read (a replica after a failover), or null if the store cannot
 *     tell (stores off a ring): a near cache installs an entry only from the node whose stream it follows
 */
public record StoredEntry(byte[] value, int encoding, long expiryMillis, long cas, InetSocketAddress node) {

    /** An entry whose serving node is not known. */
    public StoredEntry(byte[] value, int encoding, long expiryMillis, long cas) {
        this(value, encoding, expiryMillis, cas, null);
    }

    /** Returns an entry for an item that is not Memring's, with the item's CAS. */
    public static StoredEntry foreign(long cas) {
        return new StoredEntry(null, -1, 0, cas);
    }

    /** Returns whether this stands for an item that is not a Memring entry (see the class comment). */
    public boolean isForeign() {
        return value == null;
    }

    /** Returns whether the entry's expiry has passed at {@code nowMillis}. */
    public boolean isExpiredAt(long nowMillis) {
        return expiryMillis != 0 && expiryMillis <= nowMillis;
    }

    /** Returns whether this is a Memring entry that has not expired at {@code nowMillis}. */
    public boolean isLiveAt(long nowMillis) {
        return !isForeign() && !isExpiredAt(nowMillis);
    }
}
