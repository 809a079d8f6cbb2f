package io.memring.jcache.store;

/** Builds the bytes a Memring JVM stores ({@link Envelope}), for tests outside this package. */
public final class TestEnvelopes {
    private TestEnvelopes() {
    }

    /** The envelope of {@code value}; {@code fullKey} only for a hashed key (null otherwise). */
    public static byte[] wrap(byte[] value, long expiryMillis, byte[] fullKey) {
        return Envelope.wrap(value, expiryMillis, fullKey);
    }
}
