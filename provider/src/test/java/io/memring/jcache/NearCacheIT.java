package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.jcache.configuration.MemringConfiguration;
import io.memring.jcache.near.InvalidationFeed;
import io.memring.jcache.near.NearCacheStats;
import io.memring.jcache.near.NearCacheStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The near cache against Memring node processes: CacheManagers with separate clients (as other JVMs
 * would be). A writer without a near cache is invisible to the reader's JVM-local peers, so whatever
 * the reader learns comes from the nodes' pushes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NearCacheIT {
    /** A node whose stream is silent this long is reset by the client (the contract's heartbeat rule). */
    private static final Duration STALENESS_BOUND = Duration.ofSeconds(3);

    private Cluster cluster;
    private int cacheCounter;

    @BeforeAll
    void start() throws Exception {
        cluster = Cluster.memringProcesses(3);
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.stop();
        }
    }

    private String freshName() {
        return "near-" + (++cacheCounter);
    }

    /** Long request timeouts: a paused node makes requests wait rather than fail over (and diverge). */
    private CacheManager manager() {
        return cluster.newManager("memring.requestTimeoutMillis", "20000");
    }

    static MutableConfiguration<String, Long> longs() {
        return new MutableConfiguration<String, Long>().setTypes(String.class, Long.class);
    }

    private static MemringConfiguration<String, Long> near() {
        return new MemringConfiguration<>(longs()).setNearCacheMaxEntries(10_000).setNearCacheTtlMillis(600_000);
    }

    @Test
    void memringNodes_push_aWriteByAnotherClientInvalidatesTheNearCopy() {
        String name = freshName();
        Cache<String, Long> writer = manager().createCache(name, longs());
        Cache<String, Long> reader = manager().createCache(name, near());
        NearCacheStore store = reader.unwrap(NearCacheStore.class);
        NearCacheStats stats = reader.unwrap(NearCacheStats.class);
        assertThat(store.mode()).isEqualTo(InvalidationFeed.Mode.PUSH);

        writer.put("k", 1L);
        // the push for that write may still be on its way: a read reserved before it arrives installs nothing
        Awaitility.await().atMost(STALENESS_BOUND).until(() -> stats.getInvalidationsReceived() >= 1);
        assertThat(reader.get("k")).isEqualTo(1L);
        assertThat(reader.get("k")).isEqualTo(1L);
        assertThat(stats.getNearHits()).isEqualTo(1);

        writer.put("k", 2L);
        Awaitility.await().atMost(STALENESS_BOUND).until(() -> stats.getInvalidationsReceived() >= 2);
        assertThat(reader.get("k")).isEqualTo(2L);
        writer.remove("k");
        Awaitility.await().atMost(STALENESS_BOUND).until(() -> reader.get("k") == null);
    }

    @Test
    void twoNearCachedManagers_aWriteInOneInvalidatesTheOtherBeforeItReturns() {
        String name = freshName();
        Cache<String, Long> a = manager().createCache(name, near());
        Cache<String, Long> b = manager().createCache(name, near());
        a.put("k", 1L);
        assertThat(b.get("k")).isEqualTo(1L);
        for (long v = 2; v < 50; v++) {
            a.put("k", v);
            assertThat(b.get("k")).isEqualTo(v); // at once: no wait for the push
            assertThat(a.get("k")).isEqualTo(v);
        }
    }

    /**
     * {@code flush_all <delay>}: the items go only at that time, and the nodes announce it then (an
     * {@code F} at the start of that second and one more at the next): the near copies stay until then
     * and go then.
     */
    @Test
    void delayedFlush_dropsTheNearCopiesWhenItTakesEffect() throws Exception {
        String name = freshName();
        Cache<String, Long> reader = manager().createCache(name, near());
        NearCacheStore store = reader.unwrap(NearCacheStore.class);
        NearCacheStats stats = reader.unwrap(NearCacheStats.class);
        int keys = 30;
        for (int i = 0; i < keys; i++) {
            reader.put("f" + i, (long) i);
        }
        long resets = stats.getResets();
        for (int i = 0; i < cluster.nodes.size(); i++) {
            try (io.memring.testing.RawClient raw = new io.memring.testing.RawClient(cluster.address(i).getPort())) {
                assertThat(raw.roundTrip("flush_all 8\r\n", "\r\n")).isEqualTo("OK\r\n");
            }
        }
        for (int i = 0; i < keys; i++) {
            assertThat(reader.get("f" + i)).isEqualTo((long) i); // before the flush time (7 to 8 s): still there
        }
        assertThat(store.size()).isEqualTo(keys);
        assertThat(stats.getResets()).as("nothing announced before the flush takes effect").isEqualTo(resets);
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> stats.getResets() >= resets + 2L * cluster.nodes.size() && store.size() == 0);
        for (int i = 0; i < keys; i++) {
            assertThat(reader.get("f" + i)).isNull();
        }
    }

    /**
     * A flush sent through the manager's own client (its {@code mr_client} id is the one its near caches
     * subscribe with) is not an echo: nothing was dropped locally, so the nodes' announcements must
     * reach this manager's near cache too.
     */
    @Test
    void flushThroughTheManagersOwnClient_dropsItsOwnNearCopies() throws Exception {
        String name = freshName();
        CacheManager own = manager();
        Cache<String, Long> cache = own.createCache(name, near());
        NearCacheStore store = cache.unwrap(NearCacheStore.class);
        for (int i = 0; i < 10; i++) {
            cache.put("o" + i, (long) i);
            assertThat(cache.get("o" + i)).isEqualTo((long) i);
        }
        assertThat(store.size()).isEqualTo(10);
        own.unwrap(io.memring.client.MemcacheClient.class).flushAll().get(10, TimeUnit.SECONDS);
        Awaitility.await().atMost(STALENESS_BOUND).until(() -> store.size() == 0);
        for (int i = 0; i < 10; i++) {
            assertThat(cache.get("o" + i)).isNull();
        }
    }

    /** A node whose stream goes silent (SIGSTOP) is reset after 3 s: its entries go, the other nodes' stay. */
    @Test
    void silentNode_isReset_andOnlyItsEntriesAreDropped() throws Exception {
        String name = freshName();
        Cache<String, Long> reader = manager().createCache(name, near());
        NearCacheStore store = reader.unwrap(NearCacheStore.class);
        NearCacheStats stats = reader.unwrap(NearCacheStats.class);
        int keys = 60; // over 3 nodes: some on node 0 and some elsewhere, but for a 1e-10 chance
        for (int i = 0; i < keys; i++) {
            reader.put("k" + i, (long) i);
        }
        assertThat(store.size()).isEqualTo(keys); // read-your-writes installed them all
        long resets = stats.getResets();
        cluster.nodes.pause(0);
        try {
            Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> stats.getResets() > resets);
            assertThat(store.size()).isBetween(1L, keys - 1L);
        } finally {
            cluster.nodes.resume(0);
        }
    }

    /**
     * How long a near copy outlives a write acknowledged to another client, over 10,000 updates: from
     * the writer's put returning to the reader's near cache having dropped the key.
     */
    @Test
    void invalidationDelay_over10000Updates() {
        String name = freshName();
        Cache<String, Long> writer = manager().createCache(name, longs());
        Cache<String, Long> reader = manager().createCache(name, near());
        NearCacheStats stats = reader.unwrap(NearCacheStats.class);
        int updates = 10_000;
        long[] micros = new long[updates];
        writer.put("k", 0L); // one push per write: after write n, wait for push n
        Awaitility.await().atMost(STALENESS_BOUND).until(() -> stats.getInvalidationsReceived() >= 1);
        for (int i = 0; i < updates; i++) {
            assertThat(reader.get("k")).isEqualTo((long) i); // the current value, from the node
            assertThat(reader.get("k")).isEqualTo((long) i); // and (unless a node was reset meanwhile) near
            writer.put("k", i + 1L);
            long acked = System.nanoTime();
            long deadline = acked + TimeUnit.SECONDS.toNanos(5);
            while (stats.getInvalidationsReceived() < i + 2) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("update " + i + ": no invalidation within 5 s");
                }
                Thread.onSpinWait();
            }
            micros[i] = Math.max(0, (System.nanoTime() - acked) / 1000);
        }
        assertThat(stats.getNearHits()).isGreaterThan(updates / 2);
        Arrays.sort(micros);
        System.out.printf("near cache invalidation delay after the writer's ack, %d updates on %s: p50 %d us, p99 %d us, max %d us%n",
                updates, cluster, micros[updates / 2], micros[updates * 99 / 100], micros[updates - 1]);
    }

    @Test
    void stress_readsRacingAnotherClientsWrites_neverServeOlderThanTheBound() throws Exception {
        stress(cluster, near(), STALENESS_BOUND, false);
    }

    @Test
    void stress_withTheSubscriptionDroppedMidRun_neverServeOlderThanTheBound() throws Exception {
        stress(cluster, near(), STALENESS_BOUND, true);
    }

    /** One acknowledged write: its value and when the writer's put returned. */
    private record Ack(long value, long nanos) {
    }

    /** One read: the key, when it started, what it returned. */
    private record Read(int key, long startNanos, Long value) {
    }

    /**
     * Readers populate the near cache while a writer of another client writes increasing values to a
     * few keys. Checked afterwards: no read returned a value older than the last write acknowledged
     * {@code staleness} before the read started; and once the writer stops, every key's near copy comes
     * to the last value within it (with pushes, a stale install would stay until the 10-minute TTL).
     */
    static void stress(Cluster cluster, MemringConfiguration<String, Long> nearConfiguration, Duration staleness, boolean dropSubscription)
            throws Exception {
        String name = "stress-" + System.nanoTime();
        Cache<String, Long> writer = cluster.newManager("memring.requestTimeoutMillis", "20000").createCache(name, longs());
        Cache<String, Long> reader = cluster.newManager("memring.requestTimeoutMillis", "20000").createCache(name, nearConfiguration);
        NearCacheStats stats = reader.unwrap(NearCacheStats.class);
        int keys = 8;
        List<List<Ack>> acks = new ArrayList<>();
        for (int k = 0; k < keys; k++) {
            acks.add(new ArrayList<>());
            writer.put("k" + k, 0L);
            acks.get(k).add(new Ack(0, System.nanoTime()));
        }
        ConcurrentLinkedQueue<Read> reads = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong failures = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> readers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                readers.add(pool.submit(() -> {
                    for (int n = 0; n < 1_000_000 && running.get(); n++) {
                        LockSupport.parkNanos(50_000); // paced, so that reads span the whole run (and memory stays bounded)
                        int k = ThreadLocalRandom.current().nextInt(keys);
                        long start = System.nanoTime();
                        try {
                            reads.add(new Read(k, start, reader.get("k" + k)));
                        } catch (CacheException e) {
                            failures.incrementAndGet();
                        }
                    }
                }));
            }
            Future<?> writes = pool.submit(() -> {
                long value = 0;
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(dropSubscription ? 12 : 6);
                while (System.nanoTime() < end && value < 1_000_000) {
                    int k = ThreadLocalRandom.current().nextInt(keys);
                    value++;
                    writer.put("k" + k, value);
                    synchronized (acks) {
                        acks.get(k).add(new Ack(value, System.nanoTime()));
                    }
                }
            });
            if (dropSubscription) {
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> stats.getNearHits() > 1000);
                long resetsBefore = stats.getResets();
                cluster.nodes.pause(0); // its stream goes silent: the client must reset it after 3 s
                try {
                    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> stats.getResets() > resetsBefore);
                } finally {
                    cluster.nodes.resume(0);
                }
            }
            writes.get(60, TimeUnit.SECONDS);
            running.set(false);
            for (Future<?> r : readers) {
                r.get(60, TimeUnit.SECONDS);
            }
        } finally {
            running.set(false);
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        long bound = staleness.toNanos();
        long maxLagNanos = 0;
        long checked = 0;
        for (Read r : reads) {
            if (r.value() == null) {
                continue; // the value was absent in between (it never is here), nothing to compare
            }
            List<Ack> history = acks.get(r.key());
            long required = 0;
            long firstNewerAck = Long.MAX_VALUE;
            for (Ack a : history) {
                if (a.nanos() <= r.startNanos() - bound) {
                    required = a.value();
                }
                if (a.value() > r.value() && a.nanos() < firstNewerAck) {
                    firstNewerAck = a.nanos();
                }
            }
            assertThat(r.value()).as("key k%d read at %d ns: older than the write acknowledged %s before", r.key(), r.startNanos(),
                    staleness).isGreaterThanOrEqualTo(required);
            if (firstNewerAck < r.startNanos()) {
                maxLagNanos = Math.max(maxLagNanos, r.startNanos() - firstNewerAck);
            }
            checked++;
        }
        for (int k = 0; k < keys; k++) {
            long last = acks.get(k).get(acks.get(k).size() - 1).value();
            String key = "k" + k;
            Awaitility.await().atMost(staleness).until(() -> last == reader.get(key));
        }
        System.out.printf("near cache stress%s on %s: %d reads checked (%d failed), %d writes, near %s, "
                        + "longest a superseded value was still served: %d us%n",
                dropSubscription ? " (node 0 paused until its stream was reset)" : "", cluster, checked, failures.get(),
                acks.stream().mapToInt(List::size).sum(), stats, maxLagNanos / 1000);
        assertThat(checked).isGreaterThan(1000);
        assertThat(stats.getNearHits()).isGreaterThan(0);
        if (dropSubscription) {
            assertThat(stats.getResets()).isGreaterThan(0);
        }
    }
}
