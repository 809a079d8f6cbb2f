package io.memring.jcache.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.client.ClientConfig;
import io.memring.client.MemcacheClients;
import io.memring.client.MemcacheClient;
import io.memring.server.MemringServer;
import io.memring.server.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The layout on the ring: namespaces, hashed long keys, collision detection, TTLs. */
class RingStoreIT {

    @Test
    void hashedKey_whoseEnvelopeHoldsAnotherKey_readsAsForeign_andCanBeReplaced() throws Exception {
        try (MemringServer node = MemringServer.start(ServerConfig.defaults().withPort(0));
             MemcacheClient client = MemcacheClients.create(ClientConfig.builder().servers("127.0.0.1:" + node.port()).build())) {
            RingStore store = new RingStore(client, "c");
            byte[] longKey = "x".repeat(500).getBytes(StandardCharsets.UTF_8);
            assertThat(store.write(longKey, null, "v".getBytes(StandardCharsets.UTF_8), 1, 0, System.currentTimeMillis())).isTrue();
            byte[] serverKey = store.serverKey(longKey);
            assertThat(new String(serverKey, StandardCharsets.US_ASCII)).startsWith("jc:c:#").hasSizeLessThan(60);
            assertThat(store.read(longKey).value()).isEqualTo("v".getBytes(StandardCharsets.UTF_8));

            // Simulate a hash collision: the server key now holds an envelope for a different key.
            byte[] impostor = Envelope.wrap("w".getBytes(StandardCharsets.UTF_8), 0, "y".repeat(500).getBytes(StandardCharsets.UTF_8));
            client.set(serverKey, impostor, 1, 0).join();
            StoredEntry foreign = store.read(longKey);
            assertThat(foreign.isForeign()).isTrue(); // no mapping, but the key is occupied: a write must CAS over it
            assertThat(store.readMany(List.of(longKey))).isEmpty();
            assertThat(store.write(longKey, foreign, "v2".getBytes(StandardCharsets.UTF_8), 1, 0, System.currentTimeMillis())).isTrue();
            assertThat(store.read(longKey).value()).isEqualTo("v2".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void namespaces_ofSimilarNames_neverOverlap() throws Exception {
        try (MemringServer node = MemringServer.start(ServerConfig.defaults().withPort(0));
             MemcacheClient client = MemcacheClients.create(ClientConfig.builder().servers("127.0.0.1:" + node.port()).build())) {
            RingStore a = new RingStore(client, "a");
            RingStore ab = new RingStore(client, "a:b");
            long now = System.currentTimeMillis();
            a.write("k".getBytes(StandardCharsets.UTF_8), null, new byte[] {1}, 0, 0, now);
            ab.write("k".getBytes(StandardCharsets.UTF_8), null, new byte[] {2}, 0, 0, now);
            List<byte[]> aKeys = a.serverKeys();
            assertThat(aKeys).hasSize(1);
            assertThat(ab.serverKeys()).hasSize(1);
        }
    }

    @Test
    void ttl_roundsUpAndNeverSaysNeverForAnExpiringEntry() {
        long now = 1_000_000L;
        assertThat(RingStore.ttlSeconds(0, now)).isZero();
        assertThat(RingStore.ttlSeconds(now, now)).isEqualTo(1);          // Duration.ZERO: never TTL 0
        assertThat(RingStore.ttlSeconds(now + 1, now)).isEqualTo(2);
        assertThat(RingStore.ttlSeconds(now + 1000, now)).isEqualTo(2);
        assertThat(RingStore.ttlSeconds(now + 40L * 24 * 3600 * 1000, now)).isEqualTo((int) ((now + 40L * 24 * 3600 * 1000) / 1000 + 1));
    }
}
