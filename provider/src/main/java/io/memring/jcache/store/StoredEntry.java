package io.memring.jcache.store;

/**
 * An entry as read from the ring.
 *
 * @param value the serialized value
 * @param encoding the serializer's tag (memcached client flags)
 * @param expiryMillis absolute expiry in wall-clock milliseconds; 0 = never
 * @param cas memcached's CAS of the item, for a conditional write
 */
public record StoredEntry(byte[] value, int encoding, long expiryMillis, long cas) {

    /** Returns whether the entry's expiry has passed at {@code nowMillis}. */
    public boolean isExpiredAt(long nowMillis) {
        return expiryMillis != 0 && expiryMillis <= nowMillis;
    }
}
