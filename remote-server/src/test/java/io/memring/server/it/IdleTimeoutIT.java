package io.memring.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.testing.NodeProcess;
import io.memring.testing.RawClient;
import io.memring.testing.StockMemcached;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * memcached's {@code -o idle_timeout=N}, the node started through {@code bin/memring-server} beside stock
 * memcached 1.6.18 with the same flag: idle clients are closed and counted in {@code idle_kicks}, an
 * active one is not; and, beyond memcached, a client that never reads its replies is closed too, so
 * the budget its queued replies hold comes back.
 */
class IdleTimeoutIT {
    private static final Path LAUNCHER = Path.of("bin", "memring-server");
    private static final int TIMEOUT_S = 2;

    private NodeProcess node;
    private StockMemcached memcached;

    @BeforeEach
    void start() throws Exception {
        node = NodeProcess.launch(LAUNCHER, "-m", "64", "-t", "2", "-o", "idle_timeout=" + TIMEOUT_S + ",read_buf_mem_limit=8");
        memcached = StockMemcached.start("-m", "64", "-t", "2", "-o", "idle_timeout=" + TIMEOUT_S);
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
        if (memcached != null) {
            memcached.close();
        }
    }

    private static long stat(int port, String command, String name) throws IOException {
        try (RawClient c = new RawClient(port)) {
            Matcher m = Pattern.compile("STAT " + name + " (\\d+)\r\n").matcher(c.roundTrip(command + "\r\n", "END\r\n"));
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        }
    }

    /** Reads for a moment; returns whether the server has closed the connection. */
    private static boolean closed(RawClient c) {
        try {
            c.readFor(50);
        } catch (IOException e) {
            return true;
        }
        return c.closedByServer();
    }

    private void idleClientsAreKicked(int port) throws Exception {
        assertThat(stat(port, "stats settings", "idle_timeout")).isEqualTo(TIMEOUT_S);
        long kicksBefore = stat(port, "stats", "idle_kicks"); // a readiness probe's socket may have been kicked already
        assertThat(kicksBefore).isNotNegative();
        try (RawClient idle = new RawClient(port); RawClient partialLine = new RawClient(port); RawClient active = new RawClient(port)) {
            assertThat(idle.roundTrip("version\r\n", "\r\n")).startsWith("VERSION ");
            partialLine.send("get ab");
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
                assertThat(active.roundTrip("version\r\n", "\r\n")).startsWith("VERSION "); // active: never kicked
                return closed(idle) && closed(partialLine);
            });
            assertThat(System.nanoTime()).isLessThan(deadline);
            assertThat(active.roundTrip("set k 0 0 1\r\nv\r\nget k\r\n", "END\r\n")).isEqualTo("STORED\r\nVALUE k 0 1\r\nv\r\nEND\r\n");
            assertThat(closed(active)).isFalse();
        }
        assertThat(stat(port, "stats", "idle_kicks")).isGreaterThanOrEqualTo(kicksBefore + 2);
    }

    @Test
    void idleClients_areClosedAndCounted_asMemcachedDoes() throws Exception {
        idleClientsAreKicked(memcached.port);
        idleClientsAreKicked(node.port);
    }

    @Test
    void aWatchSubscriber_isNotKicked_asMemcachedLeavesItsWatchers() throws Exception {
        try (RawClient watcher = new RawClient(node.port); RawClient writer = new RawClient(node.port)) {
            assertThat(watcher.roundTrip("mr_watch 00000000000000a1 keys\r\n", "\r\n")).startsWith("MW ");
            long deadline = System.nanoTime() + Duration.ofSeconds(TIMEOUT_S * 2L + 2).toNanos();
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
                assertThat(writer.roundTrip("set w 0 0 1\r\nv\r\n", "\r\n")).isEqualTo("STORED\r\n");
                return System.nanoTime() > deadline; // the watcher sends nothing for over twice the timeout
            });
            assertThat(closed(watcher)).isFalse();
            assertThat(watcher.text()).startsWith("MW "); // then heartbeats: output flows, no input
            try (RawClient c = new RawClient(node.port)) {
                assertThat(c.roundTrip("stats conns\r\n", "END\r\n")).contains(" conn_watch\r\n");
            }
        }
    }

    @Test
    void aClientThatNeverReads_isClosed_andItsRepliesBudgetReturns() throws Exception {
        String big = "x".repeat(200 * 1024);
        try (RawClient setter = new RawClient(node.port)) {
            assertThat(setter.roundTrip("set big 0 0 " + big.length() + "\r\n" + big + "\r\n", "\r\n")).isEqualTo("STORED\r\n");
        }
        try (RawClient reader = new RawClient(node.port); RawClient hog = new RawClient(node.port)) {
            for (int i = 0; i < 200; i++) { // never reads: the node stops reading it at its water mark
                try {
                    hog.send("get big\r\n");
                } catch (IOException e) {
                    break; // already closed
                }
            }
            Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
                assertThat(reader.roundTrip("get nothing\r\n", "END\r\n")).isEqualTo("END\r\n");
                return stat(node.port, "stats", "idle_kicks") >= 1 && stat(node.port, "stats", "read_buf_bytes") == 0;
            });
        }
    }
}
