package io.memring.jcache.serialization;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.cache.CacheException;

/**
 * Fast paths for String (UTF-8), byte[], Long, Integer and Boolean; Java serialization for the rest.
 * Encoding tags are small integers stored in memcached's client flags.
 */
public final class DefaultSerializer implements Serializer {
    public static final int JAVA = 0;
    public static final int STRING = 1;
    public static final int BYTES = 2;
    public static final int LONG = 3;
    public static final int INTEGER = 4;
    public static final int BOOLEAN = 5;

    @Override
    public Serialized serialize(Object o) {
        if (o instanceof String s) {
            return new Serialized(s.getBytes(StandardCharsets.UTF_8), STRING);
        }
        if (o instanceof byte[] b) {
            return new Serialized(b.clone(), BYTES);
        }
        if (o instanceof Long l) {
            return new Serialized(ByteBuffer.allocate(8).putLong(l).array(), LONG);
        }
        if (o instanceof Integer i) {
            return new Serialized(ByteBuffer.allocate(4).putInt(i).array(), INTEGER);
        }
        if (o instanceof Boolean b) {
            return new Serialized(new byte[] {(byte) (b ? 1 : 0)}, BOOLEAN);
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
        switch (encoding) {
            case STRING:
                return new String(bytes, StandardCharsets.UTF_8);
            case BYTES:
                return bytes.clone();
            case LONG:
                return ByteBuffer.wrap(bytes).getLong();
            case INTEGER:
                return ByteBuffer.wrap(bytes).getInt();
            case BOOLEAN:
                return bytes[0] != 0;
            case JAVA:
                try (ObjectInputStream in = new LoaderObjectInputStream(new ByteArrayInputStream(bytes), classLoader)) {
                    return in.readObject();
                } catch (IOException | ClassNotFoundException e) {
                    throw new CacheException("cannot deserialize a cached value", e);
                }
            default:
                throw new CacheException("unknown value encoding " + encoding + " (written by another serializer?)");
        }
    }

    /** Resolves classes with the cache's class loader, as the spec asks. */
    private static final class LoaderObjectInputStream extends ObjectInputStream {
        private final ClassLoader loader;

        LoaderObjectInputStream(InputStream in, ClassLoader loader) throws IOException {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc);
            }
        }
    }
}
