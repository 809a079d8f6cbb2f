package io.memring.jcache;

import io.memring.jcache.serialization.Serializer;
import io.memring.jcache.store.StoredEntry;
import java.util.Arrays;

/**
 * A cache's keys and values as bytes: the configured {@link Serializer}, with the key's encoding tag
 * in front of its bytes so that, say, Integer 1 and Long 1 are different keys. The tag is written as
 * the character {@code '0' + encoding}, so a String key stays printable ASCII and travels to the
 * server as it is (no base64), readable in memcached's own tools.
 */
final class EntryCodec<K, V> {
    private static final int TAG_BASE = '0';

    private final Serializer serializer;
    private final ClassLoader classLoader;

    EntryCodec(Serializer serializer, ClassLoader classLoader) {
        this.serializer = serializer;
        this.classLoader = classLoader;
    }

    byte[] keyBytes(K key) {
        Serializer.Serialized s = serializer.serialize(key);
        byte[] out = new byte[s.bytes().length + 1];
        out[0] = (byte) (TAG_BASE + s.encoding());
        System.arraycopy(s.bytes(), 0, out, 1, s.bytes().length);
        return out;
    }

    @SuppressWarnings("unchecked")
    K keyOf(byte[] keyBytes) {
        return (K) serializer.deserialize(Arrays.copyOfRange(keyBytes, 1, keyBytes.length), (byte) (keyBytes[0] - TAG_BASE), classLoader);
    }

    @SuppressWarnings("unchecked")
    V valueOf(StoredEntry e) {
        return (V) serializer.deserialize(e.value(), e.encoding(), classLoader);
    }

    Serializer.Serialized serialize(V value) {
        return serializer.serialize(value);
    }
}
