package io.memring.jcache;

import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;

/**
 * The README's zero-config snippet as a program, run in a child JVM by {@link JvmExitIT}. Argument:
 * {@code forget} (closes nothing), {@code manager} (closes the CacheManager only) or {@code provider}.
 * {@code -Dmemring.servers} points it at a cluster. It prints the value it read back, then returns.
 */
public final class ReadmeProgram {
    private ReadmeProgram() {
    }

    public static void main(String[] args) {
        CachingProvider provider = Caching.getCachingProvider();
        CacheManager manager = provider.getCacheManager();
        Cache<String, Integer> cache = manager.createCache("readme", new MutableConfiguration<String, Integer>());
        cache.put("answer", 42);
        System.out.println("read back " + cache.get("answer"));
        switch (args[0]) {
            case "forget" -> { }
            case "manager" -> manager.close();
            case "provider" -> provider.close();
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
