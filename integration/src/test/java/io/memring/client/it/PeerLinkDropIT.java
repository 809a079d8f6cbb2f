package io.memring.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.client.ClientConfig;
import io.memring.client.GetResult;
import io.memring.client.MemcacheClients;
import io.memring.client.StoreResult;
import io.memring.client.routing.RingClient;
import io.memring.integration.Cluster;
import io.memring.server.cluster.Membership;
import io.memring.server.cluster.PeerAddress;
import io.memring.testing.DroppingProxy;
import io.memring.testing.RawClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three node processes ({@code --replicas 2}) whose replication links between nodes 0 and 1 pass
 * through a proxy that keeps cutting them ({@link DroppingProxy}, via {@code -Dmemring.repl.linkVia})
 * while a client writes; every node keeps serving clients. Checked: no read, through the client or
 * straight from any owner, ever shows a key older than one it showed before; each sender's queue
 * stays within its bound; each link's counters add up; and once the links are left alone every owner
 * holds every key's latest value.
 */
class PeerLinkDropIT {
    private static final int KEYS = 1000;
    private static final long QUEUE_BYTES = 256 * 1024;
    private Cluster cluster;
    private RingClient client;
    private final List<DroppingProxy> proxies = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.stop();
        }
        for (DroppingProxy p : proxies) {
            p.close();
        }
    }

    private static byte[] key(int i) {
        return ("pk" + i).getBytes(StandardCharsets.US_ASCII);
    }

    private static Map<String, String> stats(int port) {
        Map<String, String> out = new HashMap<>();
        try (RawClient c = new RawClient(port)) {
            for (String line : c.roundTrip("stats\r\n", "END\r\n").split("\r\n")) {
                String[] parts = line.split(" ", 3);
                if (parts.length == 3 && parts[0].equals("STAT")) {
                    out.put(parts[1], parts[2]);
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return out;
    }

    private static long stat(Map<String, String> s, String name) {
        return Long.parseLong(s.get(name));
    }

    private final long[] acked = new long[KEYS];
    private final long[] sent = new long[KEYS];
    private final long[] seenByClient = new long[KEYS];
    /** Per node and key, the newest value read straight from that node. */
    private final Map<Integer, long[]> seenOnNode = new HashMap<>();
    private final List<String> backwards = new ArrayList<>();
    private long maxQueueBytes;
    private int writeErrors;

    private static long value(String reply) {
        return reply.startsWith("VA ") ? Long.parseLong(reply.split("\r\n")[1]) : 0;
    }

    private void round(long version, List<Integer> ports, Map<Integer, RawClient> direct, Membership ring) throws Exception {
        for (int i = 0; i < KEYS; i++) {
            sent[i] = version;
            try {
                StoreResult r = client.set(key(i), Long.toString(version).getBytes(StandardCharsets.US_ASCII), 0, 0)
                        .get(5, TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(StoreResult.Status.STORED);
                acked[i] = version;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                writeErrors++;
            }
        }
        for (int i = 0; i < KEYS; i++) {
            GetResult g = client.get(key(i)).get(5, TimeUnit.SECONDS);
            long v = g == null ? 0 : Long.parseLong(new String(g.value(), StandardCharsets.US_ASCII));
            if (v < Math.max(seenByClient[i], acked[i]) && backwards.size() < 20) {
                backwards.add("client read pk" + i + " = " + v + " after " + Math.max(seenByClient[i], acked[i]));
            }
            seenByClient[i] = Math.max(seenByClient[i], v);
            // every owner's own copy, read straight from it: never older than what it showed before
            for (PeerAddress o : ring.owners(key(i))) {
                int port = o.address().getPort();
                long w = value(direct.get(port).roundTrip("mg pk" + i + " v\r\nmn\r\n", "MN\r\n"));
                long[] seen = seenOnNode.get(port);
                if (w < seen[i] && backwards.size() < 20) {
                    backwards.add("node " + port + " pk" + i + " = " + w + " after " + seen[i]);
                }
                seen[i] = Math.max(seen[i], w);
            }
        }
        for (int port : ports) {
            Map<String, String> s = stats(port);
            for (int peer = 0; peer < ports.size(); peer++) {
                String q = s.get("repl_peer_" + peer + "_queue_bytes");
                if (q != null) {
                    maxQueueBytes = Math.max(maxQueueBytes, Long.parseLong(q));
                }
            }
        }
    }

    @Test
    void linksCutAgainAndAgain_noReadGoesBackwards_queuesBounded_countersAddUp_ownersConverge() throws Exception {
        int[] ports = Cluster.freePorts(3);
        DroppingProxy to1 = new DroppingProxy(new InetSocketAddress("127.0.0.1", ports[1]));
        proxies.add(to1);
        DroppingProxy to0 = new DroppingProxy(new InetSocketAddress("127.0.0.1", ports[0]));
        proxies.add(to0);
        cluster = Cluster.memringReplicated(ports, "2", (i, p) -> {
            List<String> args = new ArrayList<>(List.of("-Dmemring.repl.queueBytes=" + QUEUE_BYTES));
            if (i == 0) {
                args.add("-Dmemring.repl.linkVia=127.0.0.1:" + p[1] + "=" + to1.spelled());
            } else if (i == 1) {
                args.add("-Dmemring.repl.linkVia=127.0.0.1:" + p[0] + "=" + to0.spelled());
            }
            return args;
        });
        List<Integer> portList = new ArrayList<>();
        for (int p : ports) {
            portList.add(p);
            seenOnNode.put(p, new long[KEYS]);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "ready".equals(stats(p).get("repl_state")));
        }
        // the 0 <-> 1 links run through the proxies
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> to1.connections() >= 1 && to0.connections() >= 1
                && "1".equals(stats(ports[0]).get("repl_peer_1_up")) && "1".equals(stats(ports[1]).get("repl_peer_0_up")));
        client = MemcacheClients.create(ClientConfig.builder().servers(cluster.servers()).requestTimeout(Duration.ofMillis(2000)).build());
        Membership ring = Membership.of(cluster.serverSpec(), 2, "127.0.0.1", ports[0]);
        Map<Integer, RawClient> direct = new HashMap<>();
        try {
            for (int p : ports) {
                direct.put(p, new RawClient(p));
            }
            long version = 1;
            round(version++, portList, direct, ring);
            // cut the links between rounds and in the middle of them, sometimes refusing reconnects for a while
            java.util.concurrent.ScheduledExecutorService cutter = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
            int[] cuts = {0};
            try {
                cutter.scheduleAtFixedRate(() -> {
                    cuts[0]++;
                    boolean refuse = cuts[0] % 3 == 0;
                    to0.refuse(refuse);
                    to1.refuse(refuse);
                    to0.dropAll();
                    to1.dropAll();
                }, 100, 250, TimeUnit.MILLISECONDS);
                long start = System.nanoTime();
                while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(8) && version < 200) {
                    round(version++, portList, direct, ring);
                }
            } finally {
                cutter.shutdownNow();
                assertThat(cutter.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
            }
            to0.refuse(false);
            to1.refuse(false);
            long last = version - 1;
            assertThat(to0.dropped.get() + to1.dropped.get()).as("links were cut").isGreaterThan(5);

            // left alone, the links come back, resync, and every owner holds every key's latest value
            List<String> diverged = new ArrayList<>();
            try {
                Awaitility.await().atMost(Duration.ofSeconds(90)).until(() -> {
                    diverged.clear();
                    for (int p : ports) {
                        Map<String, String> s = stats(p);
                        if (s.isEmpty() || stat(s, "repl_queue_bytes") != 0) {
                            diverged.add("node " + p + " queue " + s.get("repl_queue_bytes"));
                        }
                    }
                    for (int i = 0; i < KEYS && diverged.size() < 10; i++) {
                        List<Long> values = new ArrayList<>();
                        for (PeerAddress o : ring.owners(key(i))) {
                            values.add(value(direct.get(o.address().getPort()).roundTrip("mg pk" + i + " v\r\nmn\r\n", "MN\r\n")));
                        }
                        boolean same = values.stream().distinct().count() == 1;
                        if (!same || values.get(0) < acked[i] || values.get(0) > sent[i]) {
                            diverged.add("pk" + i + " owners " + ring.owners(key(i)) + " hold " + values + ", acked " + acked[i]
                                    + ", sent " + sent[i]);
                        }
                    }
                    return diverged.isEmpty();
                });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                StringBuilder links = new StringBuilder();
                for (int p : ports) {
                    Map<String, String> s = stats(p);
                    links.append("\nnode ").append(p).append(':');
                    s.forEach((k, v) -> {
                        if (k.startsWith("repl_peer_") && (k.endsWith("_up") || k.endsWith("_resyncs") || k.endsWith("_queue_bytes")
                                || k.endsWith("_dropped") || k.endsWith("_sent") || k.endsWith("_applied_from"))) {
                            links.append(' ').append(k).append('=').append(v);
                        }
                    });
                }
                throw new AssertionError("owners did not converge: " + diverged + links, e);
            }
            round(version, portList, direct, ring); // and reads still never go backwards
            assertThat(backwards).as("reads that went backwards").isEmpty();
            assertThat(maxQueueBytes).as("largest queue seen").isLessThanOrEqualTo(QUEUE_BYTES);

            // counters add up: per sender and peer, offered = sent + dropped (nothing queued now); on the
            // links that were never cut (to and from node 2) every frame sent or resynced was applied
            Map<Integer, Map<String, String>> s = new HashMap<>();
            for (int p : ports) {
                s.put(p, stats(p));
            }
            StringBuilder report = new StringBuilder();
            for (int from = 0; from < 3; from++) {
                for (int to = 0; to < 3; to++) {
                    if (from == to) {
                        continue;
                    }
                    Map<String, String> f = s.get(ports[from]);
                    String pre = "repl_peer_" + to + "_";
                    long offered = stat(f, pre + "offered");
                    long sentFrames = stat(f, pre + "sent");
                    long dropped = stat(f, pre + "dropped");
                    long resyncItems = stat(f, pre + "resync_items");
                    long applied = stat(s.get(ports[to]), "repl_peer_" + from + "_applied_from");
                    assertThat(offered).as("%d -> %d: offered = sent + dropped", from, to).isEqualTo(sentFrames + dropped);
                    if (from == 2 || to == 2) {
                        assertThat(applied).as("%d -> %d: applied = sent + resync items", from, to).isEqualTo(sentFrames + resyncItems);
                    } else {
                        assertThat(applied).as("%d -> %d: applied <= sent + resync items", from, to).isLessThanOrEqualTo(sentFrames + resyncItems);
                        assertThat(stat(f, pre + "resyncs")).as("%d -> %d: cut links resync", from, to).isPositive();
                    }
                    report.append(String.format(" %d->%d offered %d sent %d dropped %d resyncs %d resync_items %d applied %d;",
                            from, to, offered, sentFrames, dropped, stat(f, pre + "resyncs"), resyncItems, applied));
                }
            }
            System.out.printf("PeerLinkDropIT: %d keys, %d rounds, %d connections cut, %d write errors, largest queue %d bytes;%s%n",
                    KEYS, last, to0.dropped.get() + to1.dropped.get(), writeErrors, maxQueueBytes, report);
        } finally {
            for (RawClient c : direct.values()) {
                c.close();
            }
        }
    }
}
