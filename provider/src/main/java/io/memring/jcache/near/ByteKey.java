package io.memring.jcache.near;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A server key with value equality, the near cache's key. The hash ({@link Arrays#hashCode(byte[])}) is
 * computed once: a key is hashed by every lookup, install and invalidation. {@link AsciiKey} computes the
 * same hash without the bytes, so a hit can find a ByteKey without building one.
 */
final class ByteKey {
    private final byte[] bytes;
    private final int hash;

    /** Wraps (does not copy) {@code bytes}: nobody may change them afterwards. */
    ByteKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    byte[] bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof ByteKey other) {
            return hash == other.hash && Arrays.equals(bytes, other.bytes);
        }
        return o instanceof AsciiKey probe && probe.equals(this);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
