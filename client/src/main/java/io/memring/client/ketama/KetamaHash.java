package io.memring.client.ketama;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** spymemcached's KETAMA_HASH: the first four bytes of the key's MD5, little-endian, unsigned. */
public final class KetamaHash {
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every Java platform", e);
        }
    });

    private KetamaHash() {
    }

    static byte[] md5(byte[] bytes) {
        MessageDigest md = MD5.get();
        md.reset();
        return md.digest(bytes);
    }

    /** Returns point {@code group} (0..3) of a digest: bytes 4g..4g+3, little-endian, as unsigned. */
    static long point(byte[] digest, int group) {
        int o = group * 4;
        return ((long) (digest[o + 3] & 0xff) << 24) | ((long) (digest[o + 2] & 0xff) << 16)
                | ((long) (digest[o + 1] & 0xff) << 8) | (digest[o] & 0xff);
    }

    /** Returns the ring position of a key, as spymemcached hashes it (UTF-8 bytes of a String key). */
    public static long hash(byte[] key) {
        return point(md5(key), 0);
    }

    public static long hash(String key) {
        return hash(key.getBytes(StandardCharsets.UTF_8));
    }
}
