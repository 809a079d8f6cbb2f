package io.memring.jcache.store;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The stored form of a value: {@code [version 1][expiry millis 8][key length 4][key][value]}. The
 * expiry is absolute wall-clock milliseconds (0 = never), because memcached's TTLs are whole seconds;
 * the key is present only for hashed (long) keys, to tell collisions apart.
 */
public final class Envelope {
    static final byte VERSION = 1;
    private static final int HEADER = 1 + 8 + 4;

    private Envelope() {
    }

    static byte[] wrap(byte[] value, long expiryMillis, byte[] fullKey) {
        int keyLength = fullKey == null ? 0 : fullKey.length;
        ByteBuffer b = ByteBuffer.allocate(HEADER + keyLength + value.length);
        b.put(VERSION).putLong(expiryMillis).putInt(keyLength);
        if (fullKey != null) {
            b.put(fullKey);
        }
        b.put(value);
        return b.array();
    }

    /** A decoded envelope. */
    record Opened(byte[] value, long expiryMillis, byte[] fullKey) {
    }

    /**
     * Returns null if the bytes are not an envelope of ours (another program's item, a truncated one, a
     * later version): the store then reports a {@linkplain StoredEntry#foreign foreign} entry. The bytes
     * come from a node, so every length is checked against what is there.
     */
    static Opened open(byte[] stored) {
        if (stored.length < HEADER || stored[0] != VERSION) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(stored);
        b.get();
        long expiry = b.getLong();
        int keyLength = b.getInt();
        if (keyLength < 0 || keyLength > stored.length - HEADER) {
            return null;
        }
        byte[] key = keyLength == 0 ? null : Arrays.copyOfRange(stored, HEADER, HEADER + keyLength);
        return new Opened(Arrays.copyOfRange(stored, HEADER + keyLength, stored.length), expiry, key);
    }
}
