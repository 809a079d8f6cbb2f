package io.memring.jcache;

import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;

/**
 * The other JVM of {@link TwoJvmNearCacheIT}: opens the cache with a near cache of its own
 * ({@code -Dmemring.nearCache.maxEntries}), writes {@code args[1]=args[2]} into cache {@code args[0]},
 * and exits.
 */
public final class NearWriterProgram {
    private NearWriterProgram() {
    }

    public static void main(String[] args) {
        CachingProvider provider = Caching.getCachingProvider(MemringCachingProvider.class.getName());
        try {
            CacheManager manager = provider.getCacheManager();
            Cache<String, Long> cache = manager.createCache(args[0], new MutableConfiguration<String, Long>().setTypes(String.class, Long.class));
            cache.put(args[1], Long.parseLong(args[2]));
            System.out.println("wrote " + args[1] + "=" + cache.get(args[1]));
        } finally {
            provider.close();
        }
    }
}
