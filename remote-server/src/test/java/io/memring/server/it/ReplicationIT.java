package io.memring.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.server.cluster.Membership;
import io.memring.server.cluster.PeerAddress;
import io.memring.testing.NodeProcess;
import io.memring.testing.RawClient;
import io.memring.testing.StockMemcached;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three nodes as separate processes, {@code --replicas 2}: what the primary acknowledged is on the
 * replica with the same CAS and survives {@code kill -9} of the primary; a paused replica keeps its
 * sender's queue bounded, and the counters add up once it is back (deletes dropped meanwhile included).
 */
class ReplicationIT {
    /** Small per-peer queue so that a paused peer overflows it quickly. */
    private static final long QUEUE_BYTES = 256 * 1024;
    private static final long WAIT_MS = 30_000;
    private final List<NodeProcess> nodes = new ArrayList<>();
    private final List<RawClient> clients = new ArrayList<>();
    private Membership ring;

    @BeforeEach
    void startCluster() throws Exception {
        int[] ports = {StockMemcached.freePort(), StockMemcached.freePort(), StockMemcached.freePort()};
        String peers = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
        ring = Membership.of(peers, 2, "127.0.0.1", ports[0]);
        for (int port : ports) {
            nodes.add(NodeProcess.start(port, List.of("-Xmx256m", "-Dmemring.repl.queueBytes=" + QUEUE_BYTES),
                    "-l", "127.0.0.1", "-m", "64", "-t", "2", "--peers", peers, "--replicas", "2"));
        }
        for (NodeProcess n : nodes) {
            clients.add(new RawClient(n.port));
        }
        for (RawClient c : clients) { // ready: not catching up (repl-route's readiness), so clients are served
            await(() -> c.roundTrip("stats\r\n", "END\r\n").contains("STAT repl_state ready\r\n"), "node ready");
        }
        for (int i = 0; i < 3; i++) {
            RawClient c = clients.get(i);
            for (int p = 0; p < 3; p++) {
                if (p != i) {
                    String up = "repl_peer_" + p + "_up";
                    await(() -> stats(c).getOrDefault(up, 0L) == 1, "node " + i + " linked to " + p);
                }
            }
        }
    }

    @AfterEach
    void stopCluster() throws IOException {
        for (RawClient c : clients) {
            c.close();
        }
        nodes.forEach(NodeProcess::close);
    }

    @Test
    void acknowledgedWritesAndDeletes_surviveKillingThePrimary_onTheReplicaWithTheSameCas() throws Exception {
        List<String> keys = keysOwnedBy(0, 1, 300);
        RawClient primary = clients.get(0);
        RawClient replica = clients.get(1);
        for (String k : keys) {
            assertThat(primary.roundTrip("set " + k + " 9 0 " + (k.length() + 2) + "\r\nv1" + k + "\r\n", "\r\n")).isEqualTo("STORED\r\n");
        }
        Map<String, String> onPrimary = gets(primary, keys);
        await(() -> gets(replica, keys).equals(onPrimary), "replica holds every key with the primary's CAS");

        Map<String, String> latest = new HashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            String k = keys.get(i);
            if (i % 3 == 0) {
                assertThat(primary.roundTrip("delete " + k + "\r\n", "\r\n")).isEqualTo("DELETED\r\n");
            } else if (i % 3 == 1) {
                assertThat(primary.roundTrip("append " + k + " 0 0 2\r\n+a\r\n", "\r\n")).isEqualTo("STORED\r\n");
                latest.put(k, "v1" + k + "+a");
            } else {
                latest.put(k, "v1" + k);
            }
        }
        Map<String, String> acknowledged = gets(primary, keys);
        long p99 = stats(replica).get("repl_lag_ms_p99");
        Thread.sleep(Math.max(200, 3 * p99)); // more than the measured lag
        nodes.get(0).kill();

