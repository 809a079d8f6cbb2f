package io.memring.client;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A key's bytes with value equality, for maps of multi-key results, and the rules for which byte
 * strings are keys: 1 to {@value #MAX_LENGTH} bytes when all are printable ASCII without spaces (sent
 * as they are), else 1 to {@value #MAX_BASE64_LENGTH} bytes (sent base64-encoded with the meta
 * {@code b} flag, which memcached decodes).
 */
public final class Key {
    /** The longest key memcached takes as a text token. */
    public static final int MAX_LENGTH = 250;
    /** The longest key that needs base64: 186 bytes encode to 248 characters. */
    public static final int MAX_BASE64_LENGTH = MAX_LENGTH / 4 * 3;

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

    /** Returns whether the key can be sent as it is: printable ASCII without spaces, within the limit. */
    public static boolean isPlain(byte[] key) {
        return key.length > 0 && key.length <= MAX_LENGTH && isPrintable(key);
    }

    /** Returns why {@code key} is not a valid key, or null if it is. */
    public static InvalidKeyException.Reason problem(byte[] key) {
        if (key.length == 0) {
            return InvalidKeyException.Reason.EMPTY;
        }
        if (key.length <= MAX_BASE64_LENGTH) {
            return null;
        }
        if (key.length > MAX_LENGTH) {
            return isPrintable(key) ? InvalidKeyException.Reason.TOO_LONG : InvalidKeyException.Reason.TOO_LONG_FOR_BASE64;
        }
        return isPlain(key) ? null : InvalidKeyException.Reason.TOO_LONG_FOR_BASE64;
    }

    private static boolean isPrintable(byte[] key) {
        for (byte b : key) {
            if (b <= 0x20 || b >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** Returns whether the client accepts {@code key}. */
    public static boolean isValid(byte[] key) {
        return problem(key) == null;
    }

    /**
     * Checks a key as every public client method does before sending anything.
     *
     * @throws InvalidKeyException naming the reason
     * @throws NullPointerException if {@code key} is null
     */
    public static void check(byte[] key) {
        Objects.requireNonNull(key, "key");
        InvalidKeyException.Reason reason = problem(key);
        if (reason != null) {
            throw new InvalidKeyException(reason, key.length);
        }
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
