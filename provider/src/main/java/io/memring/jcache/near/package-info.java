/**
 * The near cache: {@link io.memring.jcache.near.NearCacheStore}, a {@code RemoteStore} that keeps
 * recently read and written entries of this JVM (bytes, encoding, expiry, version, in Caffeine) and
 * answers reads from them; the nodes' mutation stream ({@link io.memring.jcache.near.InvalidationSource},
 * {@link io.memring.jcache.near.InvalidationFeed}, {@link io.memring.jcache.near.NearListener}) invalidates
 * them, and a per-key reservation keeps a read that raced an invalidation from installing a stale value.
 * Other CacheManagers of this JVM are invalidated synchronously ({@code LocalPeers}).
 * Entries are keyed by server key ({@code ByteKey}); a hit on an all-ASCII String key looks up with an
 * {@code AsciiKey} that hashes and compares like those bytes without building them.
 * {@link io.memring.jcache.near.NearCaches} decides which caches get one. Counts are in
 * {@link io.memring.jcache.near.NearCacheStats} (JMX {@code io.memring:type=NearCache}, and
 * {@code cache.unwrap(NearCacheStats.class)}). Depends on {@code io.memring.jcache.store} and on the
 * client's public API only.
 */
package io.memring.jcache.near;
