package io.memring.server.watch;

import static io.memring.server.watch.MutationStreamIT.b64;
import static io.memring.server.watch.MutationStreamIT.stat;
import static org.assertj.core.api.Assertions.assertThat;

import io.memring.server.MemringServer;
import io.memring.server.ServerConfig;
import io.memring.testing.RawClient;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bytes charged to the node-wide total ({@code watch_bytes}) are all released however a subscriber
 * ends: closed by its peer with output unread (FIN or RST), dropped at its own bound, dropped for its
 * share of the total. A leak would add up until every subscriber is over its share.
 */
class WatchAccountingIT {
    private static final long KB = 1024;

    MemringServer node;

    @BeforeEach
    void start() throws Exception {
        node = MemringServer.start(ServerConfig.defaults().withPort(0).withWorkerThreads(2)
                .withWatchBufferBytes(512 * KB).withWatchTotalBytes(1024 * KB));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private RawClient writer() throws Exception {
        RawClient c = new RawClient(node.port());
        assertThat(c.roundTrip("mr_client " + MutationStreamIT.B + "\r\n", "\r\n")).isEqualTo("OK\r\n");
        return c;
    }

    private Socket stalledSubscriber(int i) throws Exception {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", node.port()));
        s.getOutputStream().write(String.format("mr_watch %016x values %s\r\n", 0x300L + i, b64("c"))
                .getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    @Test
    void churnedSubscribers_killedMidStreamOrDropped_releaseEveryByte_andAFreshOneIsServed() throws Exception {
        String value = "v".repeat(8 * 1024);
        try (RawClient writer = writer(); RawClient admin = new RawClient(node.port())) {
            for (int round = 0; round < 5; round++) {
                List<Socket> subs = new ArrayList<>();
                try {
                    for (int i = 0; i < 4; i++) {
                        subs.add(stalledSubscriber(round * 4 + i));
                    }
                    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> stat(admin, "watch_subscribers").equals("4"));
                    // 40 events of 8 KB: each subscriber holds some (its socket takes little), none is over a bound yet
                    for (int i = 0; i < 40; i++) {
                        writer.send("set c" + i + " 0 0 " + value.length() + " noreply\r\n" + value + "\r\n");
                    }
                    assertThat(writer.roundTrip("mn\r\n", "MN\r\n")).isEqualTo("MN\r\n");
                    // kill two mid-stream: one with a reset (unread data, SO_LINGER 0), one with a plain close
                    subs.get(0).setSoLinger(true, 0);
                    subs.get(0).close();
                    subs.get(1).close();
                    // the rest are driven over the total (and their own bound): dropped by the node
                    for (int i = 0; i < 200; i++) {
                        writer.send("set c" + i % 50 + " 0 0 " + value.length() + " noreply\r\n" + value + "\r\n");
                    }
                    assertThat(writer.roundTrip("mn\r\n", "MN\r\n")).isEqualTo("MN\r\n");
                    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> stat(admin, "watch_subscribers").equals("0"));
                } finally {
                    for (Socket s : subs) {
                        s.close();
                    }
                }
                Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> stat(admin, "watch_bytes").equals("0"));
            }
            assertThat(Long.parseLong(stat(admin, "watch_overflows"))).as("the stalled ones were dropped").isPositive();
            long overflows = Long.parseLong(stat(admin, "watch_overflows"));
            // a fresh subscriber that reads gets every event of a burst and is never dropped
            try (RawClient fresh = new RawClient(node.port())) {
                assertThat(fresh.roundTrip("mr_watch 00000000000000f1 values " + b64("c") + "\r\n", "\r\n")).startsWith("MW ");
                for (int i = 0; i < 100; i++) {
                    writer.send("set c" + i % 50 + " 0 0 " + value.length() + " noreply\r\n" + value + "\r\n");
                    if (i % 20 == 19) {
                        assertThat(writer.roundTrip("mn\r\n", "MN\r\n")).isEqualTo("MN\r\n");
                        fresh.readUntilCount("ME ", i + 1, 5000);
                    }
                }
                String text = fresh.readUntilCount("ME ", 100, 10_000);
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("ME (\\d+) U ").matcher(text);
                long seen = 0;
                while (m.find()) {
                    assertThat(Long.parseLong(m.group(1))).isEqualTo(++seen);
                }
                assertThat(seen).isEqualTo(100);
                assertThat(fresh.closedByServer()).isFalse();
            }
            assertThat(Long.parseLong(stat(admin, "watch_overflows"))).isEqualTo(overflows);
            Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> stat(admin, "watch_bytes").equals("0"));
        }
    }
}
