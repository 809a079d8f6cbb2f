package io.memring.benchmarks;

import io.memring.client.BlockingClient;
import io.memring.client.ClientConfig;
import io.memring.client.MemcacheClients;
import io.memring.client.routing.RingClient;
import io.memring.client.watch.Mutation;
import io.memring.client.watch.MutationSink;
import io.memring.client.watch.ResetReason;
import io.memring.client.watch.WatchSubscription;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Invalidation delay: client B stores {@code n} keys one after the other (blocking sets, 100-byte
 * values); client A, subscribed to their prefix, stamps each event as its sink receives it. The delay
 * is the sink's time minus the time just before B sent the set. Against a Memring node (pushed
 * {@code ME} events) and, in the same run, stock memcached 1.6's {@code watch mutations} (best effort),
 * each its own process with {@code -t 2}; a blocking get's round trip on each node is printed beside.
 *
 * <pre>java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
 *     io.memring.benchmarks.InvalidationDelay [updates]</pre>
 */
public final class InvalidationDelay {
    private static final int WARMUP = 2_000;

    private InvalidationDelay() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Path root = Path.of(System.getProperty("memring.root", ".")).toAbsolutePath();
        System.out.printf("%-16s %8s %10s %10s %10s %10s %14s%n", "node", "updates", "p50 us", "p99 us", "max us",
                "lost", "get rtt p50 us");
        run("memring", n, port -> new ProcessBuilder(root.resolve("remote-server/bin/memring-server").toString(),
                "-p", String.valueOf(port), "-t", "2", "-m", "256"));
        run("memcached 1.6", n, port -> new ProcessBuilder("memcached", "-p", String.valueOf(port), "-t", "2", "-m", "256",
                "-l", "127.0.0.1", "-U", "0", "-u", "nobody"));
    }

    interface Launcher {
        ProcessBuilder at(int port);
    }

    private static void run(String name, int n, Launcher launcher) throws Exception {
        int port = MemoryPerItem.freePort();
        Process node = launcher.at(port).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            MemoryPerItem.awaitPort(port);
            List<InetSocketAddress> servers = List.of(new InetSocketAddress("127.0.0.1", port));
            try (RingClient a = MemcacheClients.create(ClientConfig.builder().servers(servers).build());
                 RingClient b = MemcacheClients.create(ClientConfig.builder().servers(servers).build())) {
                a.awaitFirstConnect(java.time.Duration.ofSeconds(5));
                b.awaitFirstConnect(java.time.Duration.ofSeconds(5));
                measure(name, "warm:", WARMUP, a, b, false);
                measure(name, "inv:", n, a, b, true);
            }
        } finally {
            node.destroy();
            node.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void measure(String name, String prefix, int n, RingClient a, RingClient b, boolean print) throws Exception {
        long[] sent = new long[n];
        long[] seen = new long[n];
        AtomicInteger resets = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(n);
        byte[] prefixBytes = prefix.getBytes(StandardCharsets.US_ASCII);
        MutationSink sink = new MutationSink() {
            @Override
            public void mutation(Mutation m) {
                long now = System.nanoTime();
                int i = Integer.parseInt(new String(m.key(), prefixBytes.length, m.key().length - prefixBytes.length,
                        StandardCharsets.US_ASCII));
                if (seen[i] == 0) {
                    seen[i] = now;
                    all.countDown();
                }
            }

            @Override
            public void reset(InetSocketAddress node, ResetReason reason) {
                resets.incrementAndGet();
            }
        };
        byte[] value = new byte[100];
        BlockingClient writer = b.blocking();
        try (WatchSubscription sub = a.watch(prefixBytes, false, sink)) {
            for (int i = 0; i < n; i++) {
                byte[] key = (prefix + i).getBytes(StandardCharsets.US_ASCII);
                sent[i] = System.nanoTime();
                writer.set(key, value, 0, 0);
            }
            all.await(10, TimeUnit.SECONDS);
            long[] rtt = new long[Math.min(n, 5_000)];
            for (int i = 0; i < rtt.length; i++) {
                long t0 = System.nanoTime();
                writer.get((prefix + i).getBytes(StandardCharsets.US_ASCII));
                rtt[i] = System.nanoTime() - t0;
            }
            if (!print) {
                return;
            }
            long[] delays = new long[n];
            int got = 0;
            for (int i = 0; i < n; i++) {
                if (seen[i] != 0) {
                    delays[got++] = seen[i] - sent[i];
                }
            }
            long[] d = Arrays.copyOf(delays, got);
            Arrays.sort(d);
            Arrays.sort(rtt);
            System.out.printf("%-16s %8d %10.1f %10.1f %10.1f %10d %14.1f   (mode %s, resets %d)%n", name, n,
                    pct(d, 0.50), pct(d, 0.99), d.length == 0 ? 0 : d[d.length - 1] / 1000.0, n - got,
                    pct(rtt, 0.50), sub.mode(), resets.get());
        }
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))] / 1000.0;
    }
}
