package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memring.client.routing.RingClient;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** getAll while one of three nodes is down: a clear exception, or failover, as configured. */
class NodeDownIT {

    private static Set<String> keys(int n) {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < n; i++) {
            keys.add("key-" + i);
        }
        return keys;
    }

    private static void killOneNodeAndWaitUntilMarkedDown(Cluster cluster, CacheManager m) {
        RingClient client = m.unwrap(RingClient.class);
        cluster.memring.get(1).close();
        InetSocketAddress down = new InetSocketAddress("127.0.0.1", Integer.parseInt(cluster.servers.get(1).split(":")[1]));
        // requests to the dead node fail until the client marks it down
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            client.get("probe".getBytes(StandardCharsets.US_ASCII)).handle((v, e) -> null).join();
            return client.nodeStatus().stream().anyMatch(s -> s.address().equals(down) && !s.up());
        });
    }

    @Test
    void failFast_getAllReportsTheDownNode() throws Exception {
        Cluster cluster = Cluster.memring(3);
        try {
            CacheManager m = cluster.newManager("memring.failover", "FAIL_FAST", "memring.requestTimeoutMillis", "500");
            Cache<String, String> c = m.createCache("down-ff", new MutableConfiguration<String, String>());
            keys(60).forEach(k -> c.put(k, "v"));
            killOneNodeAndWaitUntilMarkedDown(cluster, m);
            assertThatThrownBy(() -> c.getAll(keys(60))).isInstanceOf(CacheException.class).hasMessageContaining("down");
        } finally {
            cluster.stop();
        }
    }

    @Test
    void failover_getAllServesTheLiveNodes_andMissesTheDeadOnesKeys() throws Exception {
        Cluster cluster = Cluster.memring(3);
        try {
            CacheManager m = cluster.newManager("memring.failover", "FAILOVER", "memring.requestTimeoutMillis", "500");
            Cache<String, String> c = m.createCache("down-fo", new MutableConfiguration<String, String>());
            keys(60).forEach(k -> c.put(k, "v"));
            killOneNodeAndWaitUntilMarkedDown(cluster, m);
            int found = c.getAll(keys(60)).size();
            assertThat(found).isBetween(1, 59); // the dead node's share is gone, the rest is there
            c.put("key-after", "w");             // writes go to the next live node
            assertThat(c.get("key-after")).isEqualTo("w");
        } finally {
            cluster.stop();
        }
    }
}
