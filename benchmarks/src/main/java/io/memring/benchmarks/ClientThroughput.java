package io.memring.benchmarks;

import io.memring.client.BlockingClient;
import io.memring.client.ClientConfig;
import io.memring.client.MemcacheClients;
import io.memring.client.routing.RingClient;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.MemcachedClient;

/**
 * Client throughput against one node: 16 threads doing blocking 100-byte gets or sets for a fixed
 * time, through our client and through spymemcached (text protocol), against the same Memring node,
 * alternating rounds in one run.
 *
 * <pre>java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
 *     io.memring.benchmarks.ClientThroughput [seconds-per-round] [rounds]</pre>
 */
public final class ClientThroughput {
    private static final int THREADS = 16;
    private static final int KEYS = 10_000;
    private static final byte[] VALUE = new byte[100];

    private ClientThroughput() {
    }

    interface Op {
        void run(int key) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path root = Path.of(System.getProperty("memring.root", ".")).toAbsolutePath();
        int port = MemoryPerItem.freePort();
        Process node = new ProcessBuilder(root.resolve("remote-server/bin/memring-server").toString(), "-p", String.valueOf(port),
                "-t", "2", "-m", "256").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            MemoryPerItem.awaitPort(port);
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            RingClient ours = MemcacheClients.create(ClientConfig.builder().servers(List.of(address)).build());
            MemcachedClient spy = new MemcachedClient(new ConnectionFactoryBuilder()
                    .setProtocol(ConnectionFactoryBuilder.Protocol.TEXT).setOpTimeout(5000).build(), List.of(address));
            try {
                BlockingClient blocking = ours.blocking();
                byte[][] keys = new byte[KEYS][];
                String[] stringKeys = new String[KEYS];
                for (int i = 0; i < KEYS; i++) {
                    stringKeys[i] = "bench:" + i;
                    keys[i] = stringKeys[i].getBytes(StandardCharsets.US_ASCII);
                    blocking.set(keys[i], VALUE, 0, 0);
                }
                System.out.printf("node %s, %d threads, 100-byte values, %d keys, %d s rounds%n", address, THREADS, KEYS, seconds);
                System.out.printf("%-6s %-12s %12s %12s %8s%n", "round", "op", "memring", "spymemcached", "ratio");
                for (int round = 1; round <= rounds; round++) {
                    for (String op : new String[] {"get", "set"}) {
                        boolean get = op.equals("get");
                        Op oursOp = get ? k -> blocking.get(keys[k]) : k -> blocking.set(keys[k], VALUE, 0, 0);
                        Op spyOp = get ? k -> spy.get(stringKeys[k]) : k -> spy.set(stringKeys[k], 0, VALUE).get();
                        // alternate which client goes first so neither always gets the warmer machine
                        double a;
                        double b;
                        if (round % 2 == 1) {
                            a = measure(oursOp, seconds);
                            b = measure(spyOp, seconds);
                        } else {
                            b = measure(spyOp, seconds);
                            a = measure(oursOp, seconds);
                        }
                        System.out.printf("%-6d %-12s %12.0f %12.0f %8.2f%n", round, op, a, b, a / b);
                    }
                }
            } finally {
                ours.close();
                spy.shutdown(5, TimeUnit.SECONDS);
            }
        } finally {
            node.descendants().forEach(ProcessHandle::destroy);
            node.destroy();
            node.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Returns operations per second over {@code seconds}, after one second of warm-up. */
    private static double measure(Op op, int seconds) throws Exception {
        run(op, 1);
        LongAdder done = new LongAdder();
        long elapsed = run(op, seconds, done);
        return done.sum() / (elapsed / 1e9);
    }

    private static void run(Op op, int seconds) throws Exception {
        run(op, seconds, new LongAdder());
    }

    private static long run(Op op, int seconds, LongAdder done) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(pool.submit(() -> {
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    while (System.nanoTime() < end) {
                        op.run(rnd.nextInt(KEYS));
                        done.increment();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return System.nanoTime() - start;
    }
}
