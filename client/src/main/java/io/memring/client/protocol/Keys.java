package io.memring.client.protocol;

import java.util.Base64;

/**
 * Puts any byte[] key on the wire: as it is when memcached accepts it as a text token (1..250
 * printable non-space ASCII bytes), else base64 with the meta {@code b} flag.
 */
public final class Keys {
    public static final int MAX_KEY_LENGTH = 250;

    private Keys() {
    }

    /** Returns whether the key can be sent without encoding. */
    public static boolean isPlain(byte[] key) {
        if (key.length == 0 || key.length > MAX_KEY_LENGTH) {
            return false;
        }
        for (byte b : key) {
            if (b <= 0x20 || b >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** Largest key that fits once base64-encoded: 186 bytes give 248 characters. */
    static final int MAX_ENCODED_KEY_LENGTH = MAX_KEY_LENGTH / 4 * 3;

    /**
     * Checks that {@link #token} will accept the key, without encoding it.
     *
     * @throws IllegalArgumentException as {@link #token} would
     */
    public static void check(byte[] key) {
        if (key.length == 0) {
            throw new IllegalArgumentException("empty key");
        }
        if (key.length > MAX_ENCODED_KEY_LENGTH && !isPlain(key)) {
            throw tooLong(key);
        }
    }

    private static IllegalArgumentException tooLong(byte[] key) {
        return new IllegalArgumentException("key of " + key.length + " bytes is too long for memcached ("
                + MAX_KEY_LENGTH + " plain bytes, or " + MAX_ENCODED_KEY_LENGTH + " bytes that need base64)");
    }

    /**
     * Returns the token to send: the key itself, or its base64 form.
     *
     * @throws IllegalArgumentException if the key is empty or too long even for base64 (over 186 bytes
     *     that need encoding)
     */
    public static byte[] token(byte[] key) {
        if (isPlain(key)) {
            return key;
        }
        if (key.length == 0) {
            throw new IllegalArgumentException("empty key");
        }
        if (key.length > MAX_ENCODED_KEY_LENGTH) {
            throw tooLong(key);
        }
        return Base64.getEncoder().encode(key);
    }

    /** Decodes a key returned with the {@code k} flag. */
    public static byte[] fromToken(byte[] token, boolean base64) {
        return base64 ? Base64.getDecoder().decode(token) : token;
    }
}
