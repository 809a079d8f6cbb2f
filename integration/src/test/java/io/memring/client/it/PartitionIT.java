package io.memring.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.client.ClientConfig;
import io.memring.client.GetResult;
import io.memring.client.MemcacheClients;
import io.memring.client.StoreResult;
import io.memring.client.routing.RingClient;
import io.memring.integration.Cluster;
import io.memring.server.cluster.Membership;
import io.memring.testing.DroppingProxy;
import io.memring.testing.RawClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A partition without a pause: node 2 of three ({@code --replicas 2}) is cut off from both peers
 * (every peer connection to and from it runs through a proxy that now refuses), while clients still
 * reach it. It must not serve its stale copies nor take writes the majority also takes: it turns
 * {@code catching_up} ("isolated"), the client's writes go to the majority, and once the partition
 * heals it pulls what changed and serves the new values. Before, it stayed ready and served the
 * values from before the partition.
 */
class PartitionIT {
    private static final int KEYS = 300;
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

    private DroppingProxy proxyTo(int port) throws IOException {
        DroppingProxy p = new DroppingProxy(new InetSocketAddress("127.0.0.1", port));
        proxies.add(p);
        return p;
    }

    private static byte[] key(int i) {
        return ("part" + i).getBytes(StandardCharsets.US_ASCII);
    }

    private void writeAll(String value) throws Exception {
        for (int i = 0; i < KEYS; i++) {
            StoreResult r = client.set(key(i), value.getBytes(StandardCharsets.US_ASCII), 0, 0).get(10, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(StoreResult.Status.STORED);
        }
    }

    @Test
    void isolatedNode_stopsServing_majorityTakesItsKeys_healedNodeCatchesUp() throws Exception {
        int[] ports = Cluster.freePorts(3);
        DroppingProxy from0 = proxyTo(ports[2]);
        DroppingProxy from1 = proxyTo(ports[2]);
        DroppingProxy to0 = proxyTo(ports[0]);
        DroppingProxy to1 = proxyTo(ports[1]);
        cluster = Cluster.memringReplicated(ports, "2", (i, p) -> List.of("-Dmemring.repl.linkVia=" + switch (i) {
            case 0 -> "127.0.0.1:" + p[2] + "=" + from0.spelled();
            case 1 -> "127.0.0.1:" + p[2] + "=" + from1.spelled();
            default -> "127.0.0.1:" + p[0] + "=" + to0.spelled() + ",127.0.0.1:" + p[1] + "=" + to1.spelled();
        }));
        for (int p : ports) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "ready".equals(stat(p, "repl_state")));
        }
        client = MemcacheClients.create(ClientConfig.builder().servers(cluster.servers())
                .requestTimeout(Duration.ofMillis(2000)).failureThreshold(1).build());
        writeAll("before");
        Membership ring = Membership.of(cluster.serverSpec(), 2, "127.0.0.1", ports[2]);
        List<Integer> primaryOn2 = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            if (ring.isPrimary(key(i))) {
                primaryOn2.add(i);
            }
        }
        assertThat(primaryOn2).isNotEmpty();

        for (DroppingProxy p : proxies) {
            p.refuse(true);
            p.dropAll();
        }
        Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> "catching_up".equals(stat(ports[2], "repl_state")));
        assertThat(stat(ports[2], "repl_state_note")).startsWith("isolated");
        try (RawClient direct = new RawClient(ports[2])) {
            String reply = direct.roundTrip("mg part" + primaryOn2.get(0) + " v\r\nmn\r\n", "MN\r\n");
            assertThat(reply).as("the isolated node serves no stale copy").startsWith("SERVER_ERROR catching up");
        }
        // the majority takes every key, node 2's included (its peers see it down)
        Awaitility.await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() -> writeAll("during"));
        for (int i = 0; i < KEYS; i++) {
            GetResult g = client.get(key(i)).get(10, TimeUnit.SECONDS);
            assertThat(new String(g.value(), StandardCharsets.US_ASCII)).isEqualTo("during");
        }

        for (DroppingProxy p : proxies) {
            p.refuse(false);
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "ready".equals(stat(ports[2], "repl_state")));
        assertThat(stat(ports[2], "repl_state_note")).startsWith("pulled_");
        try (RawClient direct = new RawClient(ports[2])) {
            for (int i = 0; i < KEYS; i++) {
                if (ring.isOwner(key(i))) {
                    String reply = direct.roundTrip("mg part" + i + " v\r\nmn\r\n", "MN\r\n");
                    assertThat(reply).as("part%d on the healed node", i).isEqualTo("VA 6\r\nduring\r\nMN\r\n");
                }
            }
        }
        System.out.printf("PartitionIT: %d keys, %d with node 2 as primary; node 2 catch-ups %s%n", KEYS, primaryOn2.size(),
                stat(ports[2], "repl_catch_ups"));
    }
}
