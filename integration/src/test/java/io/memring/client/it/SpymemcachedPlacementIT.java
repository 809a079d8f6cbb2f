package io.memring.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.client.ClientConfig;
import io.memring.client.GetResult;
import io.memring.client.Key;
import io.memring.client.MemcacheClients;
import io.memring.client.routing.RingClient;
import io.memring.integration.Cluster;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.DefaultHashAlgorithm;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.Test;

/**
 * Keys stored by spymemcached (ketama, KETAMA_HASH) on a 3-node cluster are found by our client on
 * the same nodes: existing spymemcached users keep their placement.
 */
class SpymemcachedPlacementIT {

    @Test
    void everyKeyStoredBySpymemcached_isReadBackThroughOurRing() throws Exception {
        Cluster cluster = Cluster.memring(3);
        MemcachedClient spy = null;
        try (RingClient ours = MemcacheClients.create(ClientConfig.builder().servers(cluster.servers()).build())) {
            spy = new MemcachedClient(new ConnectionFactoryBuilder()
                    .setProtocol(ConnectionFactoryBuilder.Protocol.TEXT)
                    .setLocatorType(ConnectionFactoryBuilder.Locator.CONSISTENT)
                    .setHashAlg(DefaultHashAlgorithm.KETAMA_HASH)
                    .setOpTimeout(5000)
                    .build(), cluster.servers());
            List<byte[]> keys = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                String k = "spy-placed:" + i;
                spy.set(k, 0, "v" + i);
                keys.add(k.getBytes(StandardCharsets.UTF_8));
            }
            spy.set("spy-placed:last", 0, "x").get(5, TimeUnit.SECONDS);

            // Same owner for every key as spymemcached's own locator says...
            for (byte[] k : keys) {
                String key = new String(k, StandardCharsets.UTF_8);
                InetSocketAddress spyOwner = (InetSocketAddress) spy.getNodeLocator().getPrimary(key).getSocketAddress();
                assertThat(ours.ownerOf(k)).as(key).isEqualTo(spyOwner);
            }
            // ...and every value is really there: each node holds only its own keys.
            Map<Key, GetResult> got = ours.getMany(keys).get(10, TimeUnit.SECONDS);
            assertThat(got).hasSize(keys.size());
            assertThat(new String(got.get(Key.of("spy-placed:2999")).value(), StandardCharsets.UTF_8)).isEqualTo("v2999");
            assertThat(keys.stream().map(ours::ownerOf).distinct().count()).isEqualTo(3);
        } finally {
            if (spy != null) {
                spy.shutdown(5, TimeUnit.SECONDS);
            }
            cluster.stop();
        }
    }
}
