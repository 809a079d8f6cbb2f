package io.memring.jcache.near;

import com.github.benmanes.caffeine.cache.Ticker;
import io.memring.jcache.store.RemoteStore;
import java.util.function.Supplier;

/**
 * A CacheManager's near caches: which caches get one (their configuration, else the manager's
 * {@code memring.nearCache.*} settings) and where they subscribe (one {@link InvalidationSource},
 * made when the first near cache opens).
 */
public final class NearCaches {
    private final int defaultMaxEntries;
    private final long defaultTtlMillis;
    private final Supplier<InvalidationSource> sourceFactory;
    private final Ticker ticker;
    private volatile InvalidationSource source;

    public NearCaches(int defaultMaxEntries, long defaultTtlMillis, Supplier<InvalidationSource> sourceFactory, Ticker ticker) {
        this.defaultMaxEntries = defaultMaxEntries;
        this.defaultTtlMillis = defaultTtlMillis;
        this.sourceFactory = sourceFactory;
        this.ticker = ticker;
    }

    /**
     * Returns {@code store} wrapped in a near cache if the cache has one ({@code maxEntries}, else the
     * default, above 0), or {@code store} itself.
     */
    public RemoteStore wrap(String cacheName, RemoteStore store, Integer maxEntries, Long ttlMillis) {
        int max = maxEntries != null ? maxEntries : defaultMaxEntries;
        if (max <= 0) {
            return store;
        }
        long ttl = ttlMillis != null ? ttlMillis : defaultTtlMillis;
        return NearCacheStore.open(store, cacheName, source(), max, ttl, ticker);
    }

    private InvalidationSource source() {
        InvalidationSource s = source;
        if (s == null) {
            synchronized (this) {
                s = source;
                if (s == null) {
                    s = sourceFactory.get();
                    source = s;
                }
            }
        }
        return s;
    }
}
