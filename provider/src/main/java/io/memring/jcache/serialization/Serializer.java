package io.memring.jcache.serialization;

/**
 * Converts objects to bytes for the ring and back. Implementations must be deterministic for keys:
 * equal keys must give equal bytes, since the bytes are the key on the server.
 */
public interface Serializer {

    /**
     * Returns the object's bytes and the encoding tag that {@link #deserialize} needs.
     *
     * @throws javax.cache.CacheException if the object cannot be serialized
     */
    Serialized serialize(Object object);

    /**
     * Rebuilds an object.
     *
     * @throws javax.cache.CacheException if the bytes cannot be read
     */
    Object deserialize(byte[] bytes, int encoding, ClassLoader classLoader);

    /**
     * Returns the serializer one cache uses, given the classes that cache may rebuild: the cache
     * manager calls this once per cache. A serializer that runs Java deserialization (or anything else
     * that instantiates classes named by the bytes) must refuse every class {@code allowed} does not
     * allow, since the bytes come from the nodes and anyone who can write to a node controls them.
     * The default returns this serializer unchanged (right for one that never instantiates arbitrary
     * classes).
     */
    default Serializer forCache(ClassAllowList allowed) {
        return this;
    }

    /**
     * Bytes plus their encoding tag (stored as memcached client flags).
     *
     * @param bytes the payload
     * @param encoding a tag the serializer understands
     */
    record Serialized(byte[] bytes, int encoding) {
    }
}
