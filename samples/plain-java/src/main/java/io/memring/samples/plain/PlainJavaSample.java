package io.memring.samples.plain;

import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.spi.CachingProvider;

/**
 * Uses a cache through {@code javax.cache} only. With {@code -Dmemring.servers=host:port,...} the
 * entries live on that cluster; without it, on an embedded node. Two CacheManagers with their own
 * connections stand for two application instances sharing the cache.
 */
public final class PlainJavaSample {
    private PlainJavaSample() {
    }

    public static void main(String[] args) throws Exception {
        String servers = System.getProperty("memring.servers", "");
        System.out.println("memring.servers = " + (servers.isEmpty() ? "(none: embedded node)" : servers));
        CachingProvider provider = Caching.getCachingProvider();
        try {
            CacheManager manager = provider.getCacheManager();
            MutableConfiguration<String, Long> config = new MutableConfiguration<String, Long>()
                    .setTypes(String.class, Long.class)
                    .setStatisticsEnabled(true);
            Cache<String, Long> visits = manager.createCache("visits", config);
            visits.clear();

            // Atomic read-modify-write, safe across JVMs.
            for (int i = 0; i < 10; i++) {
                visits.invoke("/home", (entry, a) -> {
                    entry.setValue(entry.exists() ? entry.getValue() + 1 : 1L);
                    return null;
                });
            }
            System.out.println("visits of /home after 10 increments: " + visits.get("/home"));

            // A second application instance: its own CacheManager and connections, same entries.
            CacheManager other = provider.getCacheManager(java.net.URI.create("memring://second-instance"),
                    PlainJavaSample.class.getClassLoader());
            Cache<String, Long> seenByOther = other.createCache("visits", config);
            System.out.println("the other instance reads /home = " + seenByOther.get("/home"));
            seenByOther.put("/about", 7L);
            System.out.println("the first instance reads /about = " + visits.get("/about"));

            // Expiry with millisecond precision.
            Cache<String, String> sessions = manager.createCache("sessions", new MutableConfiguration<String, String>()
                    .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 500))));
            sessions.put("token", "alice");
            System.out.println("session right away: " + sessions.get("token"));
            Thread.sleep(700);
            System.out.println("session after 700 ms: " + sessions.get("token"));

            long entries = 0;
            for (Cache.Entry<String, Long> ignored : visits) {
                entries++;
            }
            System.out.println("entries in visits: " + entries);
            manager.destroyCache("visits");
            manager.destroyCache("sessions");
            System.out.println("done");
        } finally {
            provider.close();
        }
    }
}
