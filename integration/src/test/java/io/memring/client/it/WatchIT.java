package io.memring.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memring.client.ClientConfig;
import io.memring.client.MemcacheClients;
import io.memring.client.routing.RingClient;
import io.memring.client.watch.Mutation;
import io.memring.client.watch.MutationKind;
import io.memring.client.watch.WatchMode;
import io.memring.client.watch.WatchSubscription;
import io.memring.integration.Cluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The client's mutation streams against real nodes: two clients, one watching what the other writes. */
class WatchIT {

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static RingClient client(Cluster c) {
        return client(c.servers());
    }

    static RingClient client(List<InetSocketAddress> servers) {
        return MemcacheClients.create(ClientConfig.builder().servers(servers)
                .reconnect(Duration.ofMillis(50), Duration.ofMillis(500)).connectTimeout(Duration.ofSeconds(2)).build());
    }

    @Test
    void twoClients_writesOfOneReachTheOther_withValues_andOwnWritesAreNotEchoed() throws Exception {
        Cluster cluster = Cluster.memring(2);
        try (RingClient a = client(cluster); RingClient b = client(cluster)) {
            assertThat(a.clientId()).isNotZero().isNotEqualTo(b.clientId());
            RecordingSink sink = new RecordingSink();
            try (WatchSubscription sub = a.watch(b("jc:w:"), true, sink)) {
                assertThat(sub.mode()).isEqualTo(WatchMode.PUSH);
                for (var node : cluster.servers()) {
                    assertThat(sub.live(node)).as("live on " + node).isTrue();
                }
                Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> sink.subscribed.size() == 2);
                a.blocking().set(b("jc:w:own"), b("mine"), 0, 0); // A's own write: no echo
                b.blocking().set(b("jc:w:k"), b("v1"), 3, 0);
                b.blocking().set(b("jc:w:k"), b("v2"), 4, 0);
                b.blocking().set(b("jc:other:k"), b("x"), 0, 0); // outside the prefix
                b.blocking().delete(b("jc:w:k"));
                Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> sink.mutations.size() >= 3);
                List<Mutation> ms = sink.mutations;
                assertThat(sink.kinds()).containsExactly(MutationKind.CREATED, MutationKind.UPDATED, MutationKind.DELETED);
                assertThat(ms).allSatisfy(m -> {
                    assertThat(RecordingSink.text(m.key())).isEqualTo("jc:w:k");
                    assertThat(m.originClientId()).isEqualTo(b.clientId());
                    assertThat(m.node()).isEqualTo(a.ownerOf(b("jc:w:k")));
                });
                assertThat(RecordingSink.text(ms.get(0).newValue())).isEqualTo("v1");
                assertThat(ms.get(0).oldValue()).isNull();
                assertThat(RecordingSink.text(ms.get(1).oldValue())).isEqualTo("v1");
                assertThat(RecordingSink.text(ms.get(1).newValue())).isEqualTo("v2");
                assertThat(ms.get(1).flags()).isEqualTo(4);
                assertThat(ms.get(1).oldFlags()).as("the old value's encoding").isEqualTo(3);
                assertThat(RecordingSink.text(ms.get(2).oldValue())).isEqualTo("v2");
                assertThat(ms.get(2).seq()).isEqualTo(ms.get(1).seq() + 1);

                // another client's incr/decr: an update with the count before, under the item's own flags
                b.blocking().set(b("jc:w:n"), b("41"), 6, 0);
                assertThat(b.blocking().incr(b("jc:w:n"), 1, -1, 0)).isEqualTo(42L);
                assertThat(b.blocking().decr(b("jc:w:n"), 40, -1, 0)).isEqualTo(2L);
                Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> sink.mutations.size() >= 6);
                List<Mutation> counts = ms.subList(3, 6);
                assertThat(counts).extracting(Mutation::kind)
                        .containsExactly(MutationKind.CREATED, MutationKind.UPDATED, MutationKind.UPDATED);
                assertThat(RecordingSink.text(counts.get(1).oldValue())).isEqualTo("41");
                assertThat(RecordingSink.text(counts.get(1).newValue())).isEqualTo("42");
                assertThat(counts.get(1).oldFlags()).isEqualTo(6);
                assertThat(RecordingSink.text(counts.get(2).oldValue())).isEqualTo("42");
                assertThat(RecordingSink.text(counts.get(2).newValue())).isEqualTo("2 "); // rewritten in place, as memcached

