package io.memring.benchmarks;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * A load generator for any memcached-protocol server: N connections, each a thread that writes a
 * pipeline of {@code depth} requests, then reads their {@code depth} replies, for a fixed time.
 * Operations: text {@code get}/{@code set}, meta {@code mg}/{@code ms}, or a read/write mix
 * ({@code mix:90} = 90% text get and 10% set, {@code metamix:90} = the same with mg/ms). Reports ops/s, latency
 * percentiles of a pipeline round trip (HdrHistogram), and ops per server CPU-second from the
 * server's own {@code rusage_user + rusage_system}.
 *
 * <pre>java -cp ... io.memring.benchmarks.LoadGenerator --port 11211 --op mg --depth 16 --connections 4 --seconds 5</pre>
 */
public final class LoadGenerator {

    /** What one run measured. */
    public record Result(String op, int depth, int connections, long ops, double seconds, double serverCpuSeconds,
                         long p50Micros, long p99Micros, long p999Micros) {
        public double opsPerSecond() {
            return ops / seconds;
        }

        public double opsPerServerCpuSecond() {
            return serverCpuSeconds <= 0 ? Double.NaN : ops / serverCpuSeconds;
        }
    }

    /** Settings of a run. */
    public record Settings(String host, int port, String op, int connections, int depth, int keys, int valueSize,
                           double seconds, double warmupSeconds) {
    }

    private LoadGenerator() {
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 11211;
        String op = "get";
        int connections = 4;
        int depth = 1;
        int keys = 10_000;
        int valueSize = 100;
        double seconds = 5;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--host" -> host = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--op" -> op = args[i + 1];
                case "--connections" -> connections = Integer.parseInt(args[i + 1]);
                case "--depth" -> depth = Integer.parseInt(args[i + 1]);
                case "--keys" -> keys = Integer.parseInt(args[i + 1]);
                case "--value-size" -> valueSize = Integer.parseInt(args[i + 1]);
                case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Settings s = new Settings(host, port, op, connections, depth, keys, valueSize, seconds, 1);
        preload(s);
        Result r = run(s);
        System.out.printf(Locale.ROOT, "%s depth=%d conns=%d: %.0f ops/s, p50 %d us, p99 %d us, p99.9 %d us, %.0f ops per server CPU-s%n",
                r.op(), r.depth(), r.connections(), r.opsPerSecond(), r.p50Micros(), r.p99Micros(), r.p999Micros(), r.opsPerServerCpuSecond());
    }

