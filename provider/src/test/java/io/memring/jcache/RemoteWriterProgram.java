package io.memring.jcache;

import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;

/**
 * The writer of {@link TwoJvmRemoteEventsIT}, run in a child JVM with {@code -Dmemring.servers}: in
 * cache {@code args[0]} it creates, updates and removes key {@code k}, prints {@code done}, and closes.
 */
public final class RemoteWriterProgram {
    private RemoteWriterProgram() {
    }

    public static void main(String[] args) {
        CachingProvider provider = Caching.getCachingProvider();
        try {
            CacheManager manager = provider.getCacheManager();
            Cache<String, String> cache = manager.createCache(args[0],
                    new MutableConfiguration<String, String>().setTypes(String.class, String.class));
            cache.put("k", "1");
            cache.put("k", "2");
            cache.remove("k");
            System.out.println("done");
        } finally {
            provider.close();
        }
    }
}