                b.blocking().flushAll();
                Awaitility.await().atMost(5, TimeUnit.SECONDS)
                        .until(() -> sink.mutations.stream().filter(m -> m.kind() == MutationKind.FLUSHED).count() == 2);
                assertThat(sink.resets).isEmpty();
            }
        } finally {
            cluster.stop();
        }
    }

    /**
     * More than 64 distinct subscriptions are merged into prefixes the node takes (it refuses over 64,
     * and the client used to reconnect forever); a union no set of 64 prefixes covers (65 distinct first
     * bytes) is refused at watch() and the other subscriptions stay live.
     */
    @Test
    void manyPrefixes_areMergedForTheNode_andAnInexpressibleOneIsRefusedAtWatch() throws Exception {
        Cluster cluster = Cluster.memring(1);
        List<WatchSubscription> subs = new java.util.ArrayList<>();
        try (RingClient a = client(cluster); RingClient b = client(cluster)) {
            RecordingSink sink = new RecordingSink();
            for (int i = 0; i < 100; i++) {
                subs.add(a.watch(b("m" + i + ":"), false, sink)); // 100 distinct prefixes
            }
            for (int c = 0x21; subs.size() < 100 + 63; c++) {
                if (c != 'm') {
                    subs.add(a.watch(new byte[] {(byte) c, 'q'}, false, sink)); // 64 distinct first bytes in all
                }
            }
            InetSocketAddress node = cluster.servers().get(0);
            assertThat(subs).allSatisfy(s -> assertThat(s.live(node)).isTrue());
            assertThatThrownBy(() -> a.watch(new byte[] {(byte) 0x7e, 'z'}, false, sink)).isInstanceOf(IllegalArgumentException.class);
            b.blocking().set(b("m42:k"), b("v"), 0, 0);
            b.blocking().set(b("m420:k"), b("v"), 0, 0); // under the merged prefix, no subscription's: not delivered
            Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> sink.mutations.size() >= 1);
            assertThat(subs).allSatisfy(s -> assertThat(s.live(node)).isTrue());
            assertThat(sink.resets).isEmpty();
            assertThat(RecordingSink.text(sink.mutations.get(0).key())).isEqualTo("m42:k");
        } finally {
            subs.forEach(WatchSubscription::close);
            cluster.stop();
        }
    }

    @Test
    void nodeKilledAndRestarted_disconnectedThenNewBootAndSubscribedAgain() throws Exception {
        Cluster cluster = Cluster.memring(1);
        try (RingClient a = client(cluster); RingClient b = client(cluster)) {
            RecordingSink sink = new RecordingSink();
            InetSocketAddress node = cluster.address(0);
            try (WatchSubscription sub = a.watch(b("k:"), false, sink)) {
                Awaitility.await().atMost(15, TimeUnit.SECONDS).until(() -> sink.subscribed.size() == 1); // a cold node JVM under load
                String boot1 = sink.subscribed.get(0);
                cluster.kill(0);
                Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> sink.resets.contains("DISCONNECTED"));
                assertThat(sub.live(node)).isFalse();
                cluster.restart(0);
                Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> sink.subscribed.size() == 2);
                assertThat(sink.all).containsSubsequence("subscribed", "reset DISCONNECTED", "reset NEW_BOOT", "subscribed");
                assertThat(sink.subscribed.get(1)).isNotEqualTo(boot1);
                assertThat(sub.live(node)).isTrue();
                Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> {
                    try {
                        b.blocking().set(b("k:after"), b("1"), 0, 0);
                        return true;
                    } catch (RuntimeException e) {
                        return false; // b's own connection may still be reconnecting
                    }
                });
                Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> sink.all.contains("CREATED k:after"));
            }
        } finally {
            cluster.stop();
        }
    }

    @Test
    void pausedNode_isResetForAMissedHeartbeat() throws Exception {
        Cluster cluster = Cluster.memringProcesses(1);
        try (RingClient a = client(cluster)) {
            RecordingSink sink = new RecordingSink();
            try (WatchSubscription sub = a.watch(b("k:"), false, sink)) {
                Awaitility.await().atMost(15, TimeUnit.SECONDS).until(() -> sink.subscribed.size() == 1); // a cold node JVM under load
                cluster.pause(0);
                try {
                    Awaitility.await().atMost(8, TimeUnit.SECONDS).until(() -> sink.resets.contains("HEARTBEAT_MISSED"));
                    assertThat(sub.live(cluster.address(0))).isFalse();
                } finally {
                    cluster.resume(0);
                }
                Awaitility.await().atMost(10, TimeUnit.SECONDS).until(() -> sink.subscribed.size() == 2);
                assertThat(sink.resets).doesNotContain("NEW_BOOT"); // same process, same boot
            }
        } finally {
            cluster.stop();
        }
    }

    @Test
    void stockMemcached_bestEffortStoresWithoutVersions() throws Exception {
        Cluster cluster = Cluster.memcached(1);
        try (RingClient a = client(cluster); RingClient b = client(cluster)) {
            RecordingSink sink = new RecordingSink();
            try (WatchSubscription sub = a.watch(b("jc:s:"), true, sink)) {
                Awaitility.await().atMost(15, TimeUnit.SECONDS).until(() -> sink.subscribed.size() == 1); // a cold node JVM under load
                assertThat(sub.mode()).isEqualTo(WatchMode.BEST_EFFORT);
                assertThat(sub.live(cluster.address(0))).isTrue();
                b.blocking().set(b("jc:s:k"), b("v"), 0, 0);
                b.blocking().set(b("jc:s:\u00e9 x"), b("v"), 0, 60); // sent base64, logged URL-encoded
                b.blocking().set(b("jc:other"), b("v"), 0, 0);
                Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> sink.mutations.size() == 2);
                Mutation m = sink.mutations.get(0);
                assertThat(RecordingSink.text(m.key())).isEqualTo("jc:s:k");
                assertThat(m.kind()).isEqualTo(MutationKind.UPDATED);
                assertThat(m.version()).isZero();
                assertThat(m.originClientId()).isZero();
                assertThat(m.newValue()).isNull();
                assertThat(sink.mutations.get(1).key()).isEqualTo(b("jc:s:\u00e9 x"));
                assertThat(sink.mutations.get(1).exptime()).isGreaterThan(System.currentTimeMillis() / 1000);
            }
        } finally {
            cluster.stop();
        }
    }

    /**
     * A fake node that answers every request line with ERROR except mr_watch, which it answers with
     * MW and then {@code garbage}.
     */
    static final class HostileNode implements AutoCloseable {
        final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<Socket> sockets = new CopyOnWriteArrayList<>();
        final Thread acceptor;

        HostileNode(BiConsumer<OutputStream, Integer> garbage) throws IOException {
            acceptor = new Thread(() -> {
                for (int n = 0; n < 50; n++) {
                    try {
                        Socket s = listener.accept();
                        sockets.add(s);
                        int attempt = n;
                        Thread t = new Thread(() -> serve(s, garbage, attempt));
                        t.setDaemon(true);
                        t.start();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private void serve(Socket s, BiConsumer<OutputStream, Integer> garbage, int attempt) {
            try (s) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                StringBuilder line = new StringBuilder();
                int c;
                while ((c = in.read()) >= 0) {
                    if (c != '\n') {
                        line.append((char) c);
                        continue;
                    }
                    if (line.toString().startsWith("mr_watch ")) {
                        out.write("MW 00000000000000ab 0\r\n".getBytes(StandardCharsets.US_ASCII));
                        garbage.accept(out, attempt);
                        out.flush();
                    } else {
                        out.write("ERROR\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                    line.setLength(0);
                }
            } catch (IOException | RuntimeException e) {
                // the client hung up
            }
        }

        InetSocketAddress address() {
            return new InetSocketAddress("127.0.0.1", listener.getLocalPort());
        }

        @Override
        public void close() throws Exception {
            listener.close();
            for (Socket s : sockets) {
                s.close();
            }
            acceptor.join(5000);
        }
    }

    static void write(OutputStream out, String s) {
        try {
            out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void hostileNode_garbageIsAResetNeverACrash() throws Exception {
        List<String> garbage = List.of(
                "ME 1 N !!!notbase64 1 0 0 0 - -\r\n",                        // bad base64
                "ME 1 N " + "QUFB".repeat(200) + " 1 0 0 0 - -\r\n",          // key of 600 bytes
                "ME 1 N azE= 1 0 0 0 999999999 -\r\n",                       // value over the limit
                "ME 1 N azE= 1 0 0 0 2 -\r\nabXY",                            // data block without CRLF
                "ME 1 Q azE= 1 0 0 0 - -\r\n",                               // unknown kind
                "ME 1 N azE= -5 0 0 0 - -\r\n",                              // bad number
                "ME 7 N azE= 1 0 0 0 - -\r\n",                               // a gap
                "MH 3\r\n",                                                   // heartbeat ahead of the stream
                "x".repeat(100_000),                                          // a line that never ends
                "\u0000\u0001\u00ff garbage\r\n");                               // binary noise
        try (HostileNode hostile = new HostileNode((out, attempt) -> write(out, garbage.get(attempt % garbage.size())))) {
            RecordingSink sink = new RecordingSink();
            try (RingClient a = client(List.of(hostile.address()))) {
                try (WatchSubscription sub = a.watch(b("k"), true, sink)) {
                    Awaitility.await().atMost(20, TimeUnit.SECONDS).until(() -> sink.resets.size() >= garbage.size());
                    assertThat(sink.mutations).isEmpty();
                    assertThat(sink.resets).contains("GAP", "DISCONNECTED");
                    assertThat(sink.all.get(0)).isEqualTo("subscribed");
                    assertThat(sink.all.get(1)).startsWith("reset ");
                }
                // the client itself still works against a real node afterwards: nothing escaped
                assertThat(a.nodeStatus()).hasSize(1);
            }
        }
    }

    @Test
    void slowSink_clientStopsReading_nodeDropsTheSubscriber_thenItResubscribes() throws Exception {
        Cluster cluster = Cluster.memring(1);
        RecordingSink sink = new RecordingSink();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        io.memring.client.watch.MutationSink slow = new io.memring.client.watch.MutationSink() {
            @Override
            public void mutation(Mutation m) {
                try {
                    release.await(30, TimeUnit.SECONDS); // a sink far behind (the contract forbids blocking: this is the worst case)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                sink.mutation(m);
            }

            @Override
            public void reset(InetSocketAddress node, io.memring.client.watch.ResetReason reason) {
                sink.reset(node, reason);
            }

            @Override
            public void subscribed(InetSocketAddress node, long bootId) {
                sink.subscribed(node, bootId);
            }
        };
        int writes = 4000;
        try (RingClient a = client(cluster); RingClient b = client(cluster); WatchSubscription sub = a.watch(b("s:"), true, slow)) {
            Awaitility.await().atMost(15, TimeUnit.SECONDS).until(() -> sink.subscribed.size() == 1); // a cold node JVM under load
            byte[] value = new byte[20_000];
            for (int i = 0; i < writes; i++) {
                b.blocking().set(b("s:" + i % 100), value, 0, 0); // 40 MB of old+new values for the stream
            }
            release.countDown();
            Awaitility.await().atMost(60, TimeUnit.SECONDS).until(() -> sink.subscribed.size() == 2);
            assertThat(sink.resets).containsAnyOf("OVERFLOW", "DISCONNECTED");
            assertThat(sink.mutations.size()).as("events dropped by the node").isLessThan(writes);
            assertThat(sub.live(cluster.address(0))).isTrue();
            b.blocking().set(b("s:after"), b("1"), 0, 0);
            Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> sink.all.contains("CREATED s:after"));
        } finally {
            release.countDown();
            cluster.stop();
        }
    }

    /**
     * Regression: two mr_watch lines in flight when stock memcached's first ERROR arrived made the
     * second ERROR read as "watch mutations refused too", so the node was taken for one with no stream.
     */
    @Test
    void stockNode_twoWatchLinesInFlight_bothErrorsAreMrWatchs_thenBestEffort() throws Exception {
        java.util.concurrent.CountDownLatch firstWatchSeen = new java.util.concurrent.CountDownLatch(1);
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                List<Socket> open = new java.util.ArrayList<>();
                try {
                    for (int n = 0; n < 10; n++) {
                        Socket s = listener.accept();
                        open.add(s);
                        Thread t = new Thread(() -> fakeStock(s, firstWatchSeen));
                        t.setDaemon(true);
                        t.start();
                    }
                } catch (IOException closed) {
                    // test over
                } finally {
                    for (Socket s : open) {
                        try {
                            s.close();
                        } catch (IOException ignored) {
                            // closing
                        }
                    }
                }
            });
            server.setDaemon(true);
            server.start();
            try (RingClient a = client(List.of(new InetSocketAddress("127.0.0.1", listener.getLocalPort())))) {
                RecordingSink sink = new RecordingSink();
                java.util.concurrent.CompletableFuture<WatchSubscription> first =
                        java.util.concurrent.CompletableFuture.supplyAsync(() -> a.watch(b("p1"), false, sink));
                assertThat(firstWatchSeen.await(5, TimeUnit.SECONDS)).isTrue();
                WatchSubscription second = a.watch(b("p2"), false, sink); // sent while the first is unanswered
                WatchSubscription one = first.get(5, TimeUnit.SECONDS);
                Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> sink.subscribed.size() == 2);
                assertThat(second.mode()).isEqualTo(WatchMode.BEST_EFFORT);
                assertThat(one.live(new InetSocketAddress("127.0.0.1", listener.getLocalPort()))).isTrue();
                one.close();
                second.close();
            }
        }
    }

    /** Stock memcached's answers, except that the first mr_watch is answered only once a second one arrived. */
    private static void fakeStock(Socket s, java.util.concurrent.CountDownLatch firstWatchSeen) {
        try (s) {
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = s.getOutputStream();
            int watches = 0;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("mr_watch ")) {
                    watches++;
                    firstWatchSeen.countDown();
                    if (watches == 2) {
                        write(out, "ERROR\r\nERROR\r\n");
                    }
                } else if (line.equals("watch mutations")) {
                    write(out, "OK\r\n");
                } else {
                    write(out, "ERROR\r\n");
                }
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // the client hung up
        }
    }
}
