package io.memring.benchmarks;

import io.memring.jcache.MemringCachingProvider;
import io.memring.server.MemringServer;
import io.memring.server.ServerConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import net.spy.memcached.CASValue;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.MemcachedClient;
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

/**
 * get/put/getAll/invoke through the Memring provider (1 remote node, 3 remote nodes, embedded, 1 stock
 * memcached node: the generational layout), through
 * spymemcached directly on one node, and through Caffeine's JCache (a local reference), in one JMH
 * run. Nodes run in this JVM on loopback sockets, so "remote" pays the whole protocol path.
 *
 * <pre>java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) org.openjdk.jmh.Main ProviderBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ProviderBenchmark {
    private static final int KEYS = 1000;

    @Param({"memring-1-node", "memring-3-nodes", "memring-embedded", "memcached-1-node", "spymemcached-1-node", "caffeine-jcache"})
    public String target;

    private final List<MemringServer> nodes = new ArrayList<>();
    /** Stock memcached processes (Debian's package) for the provider's generational layout. */
    private final List<Process> memcached = new ArrayList<>();
    private Ops ops;
    private final byte[] value = new byte[100];
    private final String[] keys = new String[KEYS];

    /** One target's implementation of the measured operations. */
    interface Ops extends AutoCloseable {
        Object get(String key);

        void put(String key, byte[] value);

        Object getAll(Set<String> keys);

        Object increment(String key);
    }

    @Setup
    public void setUp() throws Exception {
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "bench:" + i;
        }
        switch (target) {
            case "memring-1-node" -> ops = jcache(new MemringCachingProvider(), servers(1));
            case "memring-3-nodes" -> ops = jcache(new MemringCachingProvider(), servers(3));
            case "memring-embedded" -> ops = jcache(new MemringCachingProvider(), null);
            case "memcached-1-node" -> ops = jcache(new MemringCachingProvider(), stockMemcached());
            case "spymemcached-1-node" -> ops = spymemcached(servers(1));
            case "caffeine-jcache" -> ops = jcache(Caching.getCachingProvider("com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider"), null);
            default -> throw new IllegalArgumentException(target);
        }
        for (String k : keys) {
            ops.put(k, value);
        }
    }

    private String servers(int n) throws Exception {
        StringJoiner j = new StringJoiner(",");
        for (int i = 0; i < n; i++) {
            MemringServer s = MemringServer.start(ServerConfig.defaults().withPort(0).withWorkerThreads(1));
            nodes.add(s);
            j.add("127.0.0.1:" + s.port());
        }
        return j.toString();
    }

    /** One stock memcached on a loopback port (the provider then keys caches under a generation). */
    private String stockMemcached() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Process p = new ProcessBuilder("/usr/bin/memcached", "-p", String.valueOf(port), "-l", "127.0.0.1", "-U", "0", "-t", "1",
                "-m", "64", "-u", "root").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        memcached.add(p);
        for (int i = 0; i < 500; i++) {
            try (java.net.Socket ignored = new java.net.Socket("127.0.0.1", port)) {
                return "127.0.0.1:" + port;
            } catch (java.io.IOException notYet) {
                Thread.sleep(10);
            }
        }
        throw new IllegalStateException("memcached did not listen on " + port);
    }

    private static Ops jcache(CachingProvider provider, String servers) {
        Properties p = new Properties();
        if (servers != null) {
            p.setProperty("memring.servers", servers);
        }
        CacheManager manager = provider.getCacheManager(URI.create("memring://bench-" + System.nanoTime()), ProviderBenchmark.class.getClassLoader(), p);
        Cache<String, byte[]> cache = manager.createCache("bench", new MutableConfiguration<String, byte[]>());
        Cache<String, Long> counters = manager.createCache("counters", new MutableConfiguration<String, Long>());
        return new Ops() {
            @Override
            public Object get(String key) {
                return cache.get(key);
            }

            @Override
            public void put(String key, byte[] v) {
                cache.put(key, v);
            }

            @Override
            public Object getAll(Set<String> keys) {
                return cache.getAll(keys);
            }

            @Override
            public Object increment(String key) {
                return counters.invoke(key, (entry, args) -> {
                    long next = entry.exists() ? entry.getValue() + 1 : 1;
                    entry.setValue(next);
                    return next;
                });
            }

            @Override
            public void close() {
                manager.close();
                provider.close();
            }
        };
    }

    private static Ops spymemcached(String servers) throws Exception {
        String[] hp = servers.split(":");
        MemcachedClient spy = new MemcachedClient(new ConnectionFactoryBuilder().setProtocol(ConnectionFactoryBuilder.Protocol.TEXT)
                .setOpTimeout(5000).build(), List.of(new InetSocketAddress(hp[0], Integer.parseInt(hp[1]))));
        return new Ops() {
            @Override
            public Object get(String key) {
                return spy.get(key);
            }

            @Override
            public void put(String key, byte[] v) {
                try {
                    spy.set(key, 0, v).get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public Object getAll(Set<String> keys) {
                return spy.getBulk(keys);
            }

            /** The same atomic increment as invoke: read with CAS, write back, retry on conflict. */
            @Override
            public Object increment(String key) {
                for (int attempt = 0; attempt < 100; attempt++) {
                    CASValue<Object> cur = spy.gets(key);
                    if (cur == null) {
                        try {
                            if (spy.add(key, 0, 1L).get()) {
                                return 1L;
                            }
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        continue;
                    }
                    long next = (Long) cur.getValue() + 1;
                    if (spy.cas(key, cur.getCas(), next) == net.spy.memcached.CASResponse.OK) {
                        return next;
                    }
                }
                throw new IllegalStateException("too many CAS conflicts");
            }

            @Override
            public void close() {
                spy.shutdown(5, TimeUnit.SECONDS);
            }
        };
    }

    @TearDown
    public void tearDown() throws Exception {
        ops.close();
        nodes.forEach(MemringServer::close);
        nodes.clear();
        for (Process p : memcached) {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        memcached.clear();
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

    @Benchmark
    public Object getAll10() {
        Set<String> ten = new HashSet<>();
        int start = ThreadLocalRandom.current().nextInt(KEYS - 10);
        for (int i = 0; i < 10; i++) {
            ten.add(keys[start + i]);
        }
        return ops.getAll(ten);
    }

    @Benchmark
    public Object invokeIncrement() {
        return ops.increment("counter:" + ThreadLocalRandom.current().nextInt(100));
    }
}
