package io.memring.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A key's bytes with value equality, for maps of multi-key results. */
public final class Key {
    private final byte[] bytes;
    private final int hash;

    private Key(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** Wraps (does not copy) the bytes; do not change them afterwards. */
    public static Key of(byte[] bytes) {
        return new Key(bytes);
    }

    public static Key of(String s) {
        return new Key(s.getBytes(StandardCharsets.UTF_8));
    }

    public byte[] bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key k && hash == k.hash && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
