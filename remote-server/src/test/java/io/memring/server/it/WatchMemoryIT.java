package io.memring.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.testing.NodeProcess;
import io.memring.testing.RawClient;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Mutation-stream subscribers that never read, against a node started through {@code bin/memring-server}
 * (the shipped JVM settings): each is closed at its {@code watch_buffer_bytes}, the node's RSS grows by
 * at most those bounds plus heap growth, and a subscriber that reads still gets every event.
 */
class WatchMemoryIT {
    private static final Path LAUNCHER = Path.of("bin", "memring-server");
    private static final long MB = 1 << 20;
    private static final int STALLED = 16;
    private static final int WRITES = 600;
    private static final int VALUE = 64 * 1024;

    private NodeProcess node;

    @BeforeEach
    void start() throws Exception {
        node = NodeProcess.launch(LAUNCHER, "-m", "64", "-t", "2", "-o", "watch_buffer_bytes=" + MB);
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static String stat(RawClient c, String name) throws Exception {
        Matcher m = Pattern.compile("STAT " + name + " (\\S+)\r\n").matcher(c.roundTrip("stats\r\n", "END\r\n"));
        assertThat(m.find()).as(name).isTrue();
        return m.group(1);
    }

    @Test
    void nonReadingSubscribers_costAtMostTheirBound_andAReaderMissesNothing() throws Exception {
        String watchLine = "mr_watch %016x values " + Base64.getEncoder().encodeToString("m".getBytes(StandardCharsets.US_ASCII)) + "\r\n";
        List<Socket> stalled = new ArrayList<>();
        try (RawClient admin = new RawClient(node.port); RawClient reader = new RawClient(node.port);
             RawClient writer = new RawClient(node.port)) {
            assertThat(reader.roundTrip(String.format(watchLine, 0xfeedL).replace(" values ", " keys "), "\r\n")).startsWith("MW ");
            for (int i = 0; i < STALLED; i++) {
                Socket s = new Socket();
                s.setReceiveBufferSize(4096);
                s.connect(new java.net.InetSocketAddress("127.0.0.1", node.port));
                stalled.add(s);
                s.getOutputStream().write(String.format(watchLine, 0x100L + i).getBytes(StandardCharsets.US_ASCII));
            }
            Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> stat(admin, "watch_subscribers").equals(String.valueOf(STALLED + 1)));
            long idle = NodeProcess.rssBytes(node.pid());
            String value = "v".repeat(VALUE);
            for (int i = 0; i < WRITES; i++) {
                // ten keys: item memory stays flat, events do not
                writer.send("set m" + i % 10 + " 0 0 " + VALUE + " noreply\r\n" + value + "\r\n");
                if (i % 50 == 49) {
                    assertThat(writer.roundTrip("mn\r\n", "MN\r\n")).isEqualTo("MN\r\n");
                    reader.readFor(1); // keep the reader reading
                }
            }
            assertThat(writer.roundTrip("mn\r\n", "MN\r\n")).isEqualTo("MN\r\n");
            Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> stat(admin, "watch_overflows").equals(String.valueOf(STALLED)));
            long loaded = NodeProcess.rssBytes(node.pid());
            long unbounded = (long) STALLED * WRITES * VALUE;
            long bound = STALLED * MB + (48 + 64 / 8) * MB + 16 * MB; // the subscribers' bounds, heap growth, slack
            System.out.printf("%d non-reading subscribers of %d MB of events each: node RSS %d -> %d MB (unbounded: %d MB)%n",
                    STALLED, (long) WRITES * VALUE / MB, idle / MB, loaded / MB, unbounded / MB);
            assertThat(loaded - idle).as("RSS growth").isLessThan(bound);
            String events = reader.readUntilCount("ME ", WRITES, 20_000);
            assertThat(events).contains("ME " + WRITES + " U "
                    + Base64.getEncoder().encodeToString(("m" + (WRITES - 1) % 10).getBytes(StandardCharsets.US_ASCII)) + " ");
            // each overflowed subscriber is closed once MO is out, or after 1 s if it never reads
            Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> stat(admin, "watch_subscribers").equals("1"));
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
    }

    @Test
    void nonReadingSubscribers_areDroppedAtTheNodeWideTotal_whileAReaderAndAClientAreServed() throws Exception {
        node.close();
        node = null;
        long total = 8 * MB;
        // each subscriber's own bound (64 MB) is never reached: only the node-wide total can drop them
        node = NodeProcess.launch(LAUNCHER, "-m", "64", "-t", "2", "-o", "watch_buffer_bytes=" + 64 * MB + ",watch_total_bytes=" + total);
        int stalledCount = 12;
        int writes = 1200;
        int valueSize = 16 * 1024; // 19 MB of events for each subscriber: 230 MB for all without the total
        String watchLine = "mr_watch %016x values " + Base64.getEncoder().encodeToString("t".getBytes(StandardCharsets.US_ASCII)) + "\r\n";
        List<Socket> stalled = new ArrayList<>();
        try (RawClient admin = new RawClient(node.port); RawClient reader = new RawClient(node.port);
             RawClient writer = new RawClient(node.port)) {
            assertThat(admin.roundTrip("stats settings\r\n", "END\r\n")).contains("STAT watch_total_bytes " + total + "\r\n");
            assertThat(reader.roundTrip(String.format(watchLine, 0xfeedL).replace(" values ", " keys "), "\r\n")).startsWith("MW ");
            for (int i = 0; i < stalledCount; i++) {
                Socket s = new Socket();
                s.setReceiveBufferSize(4096);
                s.connect(new java.net.InetSocketAddress("127.0.0.1", node.port));
                stalled.add(s);
                s.getOutputStream().write(String.format(watchLine, 0x200L + i).getBytes(StandardCharsets.US_ASCII));
            }
            Awaitility.await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> stat(admin, "watch_subscribers").equals(String.valueOf(stalledCount + 1)));
            long idle = NodeProcess.rssBytes(node.pid());
            String value = "v".repeat(valueSize);
            long mostHeld = 0;
            for (int i = 0; i < writes; i++) {
                writer.send("set t" + i % 10 + " 0 0 " + valueSize + " noreply\r\n" + value + "\r\n");
                if (i % 50 == 49) {
                    assertThat(writer.roundTrip("mn\r\n", "MN\r\n")).as("the writing client is served").isEqualTo("MN\r\n");
                    mostHeld = Math.max(mostHeld, Long.parseLong(stat(admin, "watch_bytes")));
                    reader.readFor(1);
                }
            }
            assertThat(writer.roundTrip("mn\r\n", "MN\r\n")).isEqualTo("MN\r\n");
            Awaitility.await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> stat(admin, "watch_total_overflows").equals(String.valueOf(stalledCount)));
            assertThat(stat(admin, "watch_overflows")).as("none over its own bound").isEqualTo(String.valueOf(stalledCount));
            long loaded = NodeProcess.rssBytes(node.pid());
            System.out.printf("%d non-reading subscribers, %d MB total bound: most held %d KB, node RSS %d -> %d MB (unbounded: %d MB)%n",
                    stalledCount, total / MB, mostHeld / 1024, idle / MB, loaded / MB, (long) stalledCount * writes * valueSize / MB);
            // the subscribers together hold at most twice the total (those under an equal share may still add theirs)
            assertThat(mostHeld).as("watch_bytes sampled while writing").isLessThanOrEqualTo(2 * total + stalledCount * (valueSize + 200L));
            assertThat(loaded - idle).as("RSS growth").isLessThan(2 * total + (48 + 64 / 8) * MB + 16 * MB);
            String events = reader.readUntilCount("ME ", writes, 20_000);
            assertThat(events).as("the reading subscriber was never dropped").contains("ME " + writes + " U "
                    + Base64.getEncoder().encodeToString(("t" + (writes - 1) % 10).getBytes(StandardCharsets.US_ASCII)) + " ");
            Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> stat(admin, "watch_subscribers").equals("1"));
            Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> Long.parseLong(stat(admin, "watch_bytes")) < 64 * 1024);
            assertThat(admin.roundTrip("version\r\n", "\r\n")).startsWith("VERSION ");
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
    }
}
