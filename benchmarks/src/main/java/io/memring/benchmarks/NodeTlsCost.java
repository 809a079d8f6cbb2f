package io.memring.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.HdrHistogram.Recorder;

/**
 * What TLS costs, in one run: stock memcached and a Memring node ({@code bin/memring-server}), each
 * plain and with {@code -Z} (a certificate made here with {@code openssl req}, no client certificates),
 * all four {@code -t 2 -m 256}; text {@code get} of 100-byte values over 4 connections at pipeline depths
 * 1 and 16, rounds alternating the order; medians of ops/s and of the p99 pipeline round trip. The JDK's
 * TLS client drives all four, so client cost is the same for each.
 *
 * <pre>java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
 *     io.memring.benchmarks.NodeTlsCost [seconds-per-run] [rounds]</pre>
 */
public final class NodeTlsCost {
    private static final int CONNECTIONS = 4;
    private static final int KEYS = 10_000;

    private NodeTlsCost() {
    }

    private record Server(String name, int port, boolean tls) {
    }

    private record Result(double opsPerSecond, long p99Micros) {
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path root = Path.of(System.getProperty("memring.root", ".")).toAbsolutePath();
        Path dir = Files.createTempDirectory("tls-cost");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        exec("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
                "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1");
        String ssl = "ssl_chain_cert=" + cert + ",ssl_key=" + key;
        List<Process> processes = new ArrayList<>();
        List<Server> servers = new ArrayList<>();
        try {
            for (boolean tls : new boolean[] {false, true}) {
                int mc = MemoryPerItem.freePort();
                List<String> mcCmd = new ArrayList<>(List.of("memcached", "-u", "root", "-U", "0", "-l", "127.0.0.1", "-p",
                        String.valueOf(mc), "-t", "2", "-m", "256"));
                int mr = MemoryPerItem.freePort();
                List<String> mrCmd = new ArrayList<>(List.of(root.resolve("remote-server/bin/memring-server").toString(),
                        "-l", "127.0.0.1", "-p", String.valueOf(mr), "-t", "2", "-m", "256"));
                if (tls) {
                    mcCmd.addAll(List.of("-Z", "-o", ssl));
                    mrCmd.addAll(List.of("-Z", "-o", ssl));
                }
                processes.add(new ProcessBuilder(mcCmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
                processes.add(new ProcessBuilder(mrCmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
                servers.add(new Server("memcached" + (tls ? " -Z" : ""), mc, tls));
                servers.add(new Server("memring" + (tls ? " -Z" : ""), mr, tls));
            }
            SSLContext ctx = trusting(cert);
            for (Server s : servers) {
                MemoryPerItem.awaitPort(s.port());
                preload(s, ctx);
            }
            System.out.printf(Locale.ROOT, "text get, %d connections, %d keys, 100-byte values, %.0f s runs, %d rounds, -t 2 -m 256%n",
                    CONNECTIONS, KEYS, seconds, rounds);
            System.out.println("| server | depth | ops/s | p99 µs | ops/s vs. same server plain |");
            System.out.println("|---|---|---|---|---|");
            for (int depth : new int[] {1, 16}) {
                List<List<Result>> results = new ArrayList<>();
                servers.forEach(s -> results.add(new ArrayList<>()));
                for (int r = 0; r < rounds; r++) {
                    for (int i = 0; i < servers.size(); i++) {
                        int at = (r % 2 == 0) ? i : servers.size() - 1 - i;
                        results.get(at).add(run(servers.get(at), ctx, depth, seconds));
                    }
                }
                Result[] medians = new Result[servers.size()];
                for (int i = 0; i < servers.size(); i++) {
                    List<Result> sorted = new ArrayList<>(results.get(i));
                    sorted.sort((a, b) -> Double.compare(a.opsPerSecond(), b.opsPerSecond()));
                    medians[i] = sorted.get(sorted.size() / 2);
                }
                for (int i = 0; i < servers.size(); i++) {
                    Server s = servers.get(i);
                    Result plain = medians[s.tls() ? i - 2 : i];
                    System.out.printf(Locale.ROOT, "| %s | %d | %,.0f | %d | %.2f |%n", s.name(), depth, medians[i].opsPerSecond(),
                            medians[i].p99Micros(), medians[i].opsPerSecond() / plain.opsPerSecond());
                }
            }
        } finally {
            for (Process p : processes) {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static Socket connect(Server s, SSLContext ctx) throws IOException {
        Socket socket = s.tls() ? ctx.getSocketFactory().createSocket("127.0.0.1", s.port()) : new Socket("127.0.0.1", s.port());
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        if (socket instanceof SSLSocket tls) {
            tls.startHandshake();
        }
        return socket;
    }

    private static void preload(Server s, SSLContext ctx) throws IOException {
        byte[] value = "v".repeat(100).getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = connect(s, ctx)) {
            OutputStream out = socket.getOutputStream();
            for (int k = 0; k < KEYS; k++) {
                out.write(("set key:" + k + " 0 0 100 noreply\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(value);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.write("version\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            readUntil(socket.getInputStream(), "VERSION", 1);
        }
    }

    private static Result run(Server s, SSLContext ctx, int depth, double seconds) throws Exception {
        Recorder latency = new Recorder(3);
        AtomicLong ops = new AtomicLong();
        long end = System.nanoTime() + (long) ((seconds + 1) * 1e9);
        long measureFrom = end - (long) (seconds * 1e9);
        List<Thread> workers = new ArrayList<>();
        List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            int seed = c;
            Thread t = new Thread(() -> {
                try (Socket socket = connect(s, ctx)) {
                    OutputStream out = socket.getOutputStream();
                    InputStream in = socket.getInputStream();
                    java.util.Random random = new java.util.Random(seed);
                    StringBuilder batch = new StringBuilder();
                    while (System.nanoTime() < end) {
                        batch.setLength(0);
                        for (int i = 0; i < depth; i++) {
                            batch.append("get key:").append(random.nextInt(KEYS)).append("\r\n");
                        }
                        long t0 = System.nanoTime();
                        out.write(batch.toString().getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        readUntil(in, "END\r\n", depth);
                        long t1 = System.nanoTime();
                        if (t0 >= measureFrom) {
                            latency.recordValue((t1 - t0) / 1000);
                            ops.addAndGet(depth);
                        }
                    }
                } catch (IOException e) {
                    failures.add(e);
                }
            });
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IOException(s.name() + ": " + failures.get(0), failures.get(0));
        }
        return new Result(ops.get() / seconds, latency.getIntervalHistogram().getValueAtPercentile(99));
    }

    /** Reads until {@code marker} has been seen {@code times} times (markers never straddle a read's end unnoticed). */
    private static void readUntil(InputStream in, String marker, int times) throws IOException {
        byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
        byte[] buf = new byte[64 * 1024];
        int matched = 0;
        int seen = 0;
        while (seen < times) {
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("closed by the server");
            }
            for (int i = 0; i < n && seen < times; i++) {
                matched = buf[i] == m[matched] ? matched + 1 : (buf[i] == m[0] ? 1 : 0);
                if (matched == m.length) {
                    seen++;
                    matched = 0;
                }
            }
        }
    }

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static void exec(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
