package io.memring.jcache.near;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The near caches of this JVM, by ring and cache name. CacheManagers have clients of their own, and a
 * node does not echo a write to the client that made it, but another CacheManager's client hears it
 * only when the push arrives; so a write, remove or clear here invalidates the others synchronously,
 * before it returns.
 */
final class LocalPeers {
    private static final ConcurrentMap<String, Set<NearCacheStore>> BY_CACHE = new ConcurrentHashMap<>();

    private LocalPeers() {
    }

    private static String id(String ringId, String cacheName) {
        return ringId + '\n' + cacheName;
    }

    static void join(String ringId, String cacheName, NearCacheStore store) {
        BY_CACHE.computeIfAbsent(id(ringId, cacheName), k -> ConcurrentHashMap.newKeySet()).add(store);
    }

    static void leave(String ringId, String cacheName, NearCacheStore store) {
        BY_CACHE.computeIfPresent(id(ringId, cacheName), (k, set) -> {
            set.remove(store);
            return set.isEmpty() ? null : set;
        });
    }

    /** Invalidates {@code keyBytes} (a cache key) in every near cache of the cache but {@code self}. */
    static void invalidate(String ringId, String cacheName, NearCacheStore self, byte[] keyBytes) {
        Set<NearCacheStore> peers = BY_CACHE.get(id(ringId, cacheName));
        if (peers == null || peers.size() < 2) {
            return;
        }
        for (NearCacheStore p : peers) {
            if (p != self) {
                p.invalidateFromPeer(keyBytes);
            }
        }
    }

    /** Clears every near cache of the cache but {@code self}. */
    static void clear(String ringId, String cacheName, NearCacheStore self) {
        Set<NearCacheStore> peers = BY_CACHE.get(id(ringId, cacheName));
        if (peers == null) {
            return;
        }
        for (NearCacheStore p : peers) {
            if (p != self) {
                p.clearFromPeer();
            }
        }
    }
}
