package io.memring.jcache.near;

/**
 * A near-cache lookup key for an all-ASCII String cache key that stands for the server key
 * {@code prefix + tag + chars} without building it: equal to the {@link ByteKey} of exactly those bytes,
 * with the same hash. Made only by {@link NearCacheStore#lookupKey(byte, String)}, which checks that
 * this byte string is the key's server key; used for lookups only, never stored.
 */
final class AsciiKey {
    private final byte[] prefix;
    private final byte tag;
    private final String chars;
    private final int hash;

    /** {@code hash} must be {@code Arrays.hashCode(prefix + tag + chars as bytes)}; every char below 0x80. */
    AsciiKey(byte[] prefix, byte tag, String chars, int hash) {
        this.prefix = prefix;
        this.tag = tag;
        this.chars = chars;
        this.hash = hash;
    }

    @Override
    public boolean equals(Object o) {
        if (o instanceof ByteKey k) {
            return k.hashCode() == hash && sameBytes(k.bytes());
        }
        return o instanceof AsciiKey other && hash == other.hash && tag == other.tag && chars.equals(other.chars)
                && java.util.Arrays.equals(prefix, other.prefix);
    }

    private boolean sameBytes(byte[] b) {
        int p = prefix.length;
        if (b.length != p + 1 + chars.length() || b[p] != tag) {
            return false;
        }
        for (int i = 0; i < chars.length(); i++) {
            if (b[p + 1 + i] != chars.charAt(i)) {
                return false;
            }
        }
        return java.util.Arrays.equals(b, 0, p, prefix, 0, p);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return new String(prefix, java.nio.charset.StandardCharsets.ISO_8859_1) + (char) tag + chars;
    }
}
