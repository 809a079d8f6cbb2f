package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.integration.CacheWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Items under a cache's keys that are not Memring entries (another program's, garbage, truncated
 * envelopes): no mapping for reads, but they must never make a key unwritable. And the CacheWriter
 * hears of an operation once, however many CAS attempts it takes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForeignItemIT {
    private static final byte[] FOREIGN = "written by somebody else".getBytes(StandardCharsets.US_ASCII);
    /** Starts with the envelope's version byte, but its key length runs past the end. */
    private static final byte[] TRUNCATED_ENVELOPE = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 99, 'x'};

    private Cluster cluster;
    private CacheManager manager;
    private int counter;

    @BeforeAll
    void start() throws Exception {
        cluster = newCluster();
        manager = cluster.newManager();
    }

    /** The nodes the items are planted on (stock memcached in {@link ForeignItemOnStockMemcachedIT}). */
    Cluster newCluster() throws Exception {
        return Cluster.memring(2);
    }

    @AfterAll
    void stop() {
        cluster.stop();
    }

    /** Counts the writer's calls; a static registry because JCache builds the writer from a factory. */
    public static final class CountingWriter implements CacheWriter<String, String> {
        static final AtomicInteger WRITES = new AtomicInteger();
        static final AtomicInteger DELETES = new AtomicInteger();
        /** Runs inside the first write, to stand for another JVM changing the key meanwhile. */
        static volatile Runnable duringFirstWrite;

        @Override
        public void write(Cache.Entry<? extends String, ? extends String> entry) {
            if (WRITES.incrementAndGet() == 1 && duringFirstWrite != null) {
                duringFirstWrite.run();
            }
        }

        @Override
        public void writeAll(Collection<Cache.Entry<? extends String, ? extends String>> entries) {
            new ArrayList<>(entries).forEach(this::write);
        }

        @Override
        public void delete(Object key) {
            DELETES.incrementAndGet();
        }

        @Override
        public void deleteAll(Collection<?> keys) {
            keys.forEach(this::delete);
        }

        static void reset() {
            WRITES.set(0);
            DELETES.set(0);
            duringFirstWrite = null;
        }
    }

    private Cache<String, String> writeThroughCache() {
        CountingWriter.reset();
        return manager.createCache("foreign-" + (++counter), new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class)
                .setWriteThrough(true)
                .setCacheWriterFactory(FactoryBuilder.factoryOf(CountingWriter.class)));
    }

    @Test
    void putIfAbsent_overForeignItem_storesAndCallsWriterOnce() throws Exception {
        Cache<String, String> cache = writeThroughCache();
        RawItems.plant(cache, "k", FOREIGN, 0);

        assertThat(cache.putIfAbsent("k", "v")).isTrue();

        assertThat(cache.get("k")).isEqualTo("v");
        assertThat(CountingWriter.WRITES.get()).isEqualTo(1);
    }

    @Test
    void putIfAbsent_overTruncatedEnvelope_stores() throws Exception {
        Cache<String, String> cache = writeThroughCache();
        RawItems.plant(cache, "k", TRUNCATED_ENVELOPE, 1);

        assertThat(cache.putIfAbsent("k", "v")).isTrue();

        assertThat(cache.get("k")).isEqualTo("v");
    }

    @Test
    void reads_ofForeignItem_seeNoMappingAndLeaveItAlone() throws Exception {
        Cache<String, String> cache = writeThroughCache();
        RawItems.plant(cache, "k", FOREIGN, 0);

        assertThat(cache.get("k")).isNull();
        assertThat(cache.containsKey("k")).isFalse();
        assertThat(cache.getAll(java.util.Set.of("k"))).isEmpty();
        assertThat(cache.iterator().hasNext()).isFalse();

        assertThat(RawItems.read(cache, "k").value()).isEqualTo(FOREIGN);
    }

    @Test
    void put_overForeignItem_replacesIt_withCreatedSemantics() throws Exception {
        Cache<String, String> cache = manager.createCache("foreign-" + (++counter), new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class)
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.ONE_HOUR))); // not the blind-put path
        RawItems.plant(cache, "k", FOREIGN, 0);

        assertThat(cache.getAndPut("k", "v")).isNull();

        assertThat(cache.get("k")).isEqualTo("v");
    }

    @Test
    void remove_ofForeignItem_deletesIt_andReportsNoMapping() throws Exception {
        Cache<String, String> cache = writeThroughCache();
        RawItems.plant(cache, "k", FOREIGN, 0);

        assertThat(cache.remove("k")).isFalse();

        assertThat(RawItems.read(cache, "k")).isNull();
        assertThat(CountingWriter.DELETES.get()).isEqualTo(1);
    }

    @Test
    void replace_ofForeignItem_isNoMapping_andLeavesItThere() throws Exception {
        Cache<String, String> cache = writeThroughCache();
        RawItems.plant(cache, "k", FOREIGN, 0);

        assertThat(cache.replace("k", "v")).isFalse();

        assertThat(RawItems.read(cache, "k").value()).isEqualTo(FOREIGN);
        assertThat(CountingWriter.WRITES.get()).isZero();
    }

    @Test
    void put_thatLosesARaceToAnotherClient_callsTheWriterOnce() {
        Cache<String, String> cache = writeThroughCache();
        CacheManager otherJvm = cluster.newManager();
        Cache<String, String> other = otherJvm.createCache(cache.getName(), new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class));
        List<String> seenByWriter = new ArrayList<>();
        CountingWriter.duringFirstWrite = () -> {
            seenByWriter.add("first");
            other.put("k", "theirs"); // lands between our read and our add: the add fails, we retry
        };

        assertThat(cache.getAndPut("k", "ours")).isEqualTo("theirs"); // committed after theirs

        assertThat(cache.get("k")).isEqualTo("ours");
        assertThat(seenByWriter).containsExactly("first");
        assertThat(CountingWriter.WRITES.get()).isEqualTo(1);
        otherJvm.close();
    }
}
