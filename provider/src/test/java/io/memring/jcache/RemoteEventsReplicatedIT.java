package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.client.MemcacheClient;
import io.memring.jcache.store.RingStore;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * On 3 replicated nodes ({@code --replicas 2}) each write is heard once by the other CacheManager:
 * from the node that accepted it, never again from the replica that applied it.
 */
class RemoteEventsReplicatedIT {
    private static final int KEYS = 30;

    @Test
    void eachWrite_isHeardOnce_notAgainFromItsReplica() throws Exception {
        Cluster cluster = Cluster.memringReplicated(3, "2");
        try {
            CacheManager a = cluster.newManager();
            CacheManager b = cluster.newManager();
            MutableConfiguration<String, String> config = new MutableConfiguration<String, String>().setTypes(String.class, String.class);
            Cache<String, String> onA = a.createCache("replicated", config);
            Cache<String, String> onB = b.createCache("replicated", config);
            // the nodes catch up with each other before they serve, and each client uses a node only once
            // its probe has read repl_state ready: until then a write may meet 'not owner' naming a node the
            // client still holds back
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> allUp(a) && allUp(b));
            Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
                onA.put("warm-up", "0");
                return true;
            });
            EventRecorder heard = new EventRecorder();
            onB.registerCacheEntryListener(heard.registration(false));

            List<String> expected = new ArrayList<>();
            for (int i = 0; i < KEYS; i++) {
                onA.put("k" + i, "1");
                onA.put("k" + i, "2");
                expected.add("CREATED k" + i + "=1");
                expected.add("UPDATED k" + i + "=2 old=1");
            }
            // a last write on every node: each node's stream is in order, so once these arrive all the rest has
            Map<InetSocketAddress, String> sentinels = sentinelsPerNode(onA, a.unwrap(MemcacheClient.class));
            sentinels.values().forEach(k -> onA.put(k, "s"));
            sentinels.values().forEach(k -> expected.add("CREATED " + k + "=s"));
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> sentinels.values().stream().allMatch(k -> heard.events.contains("CREATED " + k + "=s")));
            assertThat(heard.events).containsExactlyInAnyOrderElementsOf(expected);
        } finally {
            cluster.stop();
        }
    }

    private static boolean allUp(CacheManager m) {
        return m.unwrap(MemcacheClient.class).nodeStatus().stream().allMatch(io.memring.client.NodeStatus::up);
    }

    /** One fresh key owned by each node. */
    private static Map<InetSocketAddress, String> sentinelsPerNode(Cache<String, String> cache, MemcacheClient client) {
        RingStore store = cache.unwrap(RingStore.class);
        Map<InetSocketAddress, String> out = new HashMap<>();
        for (int i = 0; i < 10_000 && out.size() < 3; i++) {
            String key = "sentinel-" + i;
            out.putIfAbsent(client.ownerOf(store.serverKey(("1" + key).getBytes(StandardCharsets.UTF_8))), key);
        }
        assertThat(out).hasSize(3);
        return out;
    }
}
