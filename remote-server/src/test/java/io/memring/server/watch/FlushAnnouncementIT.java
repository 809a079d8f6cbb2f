package io.memring.server.watch;

import static io.memring.server.watch.MutationStreamIT.b64;
import static org.assertj.core.api.Assertions.assertThat;

import io.memring.server.MemringServer;
import io.memring.server.ServerConfig;
import io.memring.server.storage.ItemView;
import io.memring.server.storage.MutationListener;
import io.memring.testing.RawClient;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Flush announcements when flush_all commands race on two worker threads. */
class FlushAnnouncementIT {
    MemringServer node;

    @BeforeEach
    void start() throws Exception {
        node = MemringServer.start(ServerConfig.defaults().withPort(0).withWorkerThreads(2));
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    /**
     * An immediate flush_all is accepted, and before the hub hears it a delayed flush_all is accepted on
     * another thread: the node keeps the delayed one (set last), so it must be announced when it takes
     * effect. With the mark set and the hub told outside one lock, the hub heard the delayed one first,
     * then the immediate one "replaced" it: never announced, and near copies outlived it.
     */
    @Test
    void delayedFlush_acceptedWhileAnImmediateOneIsAnnounced_isAnnouncedWhenItTakesEffect() throws Exception {
        WatchHub hub = node.watches();
        try (RawClient w = new RawClient(node.port())) {
            assertThat(w.roundTrip("mr_watch 00000000000000a1 keys " + b64("h") + "\r\n", "\r\n")).startsWith("MW ");
            CountDownLatch inImmediate = new CountDownLatch(1);
            CountDownLatch delayedAccepted = new CountDownLatch(1);
            MutationListener stall = new MutationListener() {
                @Override
                public void stored(ItemView item) {
                }

                @Override
                public void removed(ItemView item, Removal cause) {
                }

                @Override
                public void flushed(long exptime) {
                }

                @Override
                public void flushed(long exptime, long watermark) {
                    if (exptime == 0) { // the immediate one: let the delayed one in (if it can get in) first
                        inImmediate.countDown();
                        try {
                            delayedAccepted.await(1, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
            };
            node.storage().setMutationListener(MutationListener.both(stall, hub));
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                Future<?> immediate = threads.submit(() -> node.storage().flushAll(0));
                assertThat(inImmediate.await(5, TimeUnit.SECONDS)).isTrue();
                Future<?> delayed = threads.submit(() -> {
                    node.storage().flushAll(3);
                    delayedAccepted.countDown();
                });
                immediate.get(10, TimeUnit.SECONDS);
                delayed.get(10, TimeUnit.SECONDS);
            } finally {
                delayedAccepted.countDown();
                threads.shutdownNow();
                node.storage().setMutationListener(hub);
            }
            assertThat(node.storage().oldestLive()).as("the delayed flush is the one pending")
                    .isGreaterThanOrEqualTo(node.storage().clock().now());
            // the immediate one at once, the delayed one when it takes effect and once more a second later
            String text = w.readUntilCount(" F - ", 3, 10_000);
            assertThat(occurrences(text, " F - ")).isEqualTo(3);
        }
    }
    /**
     * A flush is never an echo: the flusher applied nothing locally (its near copies are as dead as
     * anyone's), so its own subscription hears it too, at once and, when delayed, when it takes effect.
     */
    @Test
    void ownFlush_immediateOrDelayed_isAnnouncedToTheFlushersSubscriptionToo() throws Exception {
        try (RawClient w = new RawClient(node.port()); RawClient own = new RawClient(node.port())) {
            assertThat(w.roundTrip("mr_watch 00000000000000a1 keys " + b64("h") + "\r\n", "\r\n")).startsWith("MW ");
            assertThat(own.roundTrip("mr_client 00000000000000a1\r\n", "\r\n")).isEqualTo("OK\r\n");
            assertThat(own.roundTrip("set h1 0 0 1\r\n1\r\n", "\r\n")).isEqualTo("STORED\r\n"); // an echo: not sent
            assertThat(own.roundTrip("flush_all\r\n", "\r\n")).isEqualTo("OK\r\n");
            String text = w.readUntilCount(" F - ", 1, 5000);
            assertThat(MutationStreamIT.events(text)).extracting(MutationStreamIT.Event::kind).containsExactly('F');
            assertThat(own.roundTrip("flush_all 2\r\n", "\r\n")).isEqualTo("OK\r\n");
            text = w.readUntilCount(" F - ", 3, 10_000);
            assertThat(occurrences(text, " F - ")).isEqualTo(3);
        }
    }
    /**
     * memcached keeps one pending flush time: a delayed flush replaced by a later delayed one is never
     * announced, and the later one is announced twice (at its second and the next), never more.
     */
    @Test
    void delayedFlush_replacedByALaterDelayedOne_onlyTheLaterIsAnnounced_twice() throws Exception {
        try (RawClient w = new RawClient(node.port()); RawClient b = new RawClient(node.port())) {
            assertThat(w.roundTrip("mr_watch 00000000000000a1 keys " + b64("h") + "\r\n", "\r\n")).startsWith("MW ");
            assertThat(b.roundTrip("flush_all 2\r\n", "\r\n")).isEqualTo("OK\r\n");
            int replacedAt = node.storage().oldestLive();
            assertThat(b.roundTrip("flush_all 6\r\n", "\r\n")).isEqualTo("OK\r\n"); // margin under load
            int pending = node.storage().oldestLive();
            assertThat(pending).isGreaterThan(replacedAt);
            // heartbeats until the first one's second is over: nothing announced
            w.readUntil("MH 0\r\n", 3000);
            org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> node.storage().clock().now() > replacedAt);
            int heartbeats = occurrences(w.text(), "MH 0\r\n");
            assertThat(w.readUntilCount("MH 0\r\n", heartbeats + 1, 3000)).as("a heartbeat after it, nothing announced")
                    .doesNotContain(" F - ").endsWith("MH 0\r\n");
            assertThat(node.storage().clock().now()).as("still before the pending one").isLessThan(pending);
            w.readUntilCount(" F - ", 2, 15_000);
            // and nothing more: two heartbeats after the second announcement carry seq 2
            String text = w.readUntilCount("MH 2\r\n", 2, 5000);
            assertThat(occurrences(text, " F - ")).isEqualTo(2);
            assertThat(occurrences(text, "MH 2\r\n")).isEqualTo(2);
        }
    }

    /**
     * A flush_all replicated from a peer kills this node's items too (its own and the ones it holds
     * for others), so this node's subscribers must hear it: their near copies from this node are as
     * dead. A replica apply used to be silent here, and a near cache kept them until its TTL.
     */
    @Test
    void flushReplicatedFromAPeer_immediateOrDelayed_isAnnouncedOnThisNodesStream() throws Exception {
        node.close();
        node = null;
        int[] ports = {io.memring.testing.StockMemcached.freePort(), io.memring.testing.StockMemcached.freePort()};
        String peers = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1];
        MemringServer first = null;
        MemringServer second = null;
        try {
            first = clustered(peers, ports[0]);
            node = first; // stopped by stop()
            second = clustered(peers, ports[1]);
            try (RawClient a = new RawClient(ports[0]); RawClient b = new RawClient(ports[1]); RawClient w = new RawClient(ports[1])) {
                for (RawClient c : List.of(a, b)) {
                    org.awaitility.Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> {
                        String st = c.roundTrip("stats\r\n", "END\r\n");
                        return st.contains("STAT repl_state ready\r\n") && st.matches("(?s).*STAT repl_peer_\\d_up 1\r\n.*");
                    });
                }
                assertThat(w.roundTrip("mr_watch 00000000000000a1 keys " + b64("h") + "\r\n", "\r\n")).startsWith("MW ");
                assertThat(a.roundTrip("flush_all\r\n", "\r\n")).isEqualTo("OK\r\n");
                String text = w.readUntilCount(" F - ", 1, 10_000);
                assertThat(occurrences(text, " F - ")).as("the peer's immediate flush").isEqualTo(1);
                assertThat(a.roundTrip("flush_all 2\r\n", "\r\n")).isEqualTo("OK\r\n");
                text = w.readUntilCount(" F - ", 3, 10_000);
                assertThat(occurrences(text, " F - ")).as("and its delayed one, when it takes effect here").isEqualTo(3);
                assertThat(MutationStreamIT.events(text)).extracting(MutationStreamIT.Event::origin).containsOnly(0L);
            }
        } finally {
            if (second != null) {
                second.close();
            }
        }
    }

    private static MemringServer clustered(String peers, int port) throws Exception {
        return MemringServer.start(ServerConfig.defaults().withPort(port).withWorkerThreads(2)
                .withMembership(io.memring.server.cluster.Membership.of(peers, 2, "127.0.0.1", port)));
    }
}
