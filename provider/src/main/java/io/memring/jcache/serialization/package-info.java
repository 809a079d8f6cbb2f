/**
 * Turning keys and values into bytes and back ({@link io.memring.jcache.serialization.Serializer}).
 * The encoding is carried in memcached's 32-bit client flags so that any reader can decode any
 * writer's value.
 *
 * <p>Bytes read from a node are untrusted: anyone who can write to a node chooses them. The
 * {@link io.memring.jcache.serialization.DefaultSerializer} (fast paths for String, byte[], Long,
 * Integer, Boolean; Java serialization for the rest) reads Java-serialized bytes only through an
 * {@code ObjectInputFilter} built from a {@link io.memring.jcache.serialization.ClassAllowList} (the
 * cache's configured types, JDK value types, {@code memring.serialization.allow}) with limits on
 * depth, array lengths, references and bytes. The
 * {@link io.memring.jcache.serialization.CompactSerializer} never uses Java serialization. Every
 * malformed or refused input is a {@link javax.cache.CacheException}. Depends on nothing but the JDK
 * and the JCache API.
 */
package io.memring.jcache.serialization;
