package io.memring.benchmarks;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Resident memory per item: stores N items (11-byte keys, 100-byte values) into stock memcached and
 * into a Memring node, each in its own process started here, and reports process RSS per item for
 * both, total and above the empty process.
 *
 * <pre>java -cp benchmarks/target/classes io.memring.benchmarks.MemoryPerItem [items] [memoryMb]</pre>
 *
 * The node is started through remote-server/bin/memring-server, the launcher users run, so its JVM
 * flags are the shipped ones.
 */
public final class MemoryPerItem {
    private static final int KEY_LENGTH = 11;
    private static final int VALUE_LENGTH = 100;

    private MemoryPerItem() {
    }

    public static void main(String[] args) throws Exception {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int memoryMb = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        Path root = Path.of(System.getProperty("memring.root", ".")).toAbsolutePath();
        Result memcached = measure("memcached 1.6 (" + version("memcached", "-V") + ")",
                List.of("memcached", "-u", "root", "-U", "0", "-l", "127.0.0.1", "-t", "4", "-m", String.valueOf(memoryMb)), items);
        Result memring = measure("memring",
                List.of(root.resolve("remote-server/bin/memring-server").toString(), "-l", "127.0.0.1", "-t", "4", "-m", String.valueOf(memoryMb)), items);
        System.out.printf("%n%d items, %d-byte keys, %d-byte values, -m %d, -t 4%n", items, KEY_LENGTH, VALUE_LENGTH, memoryMb);
        System.out.printf("%-40s %10s %10s %10s %12s %12s%n", "server", "items", "RSS empty", "RSS full", "B/item total", "B/item delta");
        for (Result r : List.of(memcached, memring)) {
            System.out.printf("%-40s %10d %9.1fM %9.1fM %12.1f %12.1f%n", r.name, r.items, r.rssEmpty / 1048576.0, r.rssFull / 1048576.0,
                    r.perItemTotal(), r.perItemDelta());
        }
        System.out.printf("ratio memring/memcached: total %.2f, delta %.2f%n",
                memring.perItemTotal() / memcached.perItemTotal(), memring.perItemDelta() / memcached.perItemDelta());
    }

    record Result(String name, long items, long rssEmpty, long rssFull) {
        double perItemTotal() {
            return (double) rssFull / items;
        }

        double perItemDelta() {
            return (double) (rssFull - rssEmpty) / items;
        }
    }

    private static Result measure(String name, List<String> command, int items) throws Exception {
        int port = freePort();
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of("-p", String.valueOf(port)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            awaitPort(port);
            Thread.sleep(1000);
            long pid = serverPid(p);
            long empty = rss(pid);
            if (Boolean.getBoolean("memring.breakdown")) {
                System.out.printf("%s empty: RSS %d bytes%n", name, empty);
                printBreakdown(pid);
            }
            load(port, items);
            long stored = statValue(port, "curr_items");
            Thread.sleep(1000);
            long full = rss(pid);
            System.out.printf("%s: stored %d items, RSS %d -> %d bytes%n", name, stored, empty, full);
            if (Boolean.getBoolean("memring.breakdown")) {
                printBreakdown(pid);
            }
            return new Result(name, stored, empty, full);
        } finally {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /**
     * Where the resident bytes are: {@code /proc/pid/smaps} summed per mapped file (anonymous memory
     * as one line), then the JVM's own accounting when the node runs with
     * {@code MEMRING_JAVA_OPTS=-XX:NativeMemoryTracking=summary}.
     */
    private static void printBreakdown(long pid) throws IOException, InterruptedException {
        java.util.Map<String, Long> byMapping = new java.util.TreeMap<>();
        String current = "";
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "smaps"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 5 && f[0].matches("[0-9a-f]+-[0-9a-f]+")) {
                current = f.length >= 6 ? f[5] : "[anon]";
            } else if (f[0].equals("Rss:")) {
                byMapping.merge(current, Long.parseLong(f[1]) * 1024, Long::sum);
            }
        }
        byMapping.entrySet().stream().sorted(java.util.Map.Entry.<String, Long>comparingByValue().reversed()).limit(12)
                .forEach(e -> System.out.printf("  rss %8.1f MB  %s%n", e.getValue() / 1048576.0, e.getKey()));
        Process jcmd = new ProcessBuilder("jcmd", String.valueOf(pid), "VM.native_memory", "summary").redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor(30, TimeUnit.SECONDS);
        if (out.contains("committed=")) {
            for (String line : out.split("\n")) {
                if (line.contains("committed=") && !line.trim().startsWith("(")) {
                    System.out.println("  nmt " + line.trim());
                }
            }
        }
    }

    /** The launcher script execs java, so the server is the process itself or its only child. */
    private static long serverPid(Process p) {
        return p.descendants().findFirst().map(ProcessHandle::pid).orElse(p.pid());
    }

    private static void load(int port, int items) throws IOException {
        byte[] value = new byte[VALUE_LENGTH];
        Arrays.fill(value, (byte) 'v');
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
            for (int i = 0; i < items; i++) {
                String key = String.format("k%010d", i);
                out.write(("set " + key + " 0 0 " + VALUE_LENGTH + " noreply\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(value);
                out.write('\r');
                out.write('\n');
            }
            out.write("mn\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[64];
            StringBuilder reply = new StringBuilder();
            while (!reply.toString().endsWith("MN\r\n")) {
                int n = in.read(buf);
                if (n < 0) {
                    throw new IOException("server closed during load: " + reply);
                }
                reply.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
            }
        }
    }

    static long statValue(int port, String name) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write("stats\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            StringBuilder sb = new StringBuilder();
            byte[] buf = new byte[4096];
            while (!sb.toString().endsWith("END\r\n")) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                sb.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
            }
            for (String line : sb.toString().split("\r\n")) {
                if (line.startsWith("STAT " + name + " ")) {
                    return Long.parseLong(line.substring(name.length() + 6).trim());
                }
            }
            throw new IOException("no stat " + name);
        }
    }

    static long rss(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for pid " + pid);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void awaitPort(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IOException("nothing listening on " + port);
    }

    private static String version(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            return v;
        } catch (Exception e) {
            return "unknown";
        }
    }
}
