package io.memring.benchmarks;

import io.memring.jcache.MemringCachingProvider;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;

/**
 * JCache {@code put} with the near cache on vs off, against one Memring node process, in one JVM and
 * one run: two CacheManagers (own clients), one with {@code memring.nearCache.maxEntries}, each on its
 * own cache, 100-byte values on 10,000 keys, one thread. Batches alternate (off-on, then on-off) so that
 * the machine's load lands on both alike; it prints each round, the median of the per-round ratios
 * (near-on time / near-off time), and the calling thread's CPU per put (independent of the load).
 *
 * <pre>java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) io.memring.benchmarks.NearPutCost [rounds] [batch]</pre>
 */
public final class NearPutCost {
    private static final int KEYS = 10_000;

    private NearPutCost() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
        Path root = Path.of(System.getProperty("memring.root", ".")).toAbsolutePath();
        int port = MemoryPerItem.freePort();
        try (ChildProcess server = ChildProcess.start("memring-server", List.of(root.resolve("remote-server/bin/memring-server").toString(),
                "-l", "127.0.0.1", "-p", String.valueOf(port), "-t", "2", "-m", "256"))) {
            MemoryPerItem.awaitPort(port);
            server.checkAlive();
            CacheManager offManager = manager(port, false);
            CacheManager onManager = manager(port, true);
            Cache<String, byte[]> off = offManager.createCache("off", new MutableConfiguration<>());
            Cache<String, byte[]> on = onManager.createCache("on", new MutableConfiguration<>());
            byte[] value = new byte[100];
            new Random(1).nextBytes(value);
            Random keys = new Random(2);
            for (int i = 0; i < 30_000; i++) { // warm-up: JIT, connections, every key once
                off.put("k:" + (i % KEYS), value);
                on.put("k:" + (i % KEYS), value);
            }
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            double[] ratio = new double[rounds];
            double[] offUs = new double[rounds];
            double[] onUs = new double[rounds];
            long offCpu = 0;
            long onCpu = 0;
            for (int r = 0; r < rounds; r++) {
                long[] a;
                long[] b;
                if (r % 2 == 0) {
                    a = time(off, batch, keys, value, threads);
                    b = time(on, batch, keys, value, threads);
                } else {
                    b = time(on, batch, keys, value, threads);
                    a = time(off, batch, keys, value, threads);
                }
                offUs[r] = a[0] / 1000.0 / batch;
                onUs[r] = b[0] / 1000.0 / batch;
                offCpu += a[1];
                onCpu += b[1];
                ratio[r] = onUs[r] / offUs[r];
                System.out.printf("round %2d: near off %7.1f us/put, near on %7.1f us/put, on/off %.2f%n", r, offUs[r], onUs[r], ratio[r]);
            }
            System.out.printf("median of %d rounds of %d puts: near off %.1f us/put, near on %.1f us/put, median on/off ratio %.2f%n",
                    rounds, batch, median(offUs), median(onUs), median(ratio));
            System.out.printf("calling thread CPU per put: near off %.2f us, near on %.2f us%n",
                    offCpu / 1000.0 / rounds / batch, onCpu / 1000.0 / rounds / batch);
            System.out.println("near cache: " + on.unwrap(io.memring.jcache.near.NearCacheStats.class));
            onManager.close();
            offManager.close();
        }
    }

    private static CacheManager manager(int port, boolean near) {
        Properties p = new Properties();
        p.setProperty("memring.servers", "127.0.0.1:" + port);
        if (near) {
            p.setProperty("memring.nearCache.maxEntries", String.valueOf(2 * KEYS));
        }
        MemringCachingProvider provider = new MemringCachingProvider();
        return provider.getCacheManager(URI.create("memring://near-put-" + near), NearPutCost.class.getClassLoader(), p);
    }

    /** {wall nanos, calling thread CPU nanos} of {@code n} puts of random keys. */
    private static long[] time(Cache<String, byte[]> cache, int n, Random keys, byte[] value, ThreadMXBean threads) {
        long cpu = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            cache.put("k:" + keys.nextInt(KEYS), value);
        }
        return new long[] {System.nanoTime() - t0, threads.getCurrentThreadCpuTime() - cpu};
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
