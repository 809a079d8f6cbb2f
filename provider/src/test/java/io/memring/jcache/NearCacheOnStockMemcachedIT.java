package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.jcache.configuration.MemringConfiguration;
import io.memring.jcache.near.InvalidationFeed;
import io.memring.jcache.near.NearCacheStore;
import java.time.Duration;
import javax.cache.Cache;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The near cache on stock memcached 1.6 nodes: their {@code watch mutations} is best effort, so the
 * near TTL bounds staleness. Another client's write is seen within the TTL (plus the time a read takes).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NearCacheOnStockMemcachedIT {
    private static final long TTL_MILLIS = 1000;
    /** The TTL, and a second for the reads themselves on a busy machine. */
    private static final Duration BOUND = Duration.ofMillis(TTL_MILLIS + 1000);

    private Cluster cluster;

    @BeforeAll
    void start() throws Exception {
        cluster = Cluster.memcached(2);
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.stop();
        }
    }

    private static MemringConfiguration<String, Long> near() {
        return new MemringConfiguration<>(NearCacheIT.longs()).setNearCacheMaxEntries(1000).setNearCacheTtlMillis(TTL_MILLIS);
    }

    @Test
    void stockNodes_notPush_anotherClientsWriteIsSeenWithinTheTtl() {
        Cache<String, Long> writer = cluster.newManager().createCache("stock", NearCacheIT.longs());
        Cache<String, Long> reader = cluster.newManager().createCache("stock", near());
        assertThat(reader.unwrap(NearCacheStore.class).mode()).isNotEqualTo(InvalidationFeed.Mode.PUSH);
        writer.put("k", 1L);
        assertThat(reader.get("k")).isEqualTo(1L);
        writer.put("k", 2L);
        Awaitility.await().atMost(BOUND).until(() -> reader.get("k") == 2L);
        writer.remove("k"); // stock memcached's watch does not report deletes: only the TTL ends the near copy
        Awaitility.await().atMost(BOUND).until(() -> reader.get("k") == null);
    }

    @Test
    void stress_readsRacingAnotherClientsWrites_neverServeOlderThanTheTtl() throws Exception {
        NearCacheIT.stress(cluster, near(), BOUND, false);
    }
}
