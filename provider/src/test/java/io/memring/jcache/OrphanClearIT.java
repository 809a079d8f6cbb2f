package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.client.MemcacheClient;
import io.memring.client.NodeStatus;
import io.memring.server.cluster.Membership;
import io.memring.testing.RawClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code clear()} on a replicated cluster removes an orphan: a copy on a node that owns none of the
 * key's copies, written there while both owners were paused (where a client's FAILOVER sends it; five
 * nodes, so the rest are still a majority and keep serving).
 * Before, the clear deleted the key through its owner and the orphan stayed on the third node, listed
 * by every later scan (and pulled back into an owner that restarts empty).
 */
class OrphanClearIT {
    private io.memring.integration.Cluster nodes;
    private MemringCachingProvider provider;

    @AfterEach
    void stop() {
        if (provider != null) {
            provider.close();
        }
        if (nodes != null) {
            nodes.stop();
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

    private static boolean holds(int port, byte[] serverKey) throws IOException {
        try (RawClient c = new RawClient(port)) {
            // text get: a non-owner answers meta reads of a key with "not owner" while an owner is up
            return c.roundTrip("get " + new String(serverKey, StandardCharsets.US_ASCII) + "\r\n", "END\r\n").startsWith("VALUE");
        }
    }

    @Test
    void clear_removesACopyWrittenOnANonOwnerWhileBothOwnersWerePaused() throws Exception {
        // five nodes: with owners 0 and 1 paused, the other three are still a majority (a node that
        // reaches fewer than half of its peers stops serving, so three nodes would refuse the write)
        nodes = io.memring.integration.Cluster.memringReplicated(5, "2");
        List<Integer> ports = new ArrayList<>();
        for (InetSocketAddress a : nodes.servers()) {
            ports.add(a.getPort());
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "ready".equals(stat(a.getPort(), "repl_state")));
        }
        provider = new MemringCachingProvider();
        Properties p = new Properties();
        p.setProperty("memring.servers", nodes.serverSpec());
        CacheManager m = provider.getCacheManager(URI.create("memring:orphans"), getClass().getClassLoader(), p);
        Cache<String, String> cache = m.createCache("orphans", new MutableConfiguration<String, String>().setTypes(String.class, String.class));
        cache.put("owned", "normal"); // an ordinary entry beside the orphan

        // a key owned by nodes 0 and 1, so node 2 owns none of its copies
        int third = 2;
        Membership ring = Membership.of(nodes.serverSpec(), 2, "127.0.0.1", ports.get(third));
        String key = null;
        for (int i = 0; i < 5000 && key == null; i++) {
            List<Integer> owners = ring.owners(RawItems.serverKey(cache, "orphan" + i)).stream()
                    .map(io.memring.server.cluster.PeerAddress::index).sorted().toList();
            if (owners.equals(List.of(0, 1))) {
                key = "orphan" + i;
            }
        }
        assertThat(key).isNotNull();
        byte[] serverKey = RawItems.serverKey(cache, key);
        String spelledKey = new String(serverKey, StandardCharsets.US_ASCII);

        nodes.pause(0);
        nodes.pause(1);
        try {
            // node 2 sees both owners down, and then takes the write (as FAILOVER would send it)
            byte[] value = RawItems.envelope("x".getBytes(StandardCharsets.US_ASCII));
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                try (RawClient c = new RawClient(ports.get(third))) {
                    c.send("ms " + spelledKey + " " + value.length + " T0\r\n").send(value).send("\r\n");
                    return c.readUntil("\r\n", 2000).startsWith("HD");
                }
            });
        } finally {
            nodes.resume(0);
            nodes.resume(1);
        }
        for (int port : ports) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "ready".equals(stat(port, "repl_state")));
        }
        MemcacheClient client = cache.unwrap(MemcacheClient.class);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> client.nodeStatus().stream().allMatch(NodeStatus::up));
        assertThat(holds(ports.get(third), serverKey)).as("the orphan is on the non-owner").isTrue();

        cache.clear();

        for (int port : ports) {
            assertThat(holds(port, serverKey)).as("a copy of the cleared key on %d", port).isFalse();
        }
        assertThat(cache.iterator().hasNext()).isFalse();
        assertThat(stat(ports.get(third), "repl_orphans_dropped")).isEqualTo("1");
    }
}