        Map<String, String> afterKill = gets(replica, keys);
        assertThat(afterKill).isEqualTo(acknowledged);
        for (String k : keys) {
            String value = latest.get(k);
            assertThat(afterKill.get(k)).as(k).isEqualTo(value == null ? null : value + " cas=" + acknowledged.get(k).split("cas=")[1]);
        }
    }

    @Test
    void aPausedReplica_keepsTheQueueBounded_dropsAreCounted_andAResyncConverges() throws Exception {
        List<String> keys = keysOwnedBy(0, 1, 8000);
        RawClient primary = clients.get(0);
        byte[] value = "x".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        nodes.get(1).pause();
        long maxQueue = 0;
        try {
            for (int i = 0; i < keys.size(); i++) {
                primary.send("set " + keys.get(i) + " 0 0 " + value.length + " noreply\r\n");
                primary.send(value);
                primary.send("\r\n");
                if (i % 500 == 0) {
                    maxQueue = Math.max(maxQueue, stats(primary).get("repl_peer_1_queue_bytes"));
                }
            }
            // Deletes of keys node 1 already received, dropped like the rest: the resync must replay them.
            for (String k : keys.subList(0, 500)) {
                primary.send("delete " + k + " noreply\r\n");
            }
            Map<String, Long> paused = stats(primary);
            maxQueue = Math.max(maxQueue, paused.get("repl_peer_1_queue_bytes"));
            assertThat(paused.get("repl_peer_1_dropped")).as("8 MB cannot wait in a 256 KB queue").isPositive();
        } finally {
            nodes.get(1).resume();
        }
        assertThat(maxQueue).isLessThanOrEqualTo(QUEUE_BYTES);

        // Quiet again: every frame the senders wrote to node 1, live or resync, has been applied there.
        List<Map<String, Long>> last = new ArrayList<>(List.of(Map.of(), Map.of(), Map.of()));
        try {
            await(() -> {
                for (int i = 0; i < 3; i++) {
                    last.set(i, stats(clients.get(i)));
                }
                long shipped = 0;
                boolean perLink = true;
                for (int i : new int[] {0, 2}) {
                    long fromI = last.get(i).get("repl_peer_1_sent") + last.get(i).get("repl_peer_1_resync_items");
                    shipped += fromI;
                    perLink &= last.get(1).get("repl_peer_" + i + "_applied_from") == fromI;
                }
                return last.get(0).get("repl_peer_1_queue_bytes") == 0 && last.get(0).get("repl_peer_1_resyncs") >= 1
                        && last.get(1).get("repl_applied") == shipped && perLink;
            }, "node 1 applied every frame sent to it (live and resync)");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + " " + last + "\n" + nodes.get(0).output());
        }
        Map<String, Long> sender = last.get(0);
        assertThat(sender.get("repl_peer_1_offered"))
                .isEqualTo(sender.get("repl_peer_1_sent") + sender.get("repl_peer_1_dropped"));

        assertThat(gets(clients.get(1), keys.subList(0, 500)).keySet()).as("deleted while paused").isEmpty();
        for (int from = 0; from < keys.size(); from += 200) {
            List<String> batch = keys.subList(from, Math.min(keys.size(), from + 200));
            assertThat(gets(clients.get(1), batch)).isEqualTo(gets(primary, batch));
        }
    }

    /**
     * A flush_all dropped for a paused replica (its queue overflowed) is replayed ahead of the resync:
     * the resync streams only the sender's live items, so without the replay the replica kept every
     * item the flush removed everywhere else (seen once as a flaky PeerReplicationTest).
     */
    @Test
    void aFlushDroppedForAPausedReplica_isReplayedByItsResync() throws Exception {
        List<String> keys = keysOwnedBy(0, 1, 8020);
        List<String> early = keys.subList(0, 20);
        RawClient primary = clients.get(0);
        for (String k : early) {
            assertThat(primary.roundTrip("set " + k + " 0 0 1\r\ne\r\n", "\r\n")).isEqualTo("STORED\r\n");
        }
        await(() -> gets(clients.get(1), early).size() == early.size(), "node 1 holds the early keys");
        byte[] value = "x".repeat(1000).getBytes(StandardCharsets.US_ASCII);
        nodes.get(1).pause();
        try {
            for (String k : keys.subList(20, keys.size())) { // 8 MB: more than the socket buffers and the 256 KB queue hold
                primary.send("set " + k + " 0 0 " + value.length + " noreply\r\n");
                primary.send(value);
                primary.send("\r\n");
            }
            // The queue now has less room than a set frame but maybe room for a 29-byte flush frame: top it
            // up with delayed flushes (29 bytes each, cancelled by the immediate one below) until one is
            // dropped, so the immediate flush is dropped too (bounded: 2,000).
            long droppedSoFar = stats(primary).get("repl_peer_1_dropped");
            for (int i = 0; i < 2000 && stats(primary).get("repl_peer_1_dropped") == droppedSoFar; i++) {
                primary.send("flush_all 2000000 noreply\r\n");
            }
            long droppedBefore = stats(primary).get("repl_peer_1_dropped");
            assertThat(primary.roundTrip("flush_all\r\n", "\r\n")).isEqualTo("OK\r\n");
            assertThat(stats(primary).get("repl_peer_1_dropped")).as("the flush itself was dropped").isGreaterThan(droppedBefore);
        } finally {
            nodes.get(1).resume();
        }
        // A node back from a pause answers "catching up" for a while: wait for a real, empty reply.
        String emptyReply = "END\r\n";
        await(() -> stats(primary).get("repl_peer_1_resyncs") >= 1
                        && clients.get(1).roundTrip("get " + String.join(" ", early) + "\r\n", "\r\n").equals(emptyReply),
                "node 1 lost the flushed keys after its resync");
        assertThat(gets(primary, early)).isEmpty();
    }

    private List<String> keysOwnedBy(int primary, int replica, int n) {
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < n && i < 100 * n; i++) {
            String k = "r" + i;
            List<PeerAddress> owners = ring.owners(k.getBytes(StandardCharsets.US_ASCII));
            if (owners.get(0).index() == primary && owners.get(1).index() == replica) {
                keys.add(k);
            }
        }
        assertThat(keys).hasSize(n);
        return keys;
    }

    /** Returns key -> "value cas=N" for the keys present, read with one multi-key gets. */
    private static Map<String, String> gets(RawClient c, List<String> keys) throws IOException {
        String reply = c.roundTrip("gets " + String.join(" ", keys) + "\r\n", "END\r\n");
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("VALUE (\\S+) \\d+ \\d+ (\\d+)\r\n([^\r]*)\r\n").matcher(reply);
        while (m.find()) {
            out.put(m.group(1), m.group(3) + " cas=" + m.group(2));
        }
        return out;
    }

    private static Map<String, Long> stats(RawClient c) throws IOException {
        Map<String, Long> out = new HashMap<>();
        for (String line : c.roundTrip("stats\r\n", "END\r\n").split("\r\n")) {
            String[] t = line.split(" ");
            if (t.length == 3 && t[1].startsWith("repl_") && t[2].matches("-?\\d+")) {
                out.put(t[1], Long.parseLong(t[2]));
            }
        }
        return out;
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private static void await(Check check, String what) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (!check.holds()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("not within " + WAIT_MS + " ms: " + what);
            }
            Thread.sleep(50);
        }
    }
}
