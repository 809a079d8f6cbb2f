package io.memring.benchmarks;

import io.memring.client.BlockingClient;
import io.memring.client.ClientConfig;
import io.memring.client.MemcacheClients;
import io.memring.client.routing.RingClient;
import io.memring.client.security.TlsSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.memring.client.Key;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What TLS costs, in one run: our client against a Memring node and against stock memcached, each
 * with and without TLS ({@code -Z}, EC P-256 certificate made with {@code openssl} for the run), get
 * and set of 100-byte values on 10,000 keys, at depth 1 (one blocking caller) and 16 (16 blocking
 * callers pipelined on the client's one connection). Rounds alternate the order of the four servers;
 * medians of ops/s and p99 are printed as a markdown table, with each server's TLS/plain ratio.
 *
 * <pre>java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
 *     io.memring.benchmarks.TlsCost [seconds-per-run] [rounds]</pre>
 */
public final class TlsCost {
    private static final int KEYS = 10_000;
    private static final byte[] VALUE = new byte[100];

    private TlsCost() {
    }

    private record Server(String name, int port, boolean tls, Process process) {
    }

    private record Result(double opsPerSecond, long p99Micros) {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path root = Path.of(System.getProperty("memring.root", ".")).toAbsolutePath();
        Path pki = Files.createTempDirectory("memring-tls-bench");
        openssl(pki, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "node.key",
                "-out", "node.pem", "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        String tlsOptions = "ssl_chain_cert=" + pki.resolve("node.pem") + ",ssl_key=" + pki.resolve("node.key");
        List<Server> servers = new ArrayList<>();
        try {
            servers.add(memcached("memcached", false, tlsOptions));
            servers.add(memcached("memcached -Z", true, tlsOptions));
            servers.add(memring(root, "memring", false, tlsOptions));
            servers.add(memring(root, "memring -Z", true, tlsOptions));
            for (Server s : servers) {
                MemoryPerItem.awaitPort(s.port);
                preload(s, pki);
            }
            System.out.printf(Locale.ROOT, "-t 2 -m 256 each; our client, 1 connection; %,d keys, 100-byte values; %.0f s runs,"
                    + " %d rounds; TLS: JDK engine in the client, EC P-256 certificate; load average before: %s%n", KEYS, seconds,
                    rounds, loadAverage());
            List<String> rows = new ArrayList<>();
            rows.add("| op | depth | server | plain ops/s | TLS ops/s | TLS/plain | plain p99 µs | TLS p99 µs |");
            rows.add("|---|---|---|---|---|---|---|---|");
            for (String op : new String[] {"get", "set"}) {
                for (int depth : new int[] {1, 16}) {
                    List<List<Result>> results = new ArrayList<>();
                    servers.forEach(s -> results.add(new ArrayList<>()));
                    for (int r = 0; r < rounds; r++) {
                        for (int i = 0; i < servers.size(); i++) {
                            int at = (i + r) % servers.size(); // each round starts with the next server
                            results.get(at).add(run(servers.get(at), pki, op, depth, seconds));
                        }
                    }
                    for (int i = 0; i < servers.size(); i += 2) {
                        Result plain = median(results.get(i));
                        Result tls = median(results.get(i + 1));
                        String row = String.format(Locale.ROOT, "| %s | %d | %s | %,.0f | %,.0f | %.2f | %d | %d |", op, depth,
                                servers.get(i).name, plain.opsPerSecond, tls.opsPerSecond, tls.opsPerSecond / plain.opsPerSecond,
                                plain.p99Micros, tls.p99Micros);
                        rows.add(row);
                        System.out.println(row);
                    }
                }
            }
            System.out.println();
            rows.forEach(System.out::println);
            System.out.println("load average after: " + loadAverage());
        } finally {
            for (Server s : servers) {
                s.process.descendants().forEach(ProcessHandle::destroy);
                s.process.destroy();
                s.process.waitFor(10, TimeUnit.SECONDS);
            }
            try (var files = Files.walk(pki)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Server memcached(String name, boolean tls, String tlsOptions) throws IOException {
        int port = MemoryPerItem.freePort();
        List<String> cmd = new ArrayList<>(List.of("memcached", "-u", "root", "-U", "0", "-l", "127.0.0.1", "-p", String.valueOf(port),
                "-t", "2", "-m", "256"));
        if (tls) {
            cmd.addAll(List.of("-Z", "-o", tlsOptions));
        }
        return new Server(name, port, tls, new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
    }

    private static Server memring(Path root, String name, boolean tls, String tlsOptions) throws IOException {
        int port = MemoryPerItem.freePort();
        List<String> cmd = new ArrayList<>(List.of(root.resolve("remote-server/bin/memring-server").toString(), "-l", "127.0.0.1",
                "-p", String.valueOf(port), "-t", "2", "-m", "256"));
        if (tls) {
            cmd.addAll(List.of("-Z", "-o", tlsOptions));
        }
        return new Server(name, port, tls, new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }

    private static ClientConfig config(Server server, Path pki) {
        ClientConfig.Builder b = ClientConfig.builder().servers(List.of(new InetSocketAddress("localhost", server.port)))
                .ioThreads(1).connectTimeout(java.time.Duration.ofSeconds(10)); // a first TLS handshake on a busy machine
        if (server.tls) {
            b.tls(TlsSettings.builder().caFile(pki.resolve("node.pem")).build());
        }
        return b.build();
    }

    /** Stores every key once, pipelined, so gets hit. */
    private static void preload(Server server, Path pki) throws Exception {
        ClientConfig c = config(server, pki);
        // a node JVM just started answers its first batches slowly: a timeout of its own. Batches of 100:
        // memcached 1.6.18 with -Z stalls on some large pipelined inputs (a 1,000-set batch never got its MN)
        ClientConfig patient = ClientConfig.builder().servers(c.servers()).ioThreads(1).tls(c.tls())
                .requestTimeout(java.time.Duration.ofSeconds(30)).connectTimeout(java.time.Duration.ofSeconds(30)).build();
        try (RingClient client = MemcacheClients.create(patient)) {
            for (int from = 0; from < KEYS; from += 100) {
                Map<Key, byte[]> batch = new HashMap<>();
                for (int i = from; i < from + 100; i++) {
                    batch.put(Key.of(("tls:" + i).getBytes(StandardCharsets.US_ASCII)), VALUE);
                }
                client.setMany(batch, 0, 0).get(60, TimeUnit.SECONDS);
            }
        }
    }

    /** One measured run: {@code depth} callers, each a blocking loop over random keys, after a 1 s warm-up. */
    private static Result run(Server server, Path pki, String op, int depth, double seconds) throws Exception {
        try (RingClient client = MemcacheClients.create(config(server, pki))) {
            BlockingClient blocking = client.blocking();
            byte[][] keys = new byte[KEYS][];
            for (int i = 0; i < KEYS; i++) {
                keys[i] = ("tls:" + i).getBytes(StandardCharsets.US_ASCII);
            }
            Recorder recorder = new Recorder(3);
            AtomicBoolean measuring = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            long[] counts = new long[depth];
            CountDownLatch done = new CountDownLatch(depth);
            for (int t = 0; t < depth; t++) {
                int lane = t;
                Thread thread = new Thread(() -> {
                    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
                    try {
                        while (!stop.get()) {
                            byte[] k = keys[random.nextInt(KEYS)];
                            long start = System.nanoTime();
                            if (op.equals("get")) {
                                blocking.get(k);
                            } else {
                                blocking.set(k, VALUE, 0, 0);
                            }
                            if (measuring.get()) {
                                recorder.recordValue((System.nanoTime() - start) / 1000);
                                counts[lane]++;
                            }
                        }
                    } catch (Exception e) {
                        System.err.println(server.name + ": " + e);
                    } finally {
                        done.countDown();
                    }
                }, "tls-bench-" + t);
                thread.setDaemon(true);
                thread.start();
            }
            Thread.sleep(1000); // warm-up
            recorder.reset();
            measuring.set(true);
            long start = System.nanoTime();
            Thread.sleep((long) (seconds * 1000));
            measuring.set(false);
            long elapsed = System.nanoTime() - start;
            stop.set(true);
            done.await(10, TimeUnit.SECONDS);
            Histogram h = recorder.getIntervalHistogram();
            long total = 0;
            for (long c : counts) {
                total += c;
            }
            return new Result(total / (elapsed / 1e9), h.getValueAtPercentile(99));
        }
    }

    private static Result median(List<Result> results) {
        List<Result> sorted = new ArrayList<>(results);
        sorted.sort((x, y) -> Double.compare(x.opsPerSecond, y.opsPerSecond));
        return sorted.get(sorted.size() / 2);
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl failed: " + out);
        }
    }
}
