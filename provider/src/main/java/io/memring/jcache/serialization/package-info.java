/**
 * Turning keys and values into bytes and back ({@link io.memring.jcache.serialization.Serializer}).
 * The default has fast paths for String, byte[], Long, Integer and Boolean and falls back to Java
 * serialization; the encoding is carried in memcached's 32-bit client flags so that any reader can
 * decode any writer's value.
 */
package io.memring.jcache.serialization;
