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
 * each its own process with {@code -t 2}; a blocking get's round trip on each node is printed beside,
 * and, on the Memring node, the same events read by a plain blocking socket in this JVM (no client
 * library: what the node's push costs alone).
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
        System.out.printf("%-22s %8s %10s %10s %10s %10s %14s%n", "node", "updates", "p50 us", "p99 us", "max us",
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
                boolean raw = name.equals("memring");
                measure(name, "warm:", WARMUP, a, b, false, raw ? port : 0);
                measure(name, "inv:", n, a, b, true, raw ? port : 0);
            }
        } finally {
            node.destroy();
            node.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void measure(String name, String prefix, int n, RingClient a, RingClient b, boolean print, int rawPort)
            throws Exception {
        long[] sent = new long[n];
        long[] seen = new long[n];
        long[] rawSeen = new long[n];
        RawSubscriber raw = rawPort == 0 ? null : new RawSubscriber(rawPort, prefix, rawSeen);
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
            if (raw != null) {
                raw.await(n);
                raw.close();
            }
            long[] rtt = new long[Math.min(n, 5_000)];
            for (int i = 0; i < rtt.length; i++) {
                long t0 = System.nanoTime();
                writer.get((prefix + i).getBytes(StandardCharsets.US_ASCII));
                rtt[i] = System.nanoTime() - t0;
            }
            if (!print) {
                return;
            }
            Arrays.sort(rtt);
            print(name + " (client sink)", sent, seen, rtt, "mode " + sub.mode() + ", resets " + resets.get());
            if (raw != null) {
                print(name + " (raw socket)", sent, rawSeen, rtt, "the node's push alone");
            }
        }
    }

    private static void print(String label, long[] sent, long[] seen, long[] sortedRtt, String note) {
        int n = sent.length;
        long[] delays = new long[n];
        int got = 0;
        for (int i = 0; i < n; i++) {
            if (seen[i] != 0) {
                delays[got++] = seen[i] - sent[i];
            }
        }
        long[] d = Arrays.copyOf(delays, got);
        Arrays.sort(d);
        System.out.printf("%-22s %8d %10.1f %10.1f %10.1f %10d %14.1f   (%s)%n", label, n, pct(d, 0.50), pct(d, 0.99),
                d.length == 0 ? 0 : d[d.length - 1] / 1000.0, n - got, pct(sortedRtt, 0.50), note);
    }

    /** A plain blocking socket subscribed in keys mode, stamping each event's arrival (its own thread). */
    private static final class RawSubscriber implements AutoCloseable {
        private final java.net.Socket socket;
        private final Thread reader;
        private final AtomicInteger count = new AtomicInteger();

        RawSubscriber(int port, String prefix, long[] seen) throws Exception {
            socket = new java.net.Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            socket.getOutputStream().write(("mr_watch 0000000000000bad keys "
                    + java.util.Base64.getEncoder().encodeToString(prefix.getBytes(StandardCharsets.US_ASCII)) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            java.io.BufferedReader in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String first = in.readLine();
            if (first == null || !first.startsWith("MW ")) {
                throw new IllegalStateException("no MW: " + first);
            }
            reader = new Thread(() -> {
                try {
                    String line;
                    while ((line = in.readLine()) != null) {
                        long now = System.nanoTime();
                        if (!line.startsWith("ME ")) {
                            continue;
                        }
                        String keyB64 = line.split(" ", 5)[3];
                        String key = new String(java.util.Base64.getDecoder().decode(keyB64), StandardCharsets.US_ASCII);
                        seen[Integer.parseInt(key.substring(prefix.length()))] = now;
                        count.incrementAndGet();
                    }
                } catch (java.io.IOException e) {
                    // closed
                }
            }, "raw-subscriber");
            reader.setDaemon(true);
            reader.start();
        }

        void await(int n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (count.get() < n && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }

        @Override
        public void close() throws Exception {
            socket.close();
            reader.join(5000);
        }
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))] / 1000.0;
    }
}
