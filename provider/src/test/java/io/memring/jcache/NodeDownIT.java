package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memring.client.MemcacheClient;
import io.memring.client.NodeUnavailableException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One of three nodes down: a clear exception, or failover, as configured; whole-cache operations fail. */
class NodeDownIT {
    private Cluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.stop();
        }
    }

    private static Set<String> keys(int n) {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < n; i++) {
            keys.add("key-" + i);
        }
        return keys;
    }

    /**
     * Kills node 1 and waits until the client has marked it down: until then requests to it fail on the
     * lost connection; from then on, with FAILOVER, they go to the next node and succeed, and with
     * FAIL_FAST they fail at once as unavailable.
     */
    private void killOneNodeAndWaitUntilMarkedDown(CacheManager m, boolean failover) throws Exception {
        MemcacheClient client = m.unwrap(MemcacheClient.class);
        cluster.nodes.kill(1);
        List<byte[]> probes = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            probes.add(("probe-" + i).getBytes(StandardCharsets.US_ASCII)); // some on every node
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() ->
                client.getMany(probes).handle((v, e) -> failover ? e == null : cause(e) instanceof NodeUnavailableException).join()
                        && isMarkedDown(client, cluster.address(1)));
    }

    /**
     * Whether the client holds the node down. With FAILOVER a batch already succeeds before that (a read
     * whose node closed is read once more on the next owner), so success alone does not say it.
     */
    private static boolean isMarkedDown(MemcacheClient client, java.net.InetSocketAddress node) {
        return client.nodeStatus().stream().anyMatch(s -> s.address().getPort() == node.getPort() && !s.up());
    }

    private static Throwable cause(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    @Test
    void failFast_getAllReportsTheDownNode() throws Exception {
        cluster = Cluster.memring(3);
        CacheManager m = cluster.newManager("memring.failover", "FAIL_FAST", "memring.requestTimeoutMillis", "2000");
        Cache<String, String> c = m.createCache("down-ff", new MutableConfiguration<String, String>());
        keys(60).forEach(k -> c.put(k, "v"));
        killOneNodeAndWaitUntilMarkedDown(m, false);
        assertThatThrownBy(() -> c.getAll(keys(60))).isInstanceOf(CacheException.class).hasMessageContaining("down");
    }

    @Test
    void failover_getAllServesTheLiveNodes_andMissesTheDeadOnesKeys() throws Exception {
        cluster = Cluster.memring(3);
        CacheManager m = cluster.newManager("memring.failover", "FAILOVER", "memring.requestTimeoutMillis", "2000");
        Cache<String, String> c = m.createCache("down-fo", new MutableConfiguration<String, String>());
        keys(60).forEach(k -> c.put(k, "v"));
        killOneNodeAndWaitUntilMarkedDown(m, true);
        int found = c.getAll(keys(60)).size();
        assertThat(found).isBetween(1, 59); // the dead node's share is gone, the rest is there
        c.put("key-after", "w");             // writes go to the next live node
        assertThat(c.get("key-after")).isEqualTo("w");
    }

    /**
     * Regression: clear() listed the live nodes' keys only and returned normally, so the down node's
     * entries were left to reappear when it came back. Now every whole-cache operation says so.
     */
    @Test
    void failover_clearRemoveAllAndIteration_withANodeDown_failNamingIt() throws Exception {
        cluster = Cluster.memring(3);
        CacheManager m = cluster.newManager("memring.failover", "FAILOVER", "memring.requestTimeoutMillis", "2000");
        Cache<String, String> c = m.createCache("down-clear", new MutableConfiguration<String, String>());
        keys(60).forEach(k -> c.put(k, "v"));
        killOneNodeAndWaitUntilMarkedDown(m, true);
        String down = cluster.address(1).getPort() + "";
        assertThatThrownBy(c::clear).isInstanceOf(CacheException.class).hasMessageContaining("down").hasMessageContaining(down)
                .hasRootCauseInstanceOf(NodeUnavailableException.class);
        assertThatThrownBy(c::removeAll).isInstanceOf(CacheException.class).hasMessageContaining("down");
        assertThatThrownBy(() -> c.iterator().hasNext()).isInstanceOf(CacheException.class).hasMessageContaining("down");
        assertThat(c.getAll(keys(60))).isNotEmpty(); // nothing was deleted behind the caller's back
    }
}
