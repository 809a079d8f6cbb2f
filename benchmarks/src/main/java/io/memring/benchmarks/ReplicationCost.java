package io.memring.benchmarks;

import io.memring.client.BlockingClient;
import io.memring.client.ClientConfig;
import io.memring.client.MemcacheClients;
import io.memring.client.routing.RingClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What replication costs a client: three nodes ({@code bin/memring-server -t 2 -m 256}) with the same
 * {@code --peers} list at {@code --replicas 1}, {@code 2} and {@code all}, driven by our client (which
 * routes every key to its primary) with 16 threads of blocking 100-byte sets, then gets, on 10,000
 * keys: ops/s and the p50/p99 of one call, and the replicas' lag p50/p99 ({@code repl_lag_ms_*}, the
 * highest of the three nodes) and {@code repl_dropped} after the sets. Rounds rotate the order of the
 * three settings so none always gets the warmer machine.
 *
 * <pre>java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
 *     io.memring.benchmarks.ReplicationCost [seconds-per-phase] [rounds]</pre>
 */
public final class ReplicationCost {
    private static final int THREADS = 16;
    private static final int KEYS = 10_000;
    private static final byte[] VALUE = new byte[100];
    private static final String[] SETTINGS = System.getProperty("replicas", "1,2,all").split(",");

    private ReplicationCost() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path root = Path.of(System.getProperty("memring.root", ".")).toAbsolutePath();
        System.out.printf("3 nodes (-t 2 -m 256), %d client threads, blocking 100-byte ops, %d keys, %d s phases after 1 s warm-up%n",
                THREADS, KEYS, seconds);
        System.out.printf("%-5s %-8s %-4s %10s %9s %9s %12s %12s %8s%n", "round", "replicas", "op", "ops/s", "p50 µs",
                "p99 µs", "lag p50 ms", "lag p99 ms", "dropped");
        for (int round = 1; round <= rounds; round++) {
            for (int s = 0; s < SETTINGS.length; s++) {
                String replicas = SETTINGS[(s + round - 1) % SETTINGS.length];
                try {
                    runOne(root, replicas, seconds, round);
                } catch (java.io.IOException e) { // a probed port taken before its node bound it: say so, go on
                    System.out.printf("%-5d %-8s a node did not start (%s)%n", round, replicas, e.getMessage());
                }
            }
        }
    }

    private static void runOne(Path root, String replicas, int seconds, int round) throws Exception {
        int[] ports = new int[3];
        StringBuilder peers = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            ports[i] = MemoryPerItem.freePort();
            peers.append(i == 0 ? "" : ",").append("127.0.0.1:").append(ports[i]);
        }
        List<Process> nodes = new ArrayList<>();
        try {
            for (int p : ports) {
                nodes.add(new ProcessBuilder(root.resolve("remote-server/bin/memring-server").toString(), "-l", "127.0.0.1",
                        "-p", String.valueOf(p), "-t", "2", "-m", "256", "--peers", peers.toString(), "--replicas", replicas)
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            }
            for (int p : ports) {
                MemoryPerItem.awaitPort(p);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!"ready".equals(stats(p).get("repl_state")) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            }
            List<InetSocketAddress> servers = new ArrayList<>();
            for (int p : ports) {
                servers.add(new InetSocketAddress("127.0.0.1", p));
            }
            try (RingClient client = MemcacheClients.create(ClientConfig.builder().servers(servers).build())) {
                BlockingClient blocking = client.blocking();
                byte[][] keys = new byte[KEYS][];
                for (int i = 0; i < KEYS; i++) {
                    keys[i] = ("repl:" + i).getBytes(StandardCharsets.US_ASCII);
                    blocking.set(keys[i], VALUE, 0, 0);
                }
                for (String op : new String[] {"set", "get"}) {
                    ClientThroughputOp o = op.equals("set") ? k -> blocking.set(keys[k], VALUE, 0, 0) : k -> blocking.get(keys[k]);
                    run(o, 1, new Recorder(TimeUnit.SECONDS.toNanos(10), 3));
                    Recorder recorder = new Recorder(TimeUnit.SECONDS.toNanos(10), 3);
                    LongAdder done = new LongAdder();
                    long elapsed = run(o, seconds, recorder, done);
                    Histogram h = recorder.getIntervalHistogram();
                    String lag50 = "-";
                    String lag99 = "-";
                    long dropped = 0;
                    if (op.equals("set") && !replicas.equals("1")) {
                        long l50 = 0;
                        long l99 = 0;
                        for (int p : ports) {
                            Map<String, String> st = stats(p);
                            l50 = Math.max(l50, Long.parseLong(st.getOrDefault("repl_lag_ms_p50", "0")));
                            l99 = Math.max(l99, Long.parseLong(st.getOrDefault("repl_lag_ms_p99", "0")));
                            dropped += Long.parseLong(st.getOrDefault("repl_dropped", "0"));
                        }
                        lag50 = Long.toString(l50);
                        lag99 = Long.toString(l99);
                    }
                    System.out.printf("%-5d %-8s %-4s %10.0f %9.0f %9.0f %12s %12s %8s%n", round, replicas, op,
                            done.sum() / (elapsed / 1e9), h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                            lag50, lag99, op.equals("set") && !replicas.equals("1") ? Long.toString(dropped) : "-");
                }
            }
        } finally {
            for (Process n : nodes) {
                n.descendants().forEach(ProcessHandle::destroy);
                n.destroy();
            }
            for (Process n : nodes) {
                if (!n.waitFor(10, TimeUnit.SECONDS)) {
                    n.destroyForcibly();
                }
            }
        }
    }

    interface ClientThroughputOp {
        void run(int key) throws Exception;
    }

    private static void run(ClientThroughputOp op, int seconds, Recorder recorder) throws Exception {
        run(op, seconds, recorder, new LongAdder());
    }

    private static long run(ClientThroughputOp op, int seconds, Recorder recorder, LongAdder done) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(pool.submit(() -> {
                    ThreadLocalRandom rnd = ThreadLocalRandom.current();
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        op.run(rnd.nextInt(KEYS));
                        recorder.recordValue(Math.min(System.nanoTime() - t0, TimeUnit.SECONDS.toNanos(10)));
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

    /** The node's {@code stats}, or an empty map if it does not answer. */
    private static Map<String, String> stats(int port) {
        Map<String, String> out = new HashMap<>();
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(2000);
            OutputStream o = s.getOutputStream();
            o.write("stats\r\n".getBytes(StandardCharsets.US_ASCII));
            o.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            for (String line = in.readLine(); line != null && !line.equals("END"); line = in.readLine()) {
                String[] parts = line.split(" ", 3);
                if (parts.length == 3) {
                    out.put(parts[1], parts[2]);
                }
            }
        } catch (Exception e) {
            return Map.of();
        }
        return out;
    }
}
