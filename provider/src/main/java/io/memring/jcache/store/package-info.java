/**
 * Where a cache's entries are: {@link io.memring.jcache.store.RemoteStore}, the interface every cache
 * operation is built from (reads with a version, CAS-guarded add/compare-and-set/compare-and-delete,
 * pipelined many-key reads and deletes, paged scans, clear), and {@link io.memring.jcache.store.RemoteStores},
 * one per CacheManager. {@link io.memring.jcache.store.RingStore} is the implementation on the ring: it
 * maps a cache key to a memcached key in the cache's namespace ({@code jc:<encoded cache name>:<key
 * bytes>}, or a SHA-256 of the key bytes when too long, with the full key kept in the value), wraps
 * values in an {@link io.memring.jcache.store.Envelope} carrying the millisecond expiry, and translates
 * the client's typed errors into {@code CacheException}s. On rings with stock memcached nodes (whose
 * crawler skips items a connection still holds, so deletion by crawl is not exact),
 * {@link io.memring.jcache.store.GenerationalStore} keys entries under the cache's
 * {@link io.memring.jcache.store.Generation} ({@code jc:<name>:<generation>:<key bytes>}, the generation
 * in item {@code jcg:<name>}), read in the same batch as every operation; clear is one {@code incr}.
 * {@link io.memring.jcache.store.RingStores} tells the kinds apart ({@code version}, {@link
 * io.memring.jcache.store.ServerKinds}) when a CacheManager opens. Depends on the client's public API only
 * ({@code io.memring.client}), never on its {@code protocol}, {@code routing} or {@code connection}
 * packages. A near cache is meant to wrap a {@code RemoteStore}. {@link io.memring.jcache.store.ChangeSource}
 * is where a cache hears other clients' changes (RingStore on Memring nodes): a subscription to its
 * namespace and {@code RingStore.decode}, which accepts a pushed item only as this cache's envelope.
 */
package io.memring.jcache.store;
