package io.memring.client.protocol;

import io.memring.client.InvalidKeyException;
import io.memring.client.Key;
import java.util.Base64;

/**
 * Puts a key on the wire: as it is when memcached accepts it as a text token (see {@link Key#isPlain}),
 * else base64 with the meta {@code b} flag. Keys are validated once, at the client's public methods
 * ({@link Key#check}); this class only encodes.
 */
public final class Keys {
    public static final int MAX_KEY_LENGTH = Key.MAX_LENGTH;

    private Keys() {
    }

    /** Returns whether the key can be sent without encoding. */
    public static boolean isPlain(byte[] key) {
        return Key.isPlain(key);
    }

    /**
     * Checks a key, for callers that predate {@link Key#check}.
     *
     * @throws IllegalArgumentException if the client would refuse the key
     * @deprecated use {@link Key#isValid} or {@link Key#check} (typed {@link InvalidKeyException})
     */
    @Deprecated
    public static void check(byte[] key) {
        if (!Key.isValid(key)) {
            throw new IllegalArgumentException(new InvalidKeyException(Key.problem(key), key.length).getMessage());
        }
    }

    /**
     * Returns the token to send: the key itself, or its base64 form.
     *
     * @throws InvalidKeyException if the key is invalid (callers check keys first; this is a backstop)
     */
    public static byte[] token(byte[] key) {
        if (isPlain(key)) {
            return key;
        }
        Key.check(key);
        return Base64.getEncoder().encode(key);
    }

    /** Decodes a key returned with the {@code k} flag. */
    public static byte[] fromToken(byte[] token, boolean base64) {
        return base64 ? Base64.getDecoder().decode(token) : token;
    }
}
