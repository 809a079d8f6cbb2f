package io.memring.samples.plain;

import java.io.PrintStream;
import java.net.URI;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
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
        run(new Properties(), System.out); // -Dmemring.servers=... and other -Dmemring.* apply
    }

    /**
     * Runs the sample with the given Memring settings ({@code memring.servers} absent: an embedded node),
     * printing to {@code out}.
     */
    public static void run(Properties settings, PrintStream out) throws InterruptedException {
        String servers = System.getProperty("memring.servers", settings.getProperty("memring.servers", "")); // -D wins
        out.println("memring.servers = " + (servers.isEmpty() ? "(none: embedded node)" : servers));
        CachingProvider provider = Caching.getCachingProvider();
        try {
            ClassLoader loader = PlainJavaSample.class.getClassLoader();
            CacheManager manager = provider.getCacheManager(URI.create("memring://first-instance"), loader, settings);
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
            out.println("visits of /home after 10 increments: " + visits.get("/home"));

            // A second application instance: its own CacheManager and connections, same entries. Each
            // instance creates the caches it uses (getCache returns null for a cache this JVM never created).
            CacheManager other = provider.getCacheManager(URI.create("memring://second-instance"), loader, settings);
            Cache<String, Long> seenByOther = other.createCache("visits", config);
            out.println("the other instance reads /home = " + seenByOther.get("/home"));
            seenByOther.put("/about", 7L);
            out.println("the first instance reads /about = " + visits.get("/about"));

            // Read-through: a miss calls the loader once; the loaded value is then on the nodes for everyone.
            Cache<String, String> countries = manager.createCache("countries", new MutableConfiguration<String, String>()
                    .setTypes(String.class, String.class)
                    .setReadThrough(true)
                    .setCacheLoaderFactory(FactoryBuilder.factoryOf(new CountryNames())));
            countries.clear();
            int loadsBefore = CountryNames.loads();
            out.println("country NO: " + countries.get("NO"));
            out.println("country NO again: " + countries.get("NO"));
            out.println("loader calls: " + (CountryNames.loads() - loadsBefore));

            // An entry listener: synchronous, with old values. It hears this CacheManager's operations.
            Cache<String, String> carts = manager.createCache("carts", new MutableConfiguration<String, String>()
                    .setTypes(String.class, String.class)
                    .addCacheEntryListenerConfiguration(new MutableCacheEntryListenerConfiguration<>(
                            FactoryBuilder.factoryOf(new PrintingListener<String, String>(out)), null, true, true)));
            carts.clear();
            carts.put("alice", "1 book");
            carts.put("alice", "2 books");
            carts.remove("alice");

            // Expiry with millisecond precision (memcached's own TTL is whole seconds).
            Cache<String, String> sessions = manager.createCache("sessions", new MutableConfiguration<String, String>()
                    .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, 1500))));
            sessions.put("token", "alice");
            out.println("session right away: " + sessions.get("token"));
            Thread.sleep(2000);
            out.println("session after 2000 ms (expiry 1500 ms): " + sessions.get("token"));

            long entries = 0;
            for (Cache.Entry<String, Long> ignored : visits) {
                entries++;
            }
            out.println("entries in visits: " + entries);
            for (String name : new String[] {"visits", "countries", "carts", "sessions"}) {
                manager.destroyCache(name);
            }
            out.println("done");
        } finally {
            provider.close();
        }
    }
}
