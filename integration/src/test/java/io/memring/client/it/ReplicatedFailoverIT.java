package io.memring.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.client.ClientConfig;
import io.memring.client.MemcacheClients;
import io.memring.client.GetResult;
import io.memring.client.StoreResult;
import io.memring.client.routing.RingClient;
import io.memring.integration.Cluster;
import io.memring.server.cluster.Membership;
import io.memring.testing.RawClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three node processes, {@code --replicas 2}: one is killed with SIGKILL while a client writes, the
 * client carries on with the next owners, the node restarts empty, catches up and serves the latest
 * values, and no read of any key ever goes backwards.
 */
class ReplicatedFailoverIT {
    private static final int KEYS = 300;
    private Cluster cluster;
    private RingClient client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.stop();
        }
    }

    private static byte[] key(int i) {
        return ("rk" + i).getBytes(StandardCharsets.UTF_8);
    }

    private static String stat(int port, String name) {
        try (RawClient c = new RawClient(port)) {
            for (String line : c.roundTrip("stats\r\n", "END\r\n").split("\r\n")) {
                if (line.startsWith("STAT " + name + " ")) {
                    return line.substring(("STAT " + name + " ").length());
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** What the test knows of each key: the newest value acknowledged, the newest sent, the newest read. */
    private final long[] acked = new long[KEYS];
    private final long[] sent = new long[KEYS];
    private final long[] seen = new long[KEYS];
    private int writeErrors;
    private int readErrors;
    private long longestStallMillis;

    /** One round: every key written with {@code version}, then every key read back and checked. */
    private void round(long version) {
        for (int i = 0; i < KEYS; i++) {
            long start = System.nanoTime();
            sent[i] = version;
            try {
                StoreResult r = client.set(key(i), Long.toString(version).getBytes(StandardCharsets.US_ASCII), 0, 0)
                        .get(5, TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(StoreResult.Status.STORED);
                acked[i] = version;
            } catch (Exception e) {
                if (writeErrors++ < 5) { // outcome unknown: the value is acked[i] or version
                    System.out.println("ReplicatedFailoverIT: write of key " + i + " failed: " + e);
                }
            }
            longestStallMillis = Math.max(longestStallMillis, (System.nanoTime() - start) / 1_000_000);
        }
        for (int i = 0; i < KEYS; i++) {
            long start = System.nanoTime();
            try {
                GetResult g = client.get(key(i)).get(5, TimeUnit.SECONDS);
                if (g == null) {
                    assertThat(acked[i]).as("key %d: a miss after an acknowledged write", i).isZero();
                    assertThat(seen[i]).as("key %d: a miss after a hit", i).isZero();
                    continue;
                }
                long v = Long.parseLong(new String(g.value(), StandardCharsets.US_ASCII));
                assertThat(v).as("key %d: read went backwards", i).isGreaterThanOrEqualTo(seen[i]);
                assertThat(v).as("key %d: older than its last acknowledged write", i).isGreaterThanOrEqualTo(acked[i]);
                assertThat(v).as("key %d: newer than anything sent", i).isLessThanOrEqualTo(sent[i]);
                seen[i] = v;
            } catch (CompletionException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                if (readErrors++ < 5) {
                    System.out.println("ReplicatedFailoverIT: read of key " + i + " failed: " + e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            longestStallMillis = Math.max(longestStallMillis, (System.nanoTime() - start) / 1_000_000);
        }
    }

    @Test
    void killedNode_clientCarriesOn_restartedNodeCatchesUp_noReadGoesBackwards() throws Exception {
        cluster = Cluster.memringReplicated(3, "2");
        for (InetSocketAddress a : cluster.servers()) {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "ready".equals(stat(a.getPort(), "repl_state")));
        }
        client = MemcacheClients.create(ClientConfig.builder().servers(cluster.servers())
                .requestTimeout(Duration.ofMillis(2000)).connectTimeout(Duration.ofMillis(500))
                .failureThreshold(1).reconnect(Duration.ofMillis(50), Duration.ofMillis(200))
                .quarantine(Duration.ofMillis(500)).build());
        long version = 1;
        for (; version <= 3; version++) {
            round(version);
        }
        int errorsBefore = writeErrors + readErrors;
        // Everything acknowledged so far has reached its replica: every frame sent has been applied.
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(this::replicationQuiet);

        cluster.kill(1);
        long killedAt = System.nanoTime();
        for (; System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(3) && version < 1000; version++) {
            round(version);
        }
        int errorsWhileDown = writeErrors + readErrors - errorsBefore;
        long stallWhileDown = longestStallMillis;
        // every key answers on its next owner, with a value not older than its last acknowledged one
        for (int i = 0; i < KEYS; i++) {
            assertThat(acked[i]).as("key %d was written while the node was down", i).isGreaterThan(3);
        }

        cluster.restart(1);
        int restarted = cluster.address(1).getPort();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "ready".equals(stat(restarted, "repl_state")));
        assertThat(stat(restarted, "repl_state_note")).as("it caught up from its peers").startsWith("pulled_");
        // the restarted node holds the latest value of every key it owns, written while it was down too
        long last = version - 1;
        Membership ring = Membership.of(cluster.serverSpec(), 2, "127.0.0.1", restarted);
        int owned = 0;
        try (RawClient direct = new RawClient(restarted)) {
            for (int i = 0; i < KEYS; i++) {
                if (!ring.isOwner(key(i))) {
                    continue;
                }
                owned++;
                String reply = direct.roundTrip("mg rk" + i + " v\r\nmn\r\n", "MN\r\n");
                assertThat(reply).as("key %d on the restarted node", i).startsWith("VA ");
                long v = Long.parseLong(reply.split("\r\n")[1]);
                assertThat(v).as("key %d on the restarted node", i).isBetween(acked[i], sent[i]);
            }
        }
        assertThat(owned).isGreaterThan(KEYS / 3);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> client.nodeStatus().get(1).up());
        for (int i = 0; i < 3; i++, version++) {
            round(version);
        }
        System.out.printf("ReplicatedFailoverIT: %d keys, last version %d; errors before the kill %d; while down: %d errors,"
                + " longest stall %d ms; total write errors %d, read errors %d%n", KEYS, last, errorsBefore, errorsWhileDown,
                stallWhileDown, writeErrors, readErrors);
    }

    @Test
    void pausedNode_catchesUpAgainOnResume_noReadGoesBackwards() throws Exception {
        cluster = Cluster.memringReplicated(3, "2");
        for (InetSocketAddress a : cluster.servers()) {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "ready".equals(stat(a.getPort(), "repl_state")));
        }
        client = MemcacheClients.create(ClientConfig.builder().servers(cluster.servers())
                .requestTimeout(Duration.ofMillis(500)).connectTimeout(Duration.ofMillis(500))
                .failureThreshold(1).reconnect(Duration.ofMillis(50), Duration.ofMillis(200))
                .quarantine(Duration.ofMillis(500)).build());
        long version = 1;
        for (; version <= 3; version++) {
            round(version);
        }
        cluster.pause(1);
        long pausedAt = System.nanoTime();
        for (; System.nanoTime() - pausedAt < TimeUnit.SECONDS.toNanos(3); version++) {
            round(version);
        }
        cluster.resume(1);
        int paused = cluster.address(1).getPort();
        // it noticed the pause, caught up again, and is ready with the values written meanwhile
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> "2".equals(stat(paused, "repl_catch_ups"))
                && "ready".equals(stat(paused, "repl_state")));
        long resumedAt = System.nanoTime();
        for (; System.nanoTime() - resumedAt < TimeUnit.SECONDS.toNanos(2); version++) {
            round(version); // reads checked per key: never older than seen or acknowledged
        }
        Membership ring = Membership.of(cluster.serverSpec(), 2, "127.0.0.1", paused);
        try (RawClient direct = new RawClient(paused)) {
            for (int i = 0; i < KEYS; i++) {
                if (ring.isOwner(key(i))) {
                    String reply = direct.roundTrip("mg rk" + i + " v\r\nmn\r\n", "MN\r\n");
                    assertThat(reply).as("key %d on the resumed node", i).startsWith("VA ");
                    assertThat(Long.parseLong(reply.split("\r\n")[1])).as("key %d on the resumed node", i)
                            .isBetween(acked[i], sent[i]);
                }
            }
        }
        System.out.printf("ReplicatedFailoverIT (pause): last version %d; write errors %d, read errors %d, longest stall %d ms%n",
                version - 1, writeErrors, readErrors, longestStallMillis);
    }

    /** Returns whether no node has frames queued and every frame sent or resynced, summed over the nodes, was applied. */
    private boolean replicationQuiet() throws Exception {
        long sent = 0;
        long applied = 0;
        for (InetSocketAddress a : cluster.servers()) {
            if (Long.parseLong(stat(a.getPort(), "repl_queue_bytes")) != 0) {
                return false;
            }
            // a link that connected after the first writes (their frames dropped) resynced: those count too
            sent += Long.parseLong(stat(a.getPort(), "repl_sent")) + Long.parseLong(stat(a.getPort(), "repl_resync_items"));
            applied += Long.parseLong(stat(a.getPort(), "repl_applied"));
        }
        return sent == applied;
    }

}
