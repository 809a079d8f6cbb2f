package io.memring.jcache;

import io.memring.jcache.serialization.Serializer;
import io.memring.jcache.store.StoredEntry;
import java.util.Arrays;

/**
 * A cache's keys and values as bytes: the configured {@link Serializer}, with the key's encoding tag
 * in front of its bytes so that, say, Integer 1 and Long 1 are different keys.
 */
final class EntryCodec<K, V> {
    private final Serializer serializer;
    private final ClassLoader classLoader;

    EntryCodec(Serializer serializer, ClassLoader classLoader) {
        this.serializer = serializer;
        this.classLoader = classLoader;
    }

    byte[] keyBytes(K key) {
        Serializer.Serialized s = serializer.serialize(key);
        byte[] out = new byte[s.bytes().length + 1];
        out[0] = (byte) s.encoding();
        System.arraycopy(s.bytes(), 0, out, 1, s.bytes().length);
        return out;
    }

    @SuppressWarnings("unchecked")
    K keyOf(byte[] keyBytes) {
        return (K) serializer.deserialize(Arrays.copyOfRange(keyBytes, 1, keyBytes.length), keyBytes[0], classLoader);
    }

    @SuppressWarnings("unchecked")
    V valueOf(StoredEntry e) {
        return (V) serializer.deserialize(e.value(), e.encoding(), classLoader);
    }

    Serializer.Serialized serialize(V value) {
        return serializer.serialize(value);
    }
}
