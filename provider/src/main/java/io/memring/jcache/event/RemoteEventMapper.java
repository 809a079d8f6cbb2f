package io.memring.jcache.event;

import io.memring.jcache.store.RemoteStore.KeyedEntry;
import io.memring.jcache.store.StoredEntry;
import java.util.Arrays;
import java.util.function.Function;
import javax.cache.CacheException;
import javax.cache.event.EventType;

/**
 * Turns what a node pushed about one item of a cache into the JCache event the writing JVM raised
 * locally, or into none. The node reports what happened to the item (created, updated, deleted,
 * expired); the cache's rules read the envelopes:
 *
 * <ul>
 *   <li>created: CREATED with the new value;
 *   <li>updated: UPDATED with the old and new values, except when the old item was no live mapping at
 *       the write (not a Memring envelope, an entry this cache cannot read, or an envelope already
 *       expired at the write: the writer created), which is CREATED; and except an access-expiry
 *       rewrite (same value and encoding, only the expiry moved), which the writer raised no event for;
 *   <li>deleted: REMOVED with the old value, or EXPIRED when the envelope had already expired at the
 *       delete (the deleting JVM found it expired and raised EXPIRED);
 *   <li>expired (the node dropped the item): EXPIRED with the old value.
 * </ul>
 *
 * An item that is not a mapping of this cache (another program's bytes, a hashed key whose envelope
 * names another key, a key outside the namespace) gives no event; so does a delete or expiry without
 * the old value (events carry it). A key or value this cache cannot deserialize is a
 * {@link CacheException}: values are rebuilt only through the cache's serializer and its allow-list.
 *
 * <p>"At the write" is the node's time for the write, read from its version (a hybrid logical clock,
 * {@link #writeTime}); when the version does not carry a plausible time, the time of arrival.
 */
public final class RemoteEventMapper<K, V> {
    /** The nodes' hybrid clock: {@code [42 bits ms since 2024-01-01 | 14 bits counter | 8 bits node id]}. */
    static final long VERSION_EPOCH_MS = 1_704_067_200_000L;
    private static final int VERSION_TIME_SHIFT = 14 + 8;
    /** A version's time further than this from ours is not trusted (another kind of node, or garbage). */
    private static final long MAX_CLOCK_DISTANCE_MS = 60 * 60 * 1000L;

    /** Opens a pushed item as one of the cache's entries, or returns null when it is no mapping of the cache. */
    @FunctionalInterface
    public interface ItemOpener {
        KeyedEntry open(byte[] serverKey, byte[] stored, int flags, long version);
    }

    private final ItemOpener opener;
    private final Function<byte[], K> keyOf;
    private final Function<StoredEntry, V> valueOf;

    /**
     * @param opener checks and opens an item ({@code RingStore::decode})
     * @param keyOf deserializes a cache key (the cache's serializer)
     * @param valueOf deserializes a value (the cache's serializer, with its allow-list)
     */
    public RemoteEventMapper(ItemOpener opener, Function<byte[], K> keyOf, Function<StoredEntry, V> valueOf) {
        this.opener = opener;
        this.keyOf = keyOf;
        this.valueOf = valueOf;
    }

    /** A new item (nothing live before it). */
    public RemoteEvent<K, V> created(byte[] serverKey, int flags, long version, byte[] newValue) {
        KeyedEntry n = open(serverKey, newValue, flags, version);
        if (n == null) {
            return null;
        }
        return new RemoteEvent<>(EventType.CREATED, keyOf.apply(n.keyBytes()), valueOf.apply(n.entry()), null, false);
    }

    /**
     * A live item replaced at {@code writtenAt} (wall-clock ms); {@code oldFlags} is the old item's
     * encoding (the flags are the encoding, and a value read with another encoding's rules can decode
     * to a wrong value without failing, so the old item's own flags are needed).
     */
    public RemoteEvent<K, V> updated(byte[] serverKey, int oldFlags, int flags, long version, long writtenAt, byte[] oldValue,
                                     byte[] newValue) {
        KeyedEntry n = open(serverKey, newValue, flags, version);
        if (n == null) {
            return null;
        }
        K key = keyOf.apply(n.keyBytes());
        V value = valueOf.apply(n.entry());
        KeyedEntry o = open(serverKey, oldValue, oldFlags, version);
        if (o == null || o.entry().isExpiredAt(writtenAt)) {
            return new RemoteEvent<>(EventType.CREATED, key, value, null, false);
        }
        StoredEntry before = o.entry();
        StoredEntry after = n.entry();
        if (before.encoding() == after.encoding() && Arrays.equals(before.value(), after.value())
                && before.expiryMillis() != after.expiryMillis()) {
            return null; // an access-expiry rewrite: no event where it was made either
        }
        V old;
        try {
            old = valueOf.apply(before);
        } catch (CacheException e) {
            return new RemoteEvent<>(EventType.CREATED, key, value, null, false); // the writer could not read it either: a put creates
        }
        return new RemoteEvent<>(EventType.UPDATED, key, value, old, true);
    }

    /** An item deleted by a client at {@code deletedAt} (wall-clock ms). */
    public RemoteEvent<K, V> deleted(byte[] serverKey, int flags, long version, long deletedAt, byte[] oldValue) {
        KeyedEntry o = open(serverKey, oldValue, flags, version);
        if (o == null) {
            return null;
        }
        EventType type = o.entry().isExpiredAt(deletedAt) ? EventType.EXPIRED : EventType.REMOVED;
        V old = valueOf.apply(o.entry());
        return new RemoteEvent<>(type, keyOf.apply(o.keyBytes()), old, old, true);
    }

    /** An item the node found past its expiry and dropped. */
    public RemoteEvent<K, V> expired(byte[] serverKey, int flags, long version, byte[] oldValue) {
        KeyedEntry o = open(serverKey, oldValue, flags, version);
        if (o == null) {
            return null;
        }
        V old = valueOf.apply(o.entry());
        return new RemoteEvent<>(EventType.EXPIRED, keyOf.apply(o.keyBytes()), old, old, true);
    }

    private KeyedEntry open(byte[] serverKey, byte[] stored, int flags, long version) {
        return stored == null ? null : opener.open(serverKey, stored, flags, version);
    }

    /**
     * Returns the wall-clock milliseconds at which the node made {@code version}, or {@code arrivedAt}
     * when the version carries no plausible time (0 from stock memcached, or more than an hour away).
     */
    public static long writeTime(long version, long arrivedAt) {
        if (version <= 0) {
            return arrivedAt;
        }
        long millis = (version >>> VERSION_TIME_SHIFT) + VERSION_EPOCH_MS;
        return Math.abs(millis - arrivedAt) > MAX_CLOCK_DISTANCE_MS ? arrivedAt : millis;
    }
}
