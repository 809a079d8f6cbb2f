/**
 * How one cache's entries live on the ring: {@link io.memring.jcache.store.RemoteStore} maps a cache
 * key to a memcached key in the cache's namespace ({@code jc:<encoded cache name>:<key bytes>}, or a
 * SHA-256 of the key bytes when too long, with the full key kept in the value), wraps values in an
 * {@link io.memring.jcache.store.Envelope} carrying the millisecond expiry, and offers the CAS-guarded
 * primitives (add, compare-and-set, compare-and-delete) every cache operation is built from.
 */
package io.memring.jcache.store;
