package io.memring.benchmarks;

import com.hazelcast.cache.HazelcastCachingProvider;
import com.hazelcast.cache.ICache;
import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.NearCacheConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.nearcache.NearCacheStats;
import io.memring.jcache.MemringCachingProvider;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.redisson.Redisson;
import org.redisson.api.RLocalCachedMap;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.LocalCachedMapOptions;
import org.redisson.config.Config;
import org.redisson.jcache.configuration.RedissonConfiguration;

/**
 * The distributed JCache peers side by side with Memring, in one JMH run on this machine (issue 11):
 * JCache {@code get}, {@code put} and {@code getAll} of 10 keys, 10,000 keys of 100-byte values, one
 * benchmark thread, through
 * <ul>
 *   <li>{@code memring}: Memring's provider on a Memring node ({@code remote-server/bin/memring-server},
 *       a separate process), and {@code memring-near}: the same with {@code memring.nearCache.maxEntries}
 *       (and {@code ttlMillis} 60 s: longer than a fork runs);</li>
 *   <li>{@code caffeine-jcache}: Caffeine's JCache in this JVM (the local reference for a near hit);</li>
 *   <li>{@code redisson}: Redisson's JCache on Debian's {@code redis-server} (started here on a loopback
 *       port, no persistence), and {@code redisson-localcached}: Redisson's near cache, which open-source
 *       Redisson offers only as {@code RLocalCachedMap} (its JCache near cache is Redisson PRO), through
 *       the map API ({@code get}, {@code fastPut}, {@code getAll});</li>
 *   <li>{@code hazelcast}: Hazelcast's JCache client against one Hazelcast member in its own JVM
 *       ({@link HazelcastMember}), and {@code hazelcast-near}: the same with the client near cache.</li>
 * </ul>
 * Every cache is a default {@link MutableConfiguration} (store-by-value, eternal). Before measuring,
 * every key is written once and read once, so near caches hold every key: a near-cache {@code get} is a
 * hit. Each target and operation runs in its own forked JVM (JMH's default), which starts and stops the
 * servers it needs. The run command is {@code benchmarks/run-peers.sh}; results in benchmarks/README.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PeersBenchmark {
    static final int KEYS = 10_000;
    static final int VALUE_BYTES = 100;
    static final int GET_ALL = 10;
    private static final String CACHE = "bench";

    @Param({"memring", "memring-near", "caffeine-jcache", "redisson", "redisson-localcached", "hazelcast", "hazelcast-near"})
    public String target;

    private final String[] keys = new String[KEYS];
    private final byte[] value = new byte[VALUE_BYTES];
    private ChildProcess server;
    private Ops ops;

    /** One target's implementation of the measured operations. */
    interface Ops extends AutoCloseable {
        Object get(String key);

        void put(String key, byte[] value);

        Map<String, byte[]> getAll(Set<String> keys);

        /** Near-cache statistics after the run, when the target has them ("" otherwise). */
        default String nearStats() {
            return "";
        }
    }

    @Setup
    public void setUp() throws Exception {
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "k:" + i;
        }
        new Random(42).nextBytes(value);
        switch (target) {
            case "memring" -> ops = memring(false);
            case "memring-near" -> ops = memring(true);
            case "caffeine-jcache" -> ops = jcache(Caching.getCachingProvider("com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider"),
                    new Properties(), new MutableConfiguration<>());
            case "redisson" -> ops = redisson(false);
            case "redisson-localcached" -> ops = redisson(true);
            case "hazelcast" -> ops = hazelcast(false);
            case "hazelcast-near" -> ops = hazelcast(true);
            default -> throw new IllegalArgumentException(target);
        }
        for (String k : keys) {
            ops.put(k, value);
        }
        for (String k : keys) {
            if (ops.get(k) == null) {
                throw new IllegalStateException(target + ": " + k + " missing after the preload");
            }
        }
    }

    @TearDown
    public void tearDown() throws Exception {
        try {
            System.out.println();
            System.out.println(target + " load average at the end: " + loadAverage());
            String stats = ops.nearStats();
            if (!stats.isEmpty()) {
                System.out.println(target + " near cache: " + stats);
            }
        } finally {
            try {
                ops.close();
            } finally {
                if (server != null) {
                    server.close();
                }
            }
        }
    }

    /** The machine's 1-, 5- and 15-minute load averages: on a shared machine, the context of a figure. */
    static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private String randomKey() {
        return keys[ThreadLocalRandom.current().nextInt(KEYS)];
    }

    @Benchmark
    public Object get() {
        return ops.get(randomKey());
    }

    @Benchmark
    public void put() {
        ops.put(randomKey(), value);
    }

    /** Ten distinct random keys per call; building the set costs the same for every target. */
    @Benchmark
    public Object getAll() {
        Set<String> ten = new HashSet<>(16);
        while (ten.size() < GET_ALL) {
            ten.add(randomKey());
        }
        Map<String, byte[]> got = ops.getAll(ten);
        if (got.size() != GET_ALL) {
            throw new IllegalStateException(target + ": getAll returned " + got.size() + " of " + GET_ALL);
        }
        return got;
    }

    // ---- targets ----

    private Ops memring(boolean near) throws Exception {
        Path root = Path.of(System.getProperty("memring.root", ".")).toAbsolutePath();
        int port = MemoryPerItem.freePort();
        server = ChildProcess.start("memring-server", List.of(root.resolve("remote-server/bin/memring-server").toString(),
                "-l", "127.0.0.1", "-p", String.valueOf(port), "-t", "2", "-m", "256"));
        MemoryPerItem.awaitPort(port);
        server.checkAlive();
        Properties p = new Properties();
        p.setProperty("memring.servers", "127.0.0.1:" + port);
        if (near) {
            p.setProperty("memring.nearCache.maxEntries", String.valueOf(2 * KEYS));
            // The default staleness bound (5 s) would drop every entry every 5 s even with pushes live,
            // making ~1% of gets misses; the peers' near caches have no such bound by default. 60 s is
            // longer than one fork's run, so the get figure is the near hit's.
            p.setProperty("memring.nearCache.ttlMillis", "60000");
        }
        MemringCachingProvider provider = new MemringCachingProvider();
        JCacheOps jcache = jcache(provider, p, new MutableConfiguration<>(), provider);
        if (!near) {
            return jcache;
        }
        // Fail this target loudly rather than measure remote gets under the near cache's name.
        Object stats = nearCacheStats(jcache.cache);
        return new Ops() {
            @Override
            public Object get(String key) {
                return jcache.get(key);
            }

            @Override
            public void put(String key, byte[] v) {
                jcache.put(key, v);
            }

            @Override
            public Map<String, byte[]> getAll(Set<String> keys) {
                return jcache.getAll(keys);
            }

            @Override
            public String nearStats() {
                return describe(stats);
            }

            @Override
            public void close() throws Exception {
                jcache.close();
            }
        };
    }

    /**
     * The Memring near cache's statistics object ({@code io.memring.jcache.near.NearCacheStats}),
     * looked up by name so that this module builds on a provider without a near cache.
     */
    private static Object nearCacheStats(Cache<?, ?> cache) {
        try {
            return cache.unwrap(Class.forName("io.memring.jcache.near.NearCacheStats"));
        } catch (ClassNotFoundException | IllegalArgumentException e) {
            throw new IllegalStateException("memring.nearCache.maxEntries gave this cache no near cache (provider without one?)", e);
        }
    }

    /** name=value for each public no-argument getter of {@code stats}. */
    private static String describe(Object stats) {
        StringJoiner j = new StringJoiner(", ");
        for (Method m : stats.getClass().getMethods()) {
            if (m.getName().startsWith("get") && m.getParameterCount() == 0 && m.getDeclaringClass() != Object.class) {
                try {
                    j.add(m.getName().substring(3) + "=" + m.invoke(stats));
                } catch (ReflectiveOperationException e) {
                    j.add(m.getName().substring(3) + "=?");
                }
            }
        }
        return j.toString();
    }

    private Ops redisson(boolean localCached) throws Exception {
        int port = MemoryPerItem.freePort();
        server = ChildProcess.start("redis-server", List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no"));
        MemoryPerItem.awaitPort(port);
        server.checkAlive();
        Config config = new Config();
        config.useSingleServer().setAddress("redis://127.0.0.1:" + port);
        RedissonClient redisson = Redisson.create(config);
        System.out.println();
        System.out.println(target + ": Redisson codec " + redisson.getConfig().getCodec().getClass().getSimpleName());
        if (!localCached) {
            CachingProvider provider = Caching.getCachingProvider("org.redisson.jcache.JCachingProvider");
            return jcache(provider, new Properties(), RedissonConfiguration.fromInstance(redisson, new MutableConfiguration<>()), provider,
                    redisson::shutdown);
        }
        RLocalCachedMap<String, byte[]> map = redisson.getLocalCachedMap(LocalCachedMapOptions.<String, byte[]>name(CACHE).cacheSize(2 * KEYS));
        return new Ops() {
            @Override
            public Object get(String key) {
                return map.get(key);
            }

            @Override
            public void put(String key, byte[] v) {
                map.fastPut(key, v);
            }

            @Override
            public Map<String, byte[]> getAll(Set<String> keys) {
                return map.getAll(keys);
            }

            @Override
            public String nearStats() {
                return map.getCachedMap().size() + " entries held locally";
            }

            @Override
            public void close() {
                redisson.shutdown();
            }
        };
    }

    private Ops hazelcast(boolean near) throws Exception {
        int port = MemoryPerItem.freePort();
        String cluster = "peers-" + ProcessHandle.current().pid();
        server = ChildProcess.start("hazelcast-member", List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms1g", "-Xmx1g", "-cp", System.getProperty("java.class.path"), HazelcastMember.class.getName(),
                String.valueOf(port), cluster));
        MemoryPerItem.awaitPort(port);
        server.checkAlive();
        System.setProperty("hazelcast.phone.home.enabled", "false");
        System.setProperty("hazelcast.logging.type", "slf4j");
        ClientConfig config = new ClientConfig();
        config.setClusterName(cluster);
        config.getNetworkConfig().addAddress("127.0.0.1:" + port);
        config.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(60_000);
        if (near) {
            // Defaults otherwise: BINARY in-memory format (a hit deserializes, as a store-by-value cache
            // must), invalidate-on-change, no expiry. Sized to hold every key.
            NearCacheConfig nc = new NearCacheConfig(CACHE);
            nc.getEvictionConfig().setSize(2 * KEYS);
            config.addNearCacheConfig(nc);
        }
        HazelcastInstance client = HazelcastClient.newHazelcastClient(config);
        CachingProvider provider = Caching.getCachingProvider(HazelcastCachingProvider.CLIENT_CACHING_PROVIDER);
        JCacheOps jcache = jcache(provider, HazelcastCachingProvider.propertiesByInstanceItself(client), new MutableConfiguration<>(),
                client::shutdown, provider);
        return new Ops() {
            @Override
            public Object get(String key) {
                return jcache.get(key);
            }

            @Override
            public void put(String key, byte[] v) {
                jcache.put(key, v);
            }

            @Override
            public Map<String, byte[]> getAll(Set<String> keys) {
                return jcache.getAll(keys);
            }

            @Override
            public String nearStats() {
                if (!near) {
                    return "";
                }
                NearCacheStats s = jcache.cache.unwrap(ICache.class).getLocalCacheStatistics().getNearCacheStatistics();
                return s == null ? "none" : "hits " + s.getHits() + ", misses " + s.getMisses() + ", entries " + s.getOwnedEntryCount();
            }

            @Override
            public void close() throws Exception {
                jcache.close();
            }
        };
    }

    /** A JCache target: one cache "bench" in a new CacheManager of {@code provider}. */
    private static JCacheOps jcache(CachingProvider provider, Properties properties, javax.cache.configuration.Configuration<String, byte[]> config,
            AutoCloseable... closeAfter) {
        // The provider's default URI: Memring reads a properties file from any other URI.
        CacheManager manager = provider.getCacheManager(provider.getDefaultURI(), PeersBenchmark.class.getClassLoader(), properties);
        return new JCacheOps(manager, manager.createCache(CACHE, config), closeAfter);
    }

    /** get/put/getAll on one JCache; closes its manager, then {@code closeAfter} in order. */
    static class JCacheOps implements Ops {
        final CacheManager manager;
        final Cache<String, byte[]> cache;
        private final AutoCloseable[] closeAfter;

        JCacheOps(CacheManager manager, Cache<String, byte[]> cache, AutoCloseable... closeAfter) {
            this.manager = manager;
            this.cache = cache;
            this.closeAfter = closeAfter;
        }

        @Override
        public Object get(String key) {
            return cache.get(key);
        }

        @Override
        public void put(String key, byte[] v) {
            cache.put(key, v);
        }

        @Override
        public Map<String, byte[]> getAll(Set<String> keys) {
            return cache.getAll(keys);
        }

        @Override
        public void close() throws Exception {
            manager.close();
            for (AutoCloseable c : closeAfter) {
                c.close();
            }
        }
    }
}
