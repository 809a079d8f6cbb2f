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
     * Bytes plus their encoding tag (stored as memcached client flags).
     *
     * @param bytes the payload
     * @param encoding a tag the serializer understands
     */
    record Serialized(byte[] bytes, int encoding) {
    }
}
