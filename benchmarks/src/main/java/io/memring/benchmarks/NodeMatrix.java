package io.memring.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The node throughput table: stock memcached and a Memring node, same {@code -t} and {@code -m},
 * started here; get/set/mg/ms at pipeline depths 1, 16 and 100 through {@link LoadGenerator},
 * alternating which server goes first each round; then one cross-check with libmemcached's
 * {@code memcaslap}. Prints a markdown table of medians and ratios.
 *
 * <pre>java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
 *     io.memring.benchmarks.NodeMatrix [seconds-per-run] [rounds] [threads] [connections]</pre>
 */
public final class NodeMatrix {
    private NodeMatrix() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int connections = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        Path root = Path.of(System.getProperty("memring.root", ".")).toAbsolutePath();
        int mcPort = MemoryPerItem.freePort();
        int mrPort = MemoryPerItem.freePort();
        Process memcached = new ProcessBuilder("memcached", "-u", "root", "-U", "0", "-l", "127.0.0.1", "-p", String.valueOf(mcPort),
                "-t", String.valueOf(threads), "-m", "256").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Process memring = new ProcessBuilder(root.resolve("remote-server/bin/memring-server").toString(), "-l", "127.0.0.1",
                "-p", String.valueOf(mrPort), "-t", String.valueOf(threads), "-m", "256")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            MemoryPerItem.awaitPort(mcPort);
            MemoryPerItem.awaitPort(mrPort);
            System.out.printf(Locale.ROOT, "memcached %s on %d, memring on %d; -t %d -m 256; %d connections, 10,000 keys, 100-byte values, %.0f s runs, %d rounds%n",
                    version(), mcPort, mrPort, threads, connections, seconds, rounds);
            for (int port : new int[] {mcPort, mrPort}) {
                LoadGenerator.preload(settings(port, "get", 1, connections, seconds));
            }
            List<String> rows = new ArrayList<>();
            rows.add("| op | depth | memcached ops/s | memring ops/s | ratio | memcached p99 µs | memring p99 µs | memcached ops/CPU-s | memring ops/CPU-s |");
            rows.add("|---|---|---|---|---|---|---|---|---|");
            for (String op : new String[] {"get", "set", "mg", "ms"}) {
                for (int depth : new int[] {1, 16, 100}) {
                    List<LoadGenerator.Result> mc = new ArrayList<>();
                    List<LoadGenerator.Result> mr = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) {
                        if (r % 2 == 0) {
                            mc.add(LoadGenerator.run(settings(mcPort, op, depth, connections, seconds)));
                            mr.add(LoadGenerator.run(settings(mrPort, op, depth, connections, seconds)));
                        } else {
                            mr.add(LoadGenerator.run(settings(mrPort, op, depth, connections, seconds)));
                            mc.add(LoadGenerator.run(settings(mcPort, op, depth, connections, seconds)));
                        }
                    }
                    LoadGenerator.Result a = median(mc);
                    LoadGenerator.Result b = median(mr);
                    String row = String.format(Locale.ROOT, "| %s | %d | %,.0f | %,.0f | %.2f | %d | %d | %,.0f | %,.0f |", op, depth,
                            a.opsPerSecond(), b.opsPerSecond(), b.opsPerSecond() / a.opsPerSecond(), a.p99Micros(), b.p99Micros(),
                            a.opsPerServerCpuSecond(), b.opsPerServerCpuSecond());
                    rows.add(row);
                    System.out.println(row);
                }
            }
            System.out.println();
            rows.forEach(System.out::println);
            System.out.println();
            System.out.println("memcaslap cross-check (-T 2 -c 16 -X 100 -t 5s, its default 9:1 get:set mix):");
            System.out.printf(Locale.ROOT, "| server | memcaslap TPS |%n|---|---|%n| memcached | %s |%n| memring | %s |%n",
                    memcaslap(mcPort), memcaslap(mrPort));
        } finally {
            memcached.destroy();
            memring.descendants().forEach(ProcessHandle::destroy);
            memring.destroy();
            memcached.waitFor(10, TimeUnit.SECONDS);
            memring.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static LoadGenerator.Settings settings(int port, String op, int depth, int connections, double seconds) {
        return new LoadGenerator.Settings("127.0.0.1", port, op, connections, depth, 10_000, 100, seconds, 1);
    }

    private static LoadGenerator.Result median(List<LoadGenerator.Result> results) {
        List<LoadGenerator.Result> sorted = new ArrayList<>(results);
        sorted.sort((x, y) -> Double.compare(x.opsPerSecond(), y.opsPerSecond()));
        return sorted.get(sorted.size() / 2);
    }

    private static String version() throws Exception {
        Process p = new ProcessBuilder("memcached", "-V").redirectErrorStream(true).start();
        String v = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor(5, TimeUnit.SECONDS);
        return v;
    }

    /** Runs memcaslap against one server and returns its final TPS figure. */
    private static String memcaslap(int port) throws Exception {
        Process p = new ProcessBuilder("memcaslap", "-s", "127.0.0.1:" + port, "-T", "2", "-c", "16", "-X", "100", "-t", "5s")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        Matcher m = Pattern.compile("TPS:\\s*(\\d+)").matcher(out);
        String last = "n/a";
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }
}
