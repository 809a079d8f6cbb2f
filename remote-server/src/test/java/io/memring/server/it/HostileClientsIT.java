package io.memring.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.testing.NodeProcess;
import io.memring.testing.RawClient;
import io.memring.testing.StockMemcached;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that try to make the node hold memory it has no budget for, against a node started through
 * {@code bin/memring-server} (the shipped JVM settings) with stock memcached side by side where
 * memcached defines the answer. Under each load the node must keep answering another client within a
 * second, keep its RSS under the bound documented in the module README, and lose nothing stored.
 */
class HostileClientsIT {
    private static final Path LAUNCHER = Path.of("bin", "memring-server");
    private static final int MEMORY_MB = 64;
    private static final int BUDGET_MB = 8;
    private static final int MAX_CONNECTIONS = 400;
    private static final int KEPT_ITEMS = 200;
    private static final long MB = 1 << 20;

    private NodeProcess node;
    private StockMemcached memcached;

    @BeforeEach
    void start() throws Exception {
        node = NodeProcess.launch(LAUNCHER, "-m", String.valueOf(MEMORY_MB), "-t", "2", "-c", String.valueOf(MAX_CONNECTIONS),
                "-o", "read_buf_mem_limit=" + BUDGET_MB);
        memcached = StockMemcached.start("-m", String.valueOf(MEMORY_MB), "-t", "2", "-c", String.valueOf(MAX_CONNECTIONS));
        storeKeptItems(node.port);
        storeKeptItems(memcached.port);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (node != null) {
                assertThat(keptItemsStillThere(node.port)).as("items stored before the attack").isEqualTo(KEPT_ITEMS);
                assertThat(keptItemsStillThere(memcached.port)).as("memcached: items stored before the attack").isEqualTo(KEPT_ITEMS);
            }
        } finally {
            if (node != null) {
                node.close();
            }
            if (memcached != null) {
                memcached.close();
            }
        }
    }

    /**
     * Regression: replies were written whatever the socket's state, and ByteToMessageDecoder asked for
     * another read even while paused, so a client sending {@code get big} and never reading grew the
     * node by 200 KB per request until direct memory ran out.
     */
    @Test
    void clientThatNeverReads_stopsBeingReadAndCostsBoundedMemory() throws Exception {
        byte[] big = value(200 * 1024);
        for (int port : new int[] {node.port, memcached.port}) {
            try (RawClient c = new RawClient(port)) {
                assertThat(c.roundTrip(storeCommand("big", big), "\r\n")).isEqualTo("STORED\r\n");
            }
        }
        long idle = rss();
        try (Probe probe = new Probe(node.port); Probe mcProbe = new Probe(memcached.port);
             SocketChannel toNode = connectWithoutReading(node.port); SocketChannel toMemcached = connectWithoutReading(memcached.port)) {
            int sentToNode = sendGetsWithoutReading(toNode, node.port, 1500);
            int sentToMemcached = sendGetsWithoutReading(toMemcached, memcached.port, 1500);
            long loaded = rss();
            System.out.printf("non-reading client: node ran %d requests before it stopped reading, RSS %d -> %d MB; memcached ran %d%n",
                    sentToNode, idle / MB, loaded / MB, sentToMemcached);
            assertThat(loaded - idle).as("RSS growth").isLessThan(growthBound(1));
            assertThat(loaded).as("RSS").isLessThan(documentedBound());
            probe.assertAnsweredWithinASecond();
            mcProbe.assertAnsweredWithinASecond();
        }
    }

    /**
     * Regression: a storage command's data block was buffered whole before storing, so 200 clients
     * stalled just short of the end of 1 MB blocks cost the node 200 MB. Blocks beyond the read budget
     * are now refused as memcached refuses a large item it cannot allocate (memcached at {@code -m 64}
     * runs out of item memory; we run out of read budget first), swallowed unbuffered, and the old
     * item is kept, as memcached keeps it.
     */
    @Test
    void clientsStalledInsideLargeDataBlocks_areRefusedBeyondTheBudget() throws Exception {
        int clients = 200;
        int vlen = 1024 * 1024 - 1024;
        long idle = rss();
        try (Probe probe = new Probe(node.port); Probe mcProbe = new Probe(memcached.port)) {
            long refused = stallInsideBlocks(node, clients, vlen, idle, probe);
            long mcRefused = stallInsideBlocks(null, clients, vlen, 0, mcProbe);
            System.out.printf("stalled blocks: node refused %d of %d, memcached refused %d%n", refused, clients, mcRefused);
            assertThat(refused).as("blocks over the %d MB read budget", BUDGET_MB).isGreaterThanOrEqualTo(clients - BUDGET_MB);
            assertThat(mcRefused).as("memcached: blocks over -m").isPositive();
        }
    }

    /**
     * Regression: a multi-get line was tokenized whole, one byte[] per key, so ~1.9M keys threw
     * OutOfMemoryError under the launcher's heap (and the error was logged at DEBUG only). Keys of a
     * line too long to buffer are now answered as they arrive.
     */
    @Test
    void multiGetWithMillionsOfKeys_isAnsweredInBoundedMemory() throws Exception {
        long idle = rss();
        String expected = "VALUE kept:1 0 100\r\n" + new String(value(100), StandardCharsets.ISO_8859_1) + "\r\n"
                + "VALUE kept:2 0 100\r\n" + new String(value(100), StandardCharsets.ISO_8859_1) + "\r\nEND\r\nMN\r\n";
        // memcached buffers the whole line (and took 10 s and 2.3 GB for 1.9M keys): compare on a smaller line
        assertThat(hugeMultiGet(memcached.port, 200_000)).isEqualTo(expected);
        assertThat(hugeMultiGet(node.port, 200_000)).isEqualTo(expected);
        try (Probe probe = new Probe(node.port)) {
            assertThat(hugeMultiGet(node.port, 1_900_000)).isEqualTo(expected);
            long loaded = rss();
            System.out.printf("huge multi-get: node RSS %d -> %d MB%n", idle / MB, loaded / MB);
            assertThat(loaded - idle).as("RSS growth").isLessThan(growthBound(1));
            assertThat(loaded).as("RSS").isLessThan(documentedBound());
            probe.assertAnsweredWithinASecond();
        }
        assertThat(node.output()).doesNotContain("OutOfMemoryError");
    }

    /**
     * Regression (twice): 10 MB of {@code flush_all 2000000 noreply}, 400,000 delayed flushes. memcached
     * keeps one pending flush time. The node once scheduled a task per command and, later, one
     * announcement per command for its mutation stream: ~370k timer tasks, ~50 MB of heap under the
     * launcher's 56 MB, and the node stopped answering. The items stored before stay (the flush is
     * weeks away), and both servers answer as memcached does.
     */
    @Test
    void floodOfDelayedFlushes_holdsOnePendingFlush() throws Exception {
        byte[] chunk = "flush_all 2000000 noreply\r\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII);
        String check = "set k 0 0 1\r\nv\r\nget k\r\n";
        String expected = "STORED\r\nVALUE k 0 1\r\nv\r\nEND\r\n";
        long idle = rss();
        try (RawClient c = new RawClient(memcached.port)) {
            for (int i = 0; i < 40; i++) {
                c.send(chunk);
            }
            assertThat(c.roundTrip(check, "END\r\n")).isEqualTo(expected);
        }
        try (Probe probe = new Probe(node.port); RawClient c = new RawClient(node.port)) {
            for (int i = 0; i < 40; i++) {
                c.send(chunk);
            }
            assertThat(c.roundTrip(check, "END\r\n")).isEqualTo(expected);
            probe.assertAnsweredWithinASecond();
            long loaded = rss();
            System.out.printf("delayed-flush flood: node RSS %d -> %d MB%n", idle / MB, loaded / MB);
            assertThat(loaded).as("RSS").isLessThan(documentedBound());
        }
        assertThat(node.output()).doesNotContain("OutOfMemoryError");
    }

    /**
     * Slow readers of pipelined large gets: their connections pause and resume many times, and each
     * must get every reply, as from memcached. (A resume that left buffered requests unread, fixed
     * alongside this test, made such a client wait forever; this load did not always reproduce it.)
     */
    @Test
    void slowReadersOfPipelinedLargeGets_getEveryReply() throws Exception {
        int clients = 6;
        int gets = 20;
        byte[] big = value(100 * 1024);
        String hit = "VALUE big 0 " + big.length + "\r\n" + new String(big, StandardCharsets.ISO_8859_1) + "\r\n";
        for (int port : new int[] {node.port, memcached.port}) {
            try (RawClient c = new RawClient(port)) {
                assertThat(c.roundTrip(storeCommand("big", big), "\r\n")).isEqualTo("STORED\r\n");
            }
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
            try {
                List<java.util.concurrent.Future<Integer>> results = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    results.add(pool.submit(() -> slowlyReadPipelinedGets(port, gets, hit)));
                }
                for (java.util.concurrent.Future<Integer> r : results) {
                    assertThat(r.get(15, java.util.concurrent.TimeUnit.SECONDS)).as("replies on port %d", port).isEqualTo(gets);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Sends {@code gets} pipelined gets and reads the replies in small, spaced reads; returns the hits. */
    private static int slowlyReadPipelinedGets(int port, int gets, String hit) throws IOException, InterruptedException {
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(32 * 1024);
            s.connect(new InetSocketAddress("127.0.0.1", port));
            s.setSoTimeout(5000);
            s.getOutputStream().write(("get big\r\n".repeat(gets) + "mn\r\n").getBytes(StandardCharsets.US_ASCII));
            StringBuilder sb = new StringBuilder();
            byte[] buf = new byte[16 * 1024];
            InputStream in = s.getInputStream();
            while (sb.length() < 4 || !sb.substring(sb.length() - 4).equals("MN\r\n")) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                Thread.sleep(1);
            }
            String reply = sb.toString();
            assertThat(reply).isEqualTo((hit + "END\r\n").repeat(gets) + "MN\r\n");
            return gets;
        }
    }

    /** memcached's line limits: 2048 bytes without a newline close the connection, except for get/gets. */
    @Test
    void lineLimits_matchMemcached() throws Exception {
        String longKeyLine = "set " + "k".repeat(3000) + " 0 0 1\r\nx\r\nmn\r\n";
        String longGetLine = "get kept:1 " + "x ".repeat(3000) + "kept:2\r\nmn\r\n";
        String longGatLine = "gat 0 kept:1 " + "x ".repeat(3000) + "kept:2\r\nmn\r\n";
        for (String request : List.of(longKeyLine, longGetLine, longGatLine)) {
            assertThat(transcript(node.port, request, true)).as(request.substring(0, 20))
                    .isEqualTo(transcript(memcached.port, request, true));
        }
        for (String opening : List.of("set " + "k".repeat(3000), "gat 0 " + "k ".repeat(1500), "mg " + "k".repeat(3000))) {
            String fromNode = transcript(node.port, opening, false);
            assertThat(fromNode).as(opening.substring(0, 10)).isEqualTo(transcript(memcached.port, opening, false)).isEqualTo("<closed>");
        }
        String openGet = "get " + "x ".repeat(1500);
        assertThat(transcript(node.port, openGet, false)).isEqualTo(transcript(memcached.port, openGet, false)).isEqualTo("<open>");
    }

    /**
     * Sends {@code request} on a new connection, whole if {@code complete}, else in segments (a line
     * still open); returns the reply, or whether the server closed or kept the connection.
     */
    private static String transcript(int port, String request, boolean complete) throws IOException, InterruptedException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(complete ? 5000 : 1000);
            OutputStream o = s.getOutputStream();
            byte[] bytes = request.getBytes(StandardCharsets.ISO_8859_1);
            if (complete) {
                o.write(bytes);
                return readUntil(s.getInputStream(), "MN\r\n");
            }
            try {
                for (int at = 0; at < bytes.length; at += 1000) {
                    o.write(bytes, at, Math.min(1000, bytes.length - at));
                    o.flush();
                    Thread.sleep(20);
                }
            } catch (IOException closedWhileSending) {
                return "<closed>";
            }
            try {
                return s.getInputStream().read() < 0 ? "<closed>" : "<data>";
            } catch (java.net.SocketTimeoutException e) {
                return "<open>";
            } catch (IOException e) {
                return "<closed>";
            }
        }
    }

    // ---- loads

    private static SocketChannel connectWithoutReading(int port) throws IOException {
        SocketChannel ch = SocketChannel.open();
        ch.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4096);
        ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        ch.connect(new InetSocketAddress("127.0.0.1", port));
        ch.configureBlocking(false);
        return ch;
    }

    /**
     * Sends {@code get big} and never reads, one request at a time: the next goes only once the
     * server has run the last ({@code cmd_get} moved, seen from another connection), so each arrives in
     * a read of its own. Stops when the server no longer reads us. Returns how many it ran.
     */
    private static int sendGetsWithoutReading(SocketChannel ch, int port, int max) throws IOException, InterruptedException {
        byte[] request = "get big\r\n".getBytes(StandardCharsets.US_ASCII);
        try (RawClient stats = new RawClient(port)) {
            long start = cmdGet(stats);
            long ran = 0;
            long deadline = System.nanoTime() + 2_500_000_000L;
            while (ran < max && System.nanoTime() < deadline) {
                ByteBuffer b = ByteBuffer.wrap(request);
                ch.write(b);
                if (b.hasRemaining()) {
                    break;
                }
                long waitUntil = System.nanoTime() + 200_000_000L;
                long now = cmdGet(stats) - start;
                while (now == ran && System.nanoTime() < waitUntil) {
                    Thread.sleep(1);
                    now = cmdGet(stats) - start;
                }
                if (now == ran) {
                    break; // the request waits unread: the server stopped reading this client
                }
                ran = now;
            }
            return (int) ran;
        }
    }

    private static long cmdGet(RawClient c) throws IOException {
        for (String line : c.roundTrip("stats\r\n", "END\r\n").split("\r\n")) {
            if (line.startsWith("STAT cmd_get ")) {
                return Long.parseLong(line.substring("STAT cmd_get ".length()));
            }
        }
        throw new IOException("no cmd_get in stats");
    }

    /**
     * Stores {@code stall:<i> = old}, then opens {@code clients} connections that each send {@code ms
     * stall:<i>} and all but the last 16 bytes of its block, checks memory and responsiveness while they
     * stall, then completes them all (a refused block is swallowed by the server). Each connection must
     * end with STORED or memcached's out-of-memory reply, and the item must then hold the new value or
     * still the old one accordingly. Returns how many were refused.
     */
    private long stallInsideBlocks(NodeProcess target, int clients, int vlen, long idle, Probe probe)
            throws IOException, InterruptedException {
        int port = target != null ? target.port : memcached.port;
        System.out.printf("stalled blocks on %s (port %d)%n", target != null ? "the node" : "memcached", port);
        try (RawClient c = new RawClient(port)) {
            for (int i = 0; i < clients; i++) {
                assertThat(c.roundTrip("set stall:" + i + " 0 0 3\r\nold\r\n", "\r\n")).isEqualTo("STORED\r\n");
            }
        }
        byte[] data = value(vlen);
        List<Socket> sockets = new ArrayList<>();
        List<String> replies = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                Socket s = new Socket("127.0.0.1", port);
                s.setSoTimeout(5000);
                sockets.add(s);
                OutputStream o = s.getOutputStream();
                o.write(("ms stall:" + i + " " + vlen + " T0\r\n").getBytes(StandardCharsets.US_ASCII));
                o.write(data, 0, vlen - 16);
                o.flush();
            }
            // the clients now stall; time the probe once the server has taken in what they sent (200 MB
            // sit in socket buffers when the writes return), not while this test itself pumps it
            Thread.sleep(1000);
            probe.resetSlowest();
            Thread.sleep(300);
            if (target != null) {
                long loaded = rss();
                System.out.printf("stalled blocks: node RSS %d -> %d MB%n", idle / MB, loaded / MB);
                assertThat(loaded - idle).as("RSS growth").isLessThan(growthBound(clients));
                assertThat(loaded).as("RSS").isLessThan(documentedBound());
            }
            probe.assertAnsweredWithinASecond();
            for (Socket s : sockets) {
                s.getOutputStream().write(data, vlen - 16, 16);
                s.getOutputStream().write("\r\nmn\r\n".getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
            }
            for (Socket s : sockets) {
                replies.add(readUntil(s.getInputStream(), "MN\r\n"));
            }
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        long refused = 0;
        try (RawClient c = new RawClient(port)) {
            for (int i = 0; i < clients; i++) {
                String reply = replies.get(i);
                assertThat(reply).isIn("HD\r\nMN\r\n", "SERVER_ERROR Out of memory during read\r\nMN\r\n");
                boolean stored = reply.startsWith("HD");
                refused += stored ? 0 : 1;
                assertThat(c.roundTrip("mg stall:" + i + " s\r\n", "\r\n")).isEqualTo("HD s" + (stored ? vlen : 3) + "\r\n");
            }
        }
        return refused;
    }

    private static String hugeMultiGet(int port, int keys) throws IOException {
        StringBuilder line = new StringBuilder(keys * 2 + 32).append("get kept:1 ");
        for (int i = 0; i < keys; i++) {
            line.append("x ");
        }
        line.append("kept:2\r\nmn\r\n");
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(15_000);
            Thread writer = new Thread(() -> {
                try {
                    s.getOutputStream().write(line.toString().getBytes(StandardCharsets.US_ASCII));
                } catch (IOException ignored) {
                    // the reader reports what arrived
                }
            });
            writer.start();
            try {
                return readUntil(s.getInputStream(), "MN\r\n");
            } finally {
                s.shutdownOutput();
            }
        }
    }

    private static String readUntil(InputStream in, String suffix) throws IOException {
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[8192];
        while (!sb.toString().endsWith(suffix)) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        }
        return sb.toString();
    }

    // ---- fixtures

    private static void storeKeptItems(int port) throws IOException {
        try (RawClient c = new RawClient(port)) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < KEPT_ITEMS; i++) {
                sb.append(storeCommand("kept:" + i, value(100)));
            }
            c.send(sb.toString());
            assertThat(c.readUntil("STORED\r\n".repeat(KEPT_ITEMS), 15_000)).isEqualTo("STORED\r\n".repeat(KEPT_ITEMS));
        }
    }

    private static int keptItemsStillThere(int port) throws IOException {
        int found = 0;
        String expected = new String(value(100), StandardCharsets.ISO_8859_1);
        try (RawClient c = new RawClient(port)) {
            for (int i = 0; i < KEPT_ITEMS; i++) {
                String reply = c.roundTrip("get kept:" + i + "\r\n", "END\r\n");
                if (reply.equals("VALUE kept:" + i + " 0 100\r\n" + expected + "\r\nEND\r\n")) {
                    found++;
                }
            }
        }
        return found;
    }

    private static String storeCommand(String key, byte[] value) {
        return "set " + key + " 0 0 " + value.length + "\r\n" + new String(value, StandardCharsets.ISO_8859_1) + "\r\n";
    }

    private static byte[] value(int length) {
        byte[] v = new byte[length];
        for (int i = 0; i < length; i++) {
            v[i] = (byte) ('a' + i % 26);
        }
        return v;
    }

    private long rss() throws IOException {
        return NodeProcess.rssBytes(node.pid());
    }

    /**
     * The module README's bound for this node's settings: {@code -m} and a first page per slab class,
     * plus the JVM (heap limit 48 MB + m/8 and the fixed non-heap allowance), plus the
     * connection-buffer budget, plus the per-connection allowance for every connection allowed.
     */
    private static long documentedBound() {
        long heap = (48 + MEMORY_MB / 8) * MB;
        return MEMORY_MB * MB + ServerMemoryBound.FIRST_PAGES + heap + ServerMemoryBound.JVM_NON_HEAP
                + BUDGET_MB * MB + MAX_CONNECTIONS * ServerMemoryBound.PER_CONNECTION;
    }

    /** What a load on {@code connections} connections may add to an idle node: budget, connections, heap growth. */
    private static long growthBound(int connections) {
        return BUDGET_MB * MB + (long) connections * ServerMemoryBound.PER_CONNECTION + (48 + MEMORY_MB / 8) * MB;
    }

    /** The figures of the README's memory bound that these tests hold the node to. */
    static final class ServerMemoryBound {
        /** JVM memory outside the heap: code, metaspace, thread stacks, GC structures, Netty's pools. */
        static final long JVM_NON_HEAP = 64 * MB;
        /** One page per slab class past -m (a class's first page): 42 classes at the default slab settings. */
        static final long FIRST_PAGES = 42 * MB;
        /** Input and output buffers one connection may hold beyond the node-wide budgets. */
        static final long PER_CONNECTION = 160 * 1024;
    }

    /** Another client that keeps asking for a stored item and records the slowest answer. */
    private static final class Probe implements AutoCloseable {
        private final int port;
        private final Thread thread;
        private volatile boolean stop;
        private volatile long slowestNanos;
        private volatile String failure;
        private volatile int answers;

        Probe(int port) {
            this.port = port;
            thread = new Thread(() -> run(port), "probe-" + port);
            thread.setDaemon(true);
            thread.start();
        }

        private void run(int port) {
            String expected = "VALUE kept:0 0 100\r\n" + new String(value(100), StandardCharsets.ISO_8859_1) + "\r\nEND\r\n";
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(3000);
                byte[] request = "get kept:0\r\n".getBytes(StandardCharsets.US_ASCII);
                while (!stop) {
                    long t0 = System.nanoTime();
                    s.getOutputStream().write(request);
                    String reply = readUntil(s.getInputStream(), "END\r\n");
                    slowestNanos = Math.max(slowestNanos, System.nanoTime() - t0);
                    if (!reply.equals(expected)) {
                        failure = "unexpected reply: " + reply;
                        return;
                    }
                    answers++;
                    Thread.sleep(50);
                }
            } catch (IOException | InterruptedException e) {
                failure = e.toString();
            }
        }

        void resetSlowest() {
            slowestNanos = 0;
        }

        void assertAnsweredWithinASecond() throws InterruptedException {
            int before = answers;
            long deadline = System.nanoTime() + 1_000_000_000L;
            while (answers == before && failure == null && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(failure).as("probe failure on port %d", port).isNull();
            assertThat(answers).as("probe answers within the last second on port %d", port).isGreaterThan(before);
            assertThat(slowestNanos).as("slowest probe answer (ns) on port %d", port).isLessThan(1_000_000_000L);
        }

        @Override
        public void close() {
            stop = true;
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
