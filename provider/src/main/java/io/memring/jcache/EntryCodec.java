package io.memring.jcache;

import io.memring.jcache.serialization.CompactSerializer;
import io.memring.jcache.serialization.DefaultSerializer;
import io.memring.jcache.serialization.Serializer;
import io.memring.jcache.store.StoredEntry;
import java.util.Arrays;
import javax.cache.CacheException;

/**
 * A cache's keys and values as bytes: the configured {@link Serializer}, with the key's encoding tag
 * in front of its bytes so that, say, Integer 1 and Long 1 are different keys. The tag is written as
 * the character {@code '0' + encoding}, so a String key stays printable ASCII and travels to the
 * server as it is (no base64), readable in memcached's own tools.
 *
 * <p>What it reads back comes from the nodes, so it is checked: a key or value that is not of the
 * cache's configured type (a {@code Long} where the cache holds {@code String}s, say) is a
 * {@link CacheException} naming both types, never a {@code ClassCastException} in the caller's code.
 */
final class EntryCodec<K, V> {
    private static final int TAG_BASE = '0';

    private final Serializer serializer;
    private final ClassLoader classLoader;
    private final Class<K> keyType;
    private final Class<V> valueType;

    /** A codec that checks no types (an untyped cache; tests). */
    EntryCodec(Serializer serializer, ClassLoader classLoader) {
        this(serializer, classLoader, null, null);
    }

    EntryCodec(Serializer serializer, ClassLoader classLoader, Class<K> keyType, Class<V> valueType) {
        this.serializer = serializer;
        this.classLoader = classLoader;
        this.keyType = keyType;
        this.valueType = valueType;
    }

    byte[] keyBytes(K key) {
        Serializer.Serialized s = serializer.serialize(key);
        byte[] out = new byte[s.bytes().length + 1];
        out[0] = (byte) (TAG_BASE + s.encoding());
        System.arraycopy(s.bytes(), 0, out, 1, s.bytes().length);
        return out;
    }

    /** Rebuilds a key listed by a node (a scan); the bytes are untrusted. */
    K keyOf(byte[] keyBytes) {
        if (keyBytes.length == 0) {
            throw new CacheException("a cache key read from the ring is empty");
        }
        Object key = serializer.deserialize(Arrays.copyOfRange(keyBytes, 1, keyBytes.length), keyBytes[0] - TAG_BASE, classLoader);
        return checked(keyType, key, "a key");
    }

    V valueOf(StoredEntry e) {
        return checked(valueType, serializer.deserialize(e.value(), e.encoding(), classLoader), "a value");
    }

    /**
     * Whether {@link #valueOf} always returns new objects that share nothing with the entry's bytes (the
     * built-in serializers: they decode into fresh objects and copy a {@code byte[]}), so a read may
     * deserialize straight from a near cache's bytes without copying them first. A custom serializer
     * might hand out the bytes it was given: not assumed.
     */
    boolean decodesIntoNewObjects() {
        return serializer instanceof DefaultSerializer || serializer instanceof CompactSerializer;
    }

    /**
     * Returns the tag byte that {@link #keyBytes} puts before a String key's UTF-8 bytes (nothing else
     * follows), or 0 when the serializer is not known to write Strings that way (a custom one): the
     * built-in serializers both write a String as its UTF-8 bytes with tag {@link DefaultSerializer#STRING}.
     * A near cache can then look a String key up without serializing it.
     */
    byte stringKeyTag() {
        return serializer instanceof DefaultSerializer || serializer instanceof CompactSerializer
                ? (byte) (TAG_BASE + DefaultSerializer.STRING) : 0;
    }

    Serializer.Serialized serialize(V value) {
        return serializer.serialize(value);
    }

    private static <T> T checked(Class<T> type, Object o, String what) {
        if (o == null) {
            throw new CacheException(what + " read from the ring decoded to null");
        }
        if (type != null && type != Object.class && !type.isInstance(o)) {
            throw new CacheException(what + " read from the ring is a " + o.getClass().getName() + ", not the cache's "
                    + type.getName());
        }
        return type == null ? uncheckedCast(o) : type.cast(o);
    }

    @SuppressWarnings("unchecked")
    private static <T> T uncheckedCast(Object o) {
        return (T) o;
    }
}
