package io.memring.jcache.serialization;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import javax.cache.CacheException;

/**
 * Fast paths for String (UTF-8), byte[], Long, Integer and Boolean; Java serialization for the rest.
 * Encoding tags are small integers stored in memcached's client flags.
 *
 * <p>Reading Java-serialized bytes is filtered by a {@link ClassAllowList}: a serializer made with the
 * no-argument constructor reads JDK value types only; the cache manager hands each cache one bound to
 * its configured types and the user's {@value ClassAllowList#SETTING} ({@link #forCache}). It also
 * reads every encoding of {@link CompactSerializer}.
 */
public final class DefaultSerializer implements Serializer {
    public static final int JAVA = CompactCodec.JAVA;
    public static final int STRING = CompactCodec.STRING;
    public static final int BYTES = CompactCodec.BYTES;
    public static final int LONG = CompactCodec.LONG;
    public static final int INTEGER = CompactCodec.INTEGER;
    public static final int BOOLEAN = CompactCodec.BOOLEAN;

    private final ClassAllowList allowed;

    /** Reads JDK value types only (see {@link ClassAllowList#jdkValueTypes()}). */
    public DefaultSerializer() {
        this(ClassAllowList.jdkValueTypes());
    }

    /** Reads the classes {@code allowed} lets through. */
    public DefaultSerializer(ClassAllowList allowed) {
        this.allowed = java.util.Objects.requireNonNull(allowed, "allowed");
    }

    @Override
    public Serializer forCache(ClassAllowList cacheAllowList) {
        return new DefaultSerializer(cacheAllowList);
    }

    @Override
    public Serialized serialize(Object o) {
        if (o instanceof String || o instanceof byte[] || o instanceof Long || o instanceof Integer || o instanceof Boolean) {
            return CompactCodec.encode(o);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        } catch (IOException e) {
            throw new CacheException("cannot serialize a " + o.getClass().getName()
                    + ": values and keys of a Memring cache must be Serializable (or use a custom Serializer)", e);
        }
        return new Serialized(bytes.toByteArray(), JAVA);
    }

    @Override
    public Object deserialize(byte[] bytes, int encoding, ClassLoader classLoader) {
        if (encoding == JAVA) {
            return FilteredObjectInput.read(bytes, classLoader, allowed);
        }
        return CompactCodec.decode(bytes, encoding);
    }
}
