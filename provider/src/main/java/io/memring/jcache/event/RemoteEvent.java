package io.memring.jcache.event;

import javax.cache.event.EventType;

/**
 * An entry event another JVM caused, decoded from what a node pushed ({@link RemoteEventMapper}); the
 * dispatcher turns it into a {@link MemringCacheEntryEvent} naming this JVM's cache as its source.
 *
 * @param type created, updated, removed or expired
 * @param key the cache key
 * @param value the new value (created, updated) or the old one (removed, expired), as local events have it
 * @param oldValue the value before, or null
 * @param oldValueAvailable whether {@code oldValue} is known
 */
public record RemoteEvent<K, V>(EventType type, K key, V value, V oldValue, boolean oldValueAvailable) {
}
