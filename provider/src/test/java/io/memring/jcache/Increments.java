package io.memring.jcache;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.MutableEntry;
import javax.cache.spi.CachingProvider;

/**
 * Racing {@code invoke} increments on a few counters, counting what was acknowledged (invoke returned)
 * and what failed with an unknown outcome. Runs in the test's JVM and, through {@link #main}, in a
 * second JVM that {@link ReplicatedFaultIT} starts: a line {@code stop} (or end of input) on stdin
 * stops it, and it prints {@code acked <counter> <n>} and {@code unknown <counter> <n>} lines.
 */
final class Increments {
    static final String CACHE = "counters";

    /** The entry processor: one more than what is there (absent = 0). */
    static final class Increment implements EntryProcessor<String, Long, Long>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public Long process(MutableEntry<String, Long> entry, Object... arguments) {
            long next = (entry.exists() ? entry.getValue() : 0) + 1;
            entry.setValue(next);
            return next;
        }
    }

    final AtomicLongArray acked;
    final AtomicLongArray unknown;
    private final int counters;

    Increments(int counters) {
        this.counters = counters;
        this.acked = new AtomicLongArray(counters);
        this.unknown = new AtomicLongArray(counters);
    }

    static String counter(int i) {
        return "ctr-" + i;
    }

    static MutableConfiguration<String, Long> config() {
        return new MutableConfiguration<String, Long>().setTypes(String.class, Long.class);
    }

    /** Increments the counters round-robin until {@code stop}, or at most {@code maxMillis}. */
    void run(Cache<String, Long> cache, AtomicBoolean stop, long maxMillis) {
        Increment increment = new Increment();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        for (int n = 0; !stop.get() && System.nanoTime() < deadline; n++) {
            int c = n % counters;
            try {
                cache.invoke(counter(c), increment);
                acked.incrementAndGet(c);
            } catch (RuntimeException e) { // outcome unknown (or refused): not counted as acknowledged
                unknown.incrementAndGet(c);
            }
        }
    }

    /** args: servers, number of counters, max millis. */
    public static void main(String[] args) throws Exception {
        int counters = Integer.parseInt(args[1]);
        Properties p = new Properties();
        p.setProperty("memring.servers", args[0]);
        p.setProperty("memring.requestTimeoutMillis", "2000");
        CachingProvider provider = Caching.getCachingProvider(MemringCachingProvider.class.getName());
        Increments inc = new Increments(counters);
        AtomicBoolean stop = new AtomicBoolean();
        Thread stdin = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null && !line.equals("stop"); line = r.readLine()) {
                    // anything else is ignored
                }
            } catch (Exception ignored) {
                // end of input stops too
            }
            stop.set(true);
        });
        stdin.setDaemon(true);
        stdin.start();
        try {
            CacheManager m = provider.getCacheManager(URI.create("memring:increments-jvm"), Increments.class.getClassLoader(), p);
            Cache<String, Long> cache = m.getCache(CACHE, String.class, Long.class);
            if (cache == null) {
                cache = m.createCache(CACHE, config());
            }
            System.out.println("started");
            inc.run(cache, stop, Long.parseLong(args[2]));
        } finally {
            for (int c = 0; c < counters; c++) {
                System.out.println("acked " + counter(c) + " " + inc.acked.get(c));
                System.out.println("unknown " + counter(c) + " " + inc.unknown.get(c));
            }
            System.out.flush();
            provider.close();
        }
    }
}
