package io.memring.benchmarks;

import io.memring.jcache.MemringCachingProvider;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.HdrHistogram.Histogram;

/**
 * Single-threaded JCache {@code put} and {@code get} latency through the Memring provider, on stock
 * memcached and on a Memring node started by {@code bin/memring-server}, both {@code -t 2 -m 256},
 * in one run. Each round is made of blocks of 500 put+get pairs, one block on one server then one on
 * the other, so that the machine's noise (other processes on a shared machine) falls on both alike.
 * Reports mean and percentiles per server over all rounds, and each round's p99.
 *
 * <pre>java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
 *     io.memring.benchmarks.ProviderLatency [rounds] [ops-per-round]</pre>
 *
 * The first round is a warm-up and is not counted. Keys: 1,000, values: 100 bytes.
 */
public final class ProviderLatency {
    private static final int KEYS = 1000;
    private static final int BLOCK = 500;

    private ProviderLatency() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        Path root = Path.of(System.getProperty("memring.root", ".")).toAbsolutePath();
        int mcPort = MemoryPerItem.freePort();
        int mrPort = MemoryPerItem.freePort();
        Process memcached = new ProcessBuilder("memcached", "-u", "root", "-U", "0", "-l", "127.0.0.1", "-p", String.valueOf(mcPort),
                "-t", "2", "-m", "256").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Process memring = new ProcessBuilder(root.resolve("remote-server/bin/memring-server").toString(), "-l", "127.0.0.1",
                "-p", String.valueOf(mrPort), "-t", "2", "-m", "256")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        MemringCachingProvider provider = new MemringCachingProvider();
        try {
            MemoryPerItem.awaitPort(mcPort);
            MemoryPerItem.awaitPort(mrPort);
            Target mc = new Target("memcached", cache(provider, mcPort));
            Target mr = new Target("memring", cache(provider, mrPort));
            byte[] value = new byte[100];
            String[] keys = new String[KEYS];
            for (int i = 0; i < KEYS; i++) {
                keys[i] = "lat:" + i;
            }
            System.out.printf(Locale.ROOT, "%d rounds x %d ops per server and op (round 1 = warm-up), 1,000 keys, 100-byte values%n", rounds, ops);
            for (int r = 0; r < rounds; r++) {
                for (int done = 0; done < ops; done += BLOCK) {
                    List<Target> order = (done / BLOCK) % 2 == 0 ? List.of(mc, mr) : List.of(mr, mc);
                    for (Target t : order) {
                        t.block(keys, value, done, Math.min(BLOCK, ops - done));
                    }
                }
                mc.endRound(r > 0);
                mr.endRound(r > 0);
            }
            System.out.println("| server | op | mean µs | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs | ops > 1 ms | p99 per round µs | warm-up round p99 µs |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
            for (String op : new String[] {"put", "get"}) {
                for (Target t : List.of(mc, mr)) {
                    Histogram h = op.equals("put") ? t.put : t.get;
                    List<String> perRound = op.equals("put") ? t.putRounds : t.getRounds;
                    System.out.printf(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %d | %s | %s |%n", t.name, op,
                            h.getMean() / 1000, h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(90) / 1000.0,
                            h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0,
                            h.getCountBetweenValues(TimeUnit.MILLISECONDS.toNanos(1), h.getMaxValue()), String.join(", ", perRound),
                            op.equals("put") ? t.warmUpPut : t.warmUpGet);
                }
            }
        } finally {
            provider.close();
            memcached.destroy();
            memring.descendants().forEach(ProcessHandle::destroy);
            memring.destroy();
            memcached.waitFor(10, TimeUnit.SECONDS);
            memring.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static Cache<String, byte[]> cache(MemringCachingProvider provider, int port) {
        Properties p = new Properties();
        p.setProperty("memring.servers", "127.0.0.1:" + port);
        CacheManager manager = provider.getCacheManager(URI.create("memring://latency-" + port), ProviderLatency.class.getClassLoader(), p);
        return manager.createCache("latency", new MutableConfiguration<String, byte[]>());
    }

    /** One server's cache and its histograms (nanoseconds). */
    private static final class Target {
        final String name;
        final Cache<String, byte[]> cache;
        final Histogram put = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final Histogram get = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final List<String> putRounds = new ArrayList<>();
        final List<String> getRounds = new ArrayList<>();
        String warmUpPut = "";
        String warmUpGet = "";

        Target(String name, Cache<String, byte[]> cache) {
            this.name = name;
            this.cache = cache;
        }

        final Histogram roundPut = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final Histogram roundGet = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);

        void block(String[] keys, byte[] value, int from, int ops) {
            for (int i = from; i < from + ops; i++) {
                String key = keys[i % KEYS];
                long t0 = System.nanoTime();
                cache.put(key, value);
                long t1 = System.nanoTime();
                cache.get(key);
                long t2 = System.nanoTime();
                roundPut.recordValue(t1 - t0);
                roundGet.recordValue(t2 - t1);
            }
        }

        void endRound(boolean record) {
            if (!record) {
                warmUpPut = String.format(Locale.ROOT, "%.0f", roundPut.getValueAtPercentile(99) / 1000.0);
                warmUpGet = String.format(Locale.ROOT, "%.0f", roundGet.getValueAtPercentile(99) / 1000.0);
            } else {
                put.add(roundPut);
                get.add(roundGet);
                putRounds.add(String.format(Locale.ROOT, "%.0f", roundPut.getValueAtPercentile(99) / 1000.0));
                getRounds.add(String.format(Locale.ROOT, "%.0f", roundGet.getValueAtPercentile(99) / 1000.0));
            }
            roundPut.reset();
            roundGet.reset();
        }
    }
}