    /** Stores every key once so that gets hit. */
    public static void preload(Settings s) throws IOException {
        try (Socket socket = new Socket(s.host(), s.port())) {
            socket.setTcpNoDelay(true);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            byte[] value = value(s.valueSize());
            for (int k = 0; k < s.keys(); k++) {
                out.write(("set " + key(k) + " 0 0 " + value.length + " noreply\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(value);
                out.write(CRLF);
            }
            out.write("mn\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Replies in = new Replies(socket.getInputStream());
            if (!in.line().equals("MN")) {
                throw new IOException("preload did not end with MN");
            }
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};

    static String key(int k) {
        return "key:" + k;
    }

    static byte[] value(int size) {
        byte[] v = new byte[size];
        Arrays.fill(v, (byte) 'v');
        return v;
    }

    /** Runs the load: warm-up, then the measured period. */
    public static Result run(Settings s) throws Exception {
        runFor(s, s.warmupSeconds(), new Histogram(TimeUnit.SECONDS.toNanos(10), 3));
        double cpuBefore = serverCpuSeconds(s);
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        long[] opsAndNanos = runFor(s, s.seconds(), histogram);
        double cpuAfter = serverCpuSeconds(s);
        return new Result(s.op(), s.depth(), s.connections(), opsAndNanos[0], opsAndNanos[1] / 1e9, cpuAfter - cpuBefore,
                histogram.getValueAtPercentile(50) / 1000, histogram.getValueAtPercentile(99) / 1000,
                histogram.getValueAtPercentile(99.9) / 1000);
    }

    private static long[] runFor(Settings s, double seconds, Histogram merged) throws Exception {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Worker> workers = new ArrayList<>();
        for (int c = 0; c < s.connections(); c++) {
            workers.add(new Worker(s, end));
        }
        long start = System.nanoTime();
        workers.forEach(Thread::start);
        long ops = 0;
        for (Worker w : workers) {
            w.join(TimeUnit.SECONDS.toMillis((long) seconds + 30));
            if (w.failure != null) {
                throw w.failure;
            }
            ops += w.ops;
            merged.add(w.histogram);
        }
        return new long[] {ops, System.nanoTime() - start};
    }

    /** One connection's loop. */
    private static final class Worker extends Thread {
        private final Settings s;
        private final long endNanos;
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        long ops;
        Exception failure;

        Worker(Settings s, long endNanos) {
            this.s = s;
            this.endNanos = endNanos;
            setDaemon(true);
        }

        @Override
        public void run() {
            byte[] value = value(s.valueSize());
            try (Socket socket = new Socket(s.host(), s.port())) {
                socket.setTcpNoDelay(true);
                OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
                Replies in = new Replies(socket.getInputStream());
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                String[] kinds = new String[s.depth()];
                while (System.nanoTime() < endNanos) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < s.depth(); i++) {
                        kinds[i] = pickOp(rnd);
                        writeRequest(out, kinds[i], key(rnd.nextInt(s.keys())), value);
                    }
                    out.flush();
                    for (int i = 0; i < s.depth(); i++) {
                        readReply(in, kinds[i]);
                    }
                    long rtt = System.nanoTime() - t0;
                    histogram.recordValue(Math.min(rtt, histogram.getHighestTrackableValue()));
                    ops += s.depth();
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        /** The operation of the next request: fixed, or drawn from the mix. */
        private String pickOp(ThreadLocalRandom rnd) {
            String op = s.op();
            int colon = op.indexOf(':');
            if (colon < 0) {
                return op;
            }
            boolean read = rnd.nextInt(100) < Integer.parseInt(op.substring(colon + 1));
            boolean meta = op.startsWith("metamix");
            return read ? (meta ? "mg" : "get") : (meta ? "ms" : "set");
        }

        private void writeRequest(OutputStream out, String op, String key, byte[] value) throws IOException {
            switch (op) {
                case "get" -> out.write(("get " + key + "\r\n").getBytes(StandardCharsets.US_ASCII));
                case "mg" -> out.write(("mg " + key + " v\r\n").getBytes(StandardCharsets.US_ASCII));
                case "set" -> {
                    out.write(("set " + key + " 0 0 " + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(value);
                    out.write(CRLF);
                }
                case "ms" -> {
                    out.write(("ms " + key + " " + value.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(value);
                    out.write(CRLF);
                }
                default -> throw new IllegalArgumentException("unknown op " + op);
            }
        }

        private void readReply(Replies in, String op) throws IOException {
            switch (op) {
                case "get" -> {
                    String line = in.line();
                    while (line.startsWith("VALUE ")) {
                        int len = Integer.parseInt(line.substring(line.lastIndexOf(' ') + 1));
                        in.skip(len + 2);
                        line = in.line();
                    }
                    expect(line, "END");
                }
                case "mg" -> {
                    String line = in.line();
                    if (line.startsWith("VA ")) {
                        int sp = line.indexOf(' ', 3);
                        in.skip(Integer.parseInt(sp < 0 ? line.substring(3) : line.substring(3, sp)) + 2);
                    } else {
                        expect(line, "EN");
                    }
                }
                case "set" -> expect(in.line(), "STORED");
                case "ms" -> expect(in.line(), "HD");
                default -> throw new IllegalArgumentException(op);
            }
        }

        private static void expect(String line, String want) throws IOException {
            if (!line.equals(want)) {
                throw new IOException("expected " + want + ", got " + line);
            }
        }
    }

    /** A small reply reader: lines ending in CRLF, and skipping value bytes. */
    static final class Replies {
        private final InputStream in;
        private final StringBuilder line = new StringBuilder(64);

        Replies(InputStream in) {
            this.in = new BufferedInputStream(in, 1 << 16);
        }

        String line() throws IOException {
            line.setLength(0);
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("server closed the connection");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        void skip(int n) throws IOException {
            long left = n;
            while (left > 0) {
                long k = in.skip(left);
                if (k <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("server closed the connection");
                    }
                    k = 1;
                }
                left -= k;
            }
        }
    }

    /** Reads {@code rusage_user + rusage_system} from the server's stats. */
    static double serverCpuSeconds(Settings s) throws IOException {
        try (Socket socket = new Socket(s.host(), s.port())) {
            socket.getOutputStream().write("stats\r\n".getBytes(StandardCharsets.US_ASCII));
            Replies in = new Replies(socket.getInputStream());
            double cpu = 0;
            String line;
            while (!(line = in.line()).equals("END")) {
                if (line.startsWith("STAT rusage_user ") || line.startsWith("STAT rusage_system ")) {
                    cpu += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            return cpu;
        }
    }
}
