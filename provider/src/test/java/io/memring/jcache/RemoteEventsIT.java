package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memring.client.MemcacheClient;
import io.memring.client.StoreMode;
import io.memring.jcache.event.RemoteEvents;
import io.memring.jcache.serialization.DefaultSerializer;
import io.memring.jcache.store.RingStore;
import io.memring.jcache.store.TestEnvelopes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two CacheManagers with separate clients (as two JVMs have) on one Memring node: each one's
 * listeners hear what the other does, once, with old values; their own operations once (locally, not
 * echoed back); a clear nothing. One node keeps one stream, so a later "sentinel" event proves that
 * nothing else (an echo, a duplicate) is still on its way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteEventsIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private Cluster cluster;
    private CacheManager a;
    private CacheManager b;
    private int names;

    @BeforeAll
    void start() throws Exception {
        cluster = Cluster.memring(1);
        a = cluster.newManager();
        b = cluster.newManager();
    }

    @AfterAll
    void stop() {
        cluster.stop();
    }

    private String freshName() {
        return "remote-events-" + (++names);
    }

    private static MutableConfiguration<String, String> config() {
        return new MutableConfiguration<String, String>().setTypes(String.class, String.class);
    }

    /** The same cache in both managers, a synchronous recorder on A's and an asynchronous one on B's. */
    private final class Pair {
        final Cache<String, String> onA;
        final Cache<String, String> onB;
        final EventRecorder heardByA = new EventRecorder();
        final EventRecorder heardByB = new EventRecorder();

        Pair(MutableConfiguration<String, String> config) {
            String name = freshName();
            onA = a.createCache(name, config);
            onB = b.createCache(name, config);
            onA.registerCacheEntryListener(heardByA.registration(true));
            onB.registerCacheEntryListener(heardByB.registration(false));
        }

        /** Waits until both have heard exactly {@code forA} and {@code forB}, then a sentinel from each side. */
        void assertHeard(List<String> forA, List<String> forB) {
            String sentinel = "sentinel-" + System.nanoTime();
            onA.put(sentinel, "a");
            onB.put(sentinel + "b", "b");
            Awaitility.await().atMost(WAIT).until(() -> heardByA.events.contains("CREATED " + sentinel + "b=b")
                    && heardByB.events.contains("CREATED " + sentinel + "=a"));
            // both sentinels went through the one node after everything before them: nothing else can follow
            assertThat(without(heardByA.events, sentinel)).containsExactlyElementsOf(forA);
            assertThat(without(heardByB.events, sentinel)).containsExactlyElementsOf(forB);
            heardByA.events.clear();
            heardByB.events.clear();
        }

        private List<String> without(List<String> events, String sentinel) {
            return events.stream().filter(e -> !e.contains(sentinel)).toList();
        }
    }

    @Test
    void createdUpdatedRemoved_heardOnceOnEachSide_withOldValues_noEchoes() {
        Pair p = new Pair(config());
        p.onA.put("k", "1");
        p.onA.put("k", "2");
        // remote events are asynchronous: a listener may hear its own manager's later change first, so
        // each side waits to hear the other's change before making the next one
        Awaitility.await().atMost(WAIT).until(() -> p.heardByB.events.contains("UPDATED k=2 old=1"));
        p.onB.replace("k", "2", "3");
        Awaitility.await().atMost(WAIT).until(() -> p.heardByA.events.contains("UPDATED k=3 old=2"));
        p.onA.remove("k");
        List<String> all = List.of("CREATED k=1", "UPDATED k=2 old=1", "UPDATED k=3 old=2", "REMOVED k=3 old=3");
        p.assertHeard(all, all);
        assertThat(p.onB.unwrap(RemoteEvents.class).delivered()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void remoteEventCounts_areReadThroughThePlatformMBeanServer_whileStatisticsAreEnabled() throws Exception {
        // statistics on B's side only: both managers share the default URI, so their beans would share names
        String name = freshName();
        Cache<String, String> onA = a.createCache(name, config());
        Cache<String, String> onB = b.createCache(name, config().setStatisticsEnabled(true));
        EventRecorder heardByB = new EventRecorder();
        onB.registerCacheEntryListener(heardByB.registration(false));
        onA.put("k", "1");
        onA.put("k", "2");
        onA.remove("k");
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName bean = new javax.management.ObjectName("io.memring:type=RemoteEvents,CacheManager="
                + b.getURI().toString().replace(':', '.') + ",Cache=" + name);
        Awaitility.await().atMost(WAIT).until(() -> server.getAttribute(bean, "Delivered").equals(3L));
        assertThat(server.getAttribute(bean, "Received")).isEqualTo(3L);
        assertThat(server.getAttribute(bean, "Dropped")).isEqualTo(0L);
        assertThat(server.getAttribute(bean, "Resets")).isEqualTo(0L);
        assertThat(server.getAttribute(bean, "Undecodable")).isEqualTo(0L);
        assertThat(server.getAttribute(bean, "Listening")).isEqualTo(true);
        assertThat(heardByB.events).containsExactly("CREATED k=1", "UPDATED k=2 old=1", "REMOVED k=2 old=2");
        assertThat(onB.unwrap(RemoteEvents.class).received()).isEqualTo(3);
        // the bean comes and goes with the cache's statistics, as the spec's statistics bean does
        b.enableStatistics(name, false);
        assertThat(server.isRegistered(bean)).isFalse();
        b.enableStatistics(name, true);
        assertThat(server.getAttribute(bean, "Delivered")).isEqualTo(3L);
        b.destroyCache(name);
        assertThat(server.isRegistered(bean)).isFalse();
    }

    /**
     * The bean names one cache instance: after destroy and create again it is the new cache's (its
     * counts start at 0 and follow the new cache), and none of the cache's beans outlives the manager.
     */
    @Test
    void remoteEventsBean_followsTheCacheAcrossDestroyAndCreate_andNothingOutlivesTheManager() throws Exception {
        String name = freshName();
        CacheManager m = cluster.newManager();
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        String uri = m.getURI().toString().replace(':', '.');
        javax.management.ObjectName bean = new javax.management.ObjectName("io.memring:type=RemoteEvents,CacheManager="
                + uri + ",Cache=" + name);
        Cache<String, String> writer = a.createCache(name, config());
        try {
            Cache<String, String> first = m.createCache(name, config().setStatisticsEnabled(true).setManagementEnabled(true));
            first.registerCacheEntryListener(new EventRecorder().registration(false));
            writer.put("k", "1");
            Awaitility.await().atMost(WAIT).until(() -> server.getAttribute(bean, "Received").equals(1L));
            m.destroyCache(name);
            assertThat(server.isRegistered(bean)).isFalse();

            Cache<String, String> second = m.createCache(name, config().setStatisticsEnabled(true).setManagementEnabled(true));
            assertThat(server.getAttribute(bean, "Received")).as("the new cache's counts").isEqualTo(0L);
            EventRecorder heard = new EventRecorder();
            second.registerCacheEntryListener(heard.registration(false));
            writer.put("k", "2");
            Awaitility.await().atMost(WAIT).until(() -> heard.events.size() == 1);
            assertThat(server.getAttribute(bean, "Received")).isEqualTo(second.unwrap(RemoteEvents.class).received());
            assertThat(server.getAttribute(bean, "Listening")).isEqualTo(true);
            for (String domain : List.of("io.memring", "javax.cache")) {
                assertThat(server.queryNames(new javax.management.ObjectName(domain + ":*,CacheManager=" + uri + ",Cache=" + name), null))
                        .as("%s beans of %s while open", domain, name).isNotEmpty();
            }
        } finally {
            m.close();
        }
        for (String domain : List.of("io.memring", "javax.cache")) {
            assertThat(server.queryNames(new javax.management.ObjectName(domain + ":*,CacheManager=" + uri + ",Cache=" + name), null))
                    .as("%s beans of %s after the manager closed", domain, name).isEmpty();
        }
    }

    @Test
    void aStockClientsIncr_onAnEntryTheCacheHolds_isRefusedByTheNode_soNoEventIsOwed() throws Exception {
        // a JCache entry is stored as an envelope (first byte 1, then binary): never a number incr/decr
        // could count, on our node or on memcached; the counts they can change are foreign items, which
        // raise no JCache event. Counts carry their old value on the stream all the same (MutationStreamIT).
        Pair p = new Pair(config());
        p.onA.put("n", "5");
        Awaitility.await().atMost(WAIT).until(() -> p.heardByB.events.contains("CREATED n=5"));
        byte[] serverKey = p.onA.unwrap(RingStore.class).serverKey(("1n").getBytes(StandardCharsets.UTF_8));
        try (io.memring.testing.RawClient stock = new io.memring.testing.RawClient(cluster.address(0).getPort())) {
            String key = new String(serverKey, StandardCharsets.ISO_8859_1);
            assertThat(stock.roundTrip("incr " + key + " 1\r\n", "\r\n"))
                    .isEqualTo("CLIENT_ERROR cannot increment or decrement non-numeric value\r\n");
            assertThat(stock.roundTrip("decr " + key + " 1\r\n", "\r\n"))
                    .isEqualTo("CLIENT_ERROR cannot increment or decrement non-numeric value\r\n");
        }
        assertThat(p.onB.get("n")).isEqualTo("5");
        p.assertHeard(List.of("CREATED n=5"), List.of("CREATED n=5"));
    }

    @Test
    void remoteEvents_reachSynchronousListenersOnTheEventThread() {
        Pair p = new Pair(config());
        p.onB.put("k", "1");
        Awaitility.await().atMost(WAIT).until(() -> !p.heardByA.threads.isEmpty());
        assertThat(p.heardByA.threads.get(0)).startsWith("memring-events-");
    }

    @Test
    void expired_foundByTheOtherManager_isHeardOnBothSides() {
        Pair p = new Pair(config().setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, 300))));
        p.onA.put("e", "1");
        long expired = System.currentTimeMillis() + 300;
        Awaitility.await().atMost(WAIT).until(() -> System.currentTimeMillis() > expired + 50
                && p.heardByB.events.contains("CREATED e=1"));
        assertThat(p.onB.get("e")).isNull(); // B finds it expired and deletes it: EXPIRED
        List<String> both = List.of("CREATED e=1", "EXPIRED e=1 old=1");
        p.assertHeard(both, both);
    }

    @Test
    void expired_foundByTheNode_isHeardOnBothSides() throws Exception {
        Pair p = new Pair(config().setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new javax.cache.expiry.Duration(TimeUnit.MILLISECONDS, 200))));
        p.onA.put("x", "1");
        byte[] serverKey = p.onA.unwrap(RingStore.class).serverKey(("1x").getBytes(StandardCharsets.UTF_8));
        MemcacheClient raw = a.unwrap(MemcacheClient.class);
        // the item outlives its envelope by a second or two (whole-second TTL); a raw read past that makes the node drop it
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> raw.get(serverKey).get() == null);
        List<String> both = List.of("CREATED x=1", "EXPIRED x=1 old=1");
        p.assertHeard(both, both);
    }

    @Test
    void clear_isSilentOnBothSides() {
        Pair p = new Pair(config());
        p.onA.put("a", "1");
        p.onA.put("b", "2");
        p.assertHeard(List.of("CREATED a=1", "CREATED b=2"), List.of("CREATED a=1", "CREATED b=2"));
        p.onA.clear();
        assertThat(p.onB.get("a")).isNull();
        p.assertHeard(List.of(), List.of());
    }

    @Test
    void hashedLongKeys_areHeardWithTheFullKey() {
        Pair p = new Pair(config());
        String longKey = "long-".repeat(80);
        p.onA.put(longKey, "1");
        p.onA.remove(longKey);
        List<String> both = List.of("CREATED " + longKey + "=1", "REMOVED " + longKey + "=1 old=1");
        p.assertHeard(both, both);
    }

    @Test
    void foreignItemsUnderTheCachesKeys_raiseNoEvents() throws Exception {
        Pair p = new Pair(config());
        byte[] serverKey = p.onA.unwrap(RingStore.class).serverKey(("1planted").getBytes(StandardCharsets.UTF_8));
        MemcacheClient raw = a.unwrap(MemcacheClient.class);
        raw.store(StoreMode.SET, serverKey, "another program's bytes".getBytes(StandardCharsets.US_ASCII), 0, 0).get();
        raw.delete(serverKey).get();
        // a hashed key's envelope that names another key: a collision planted on purpose
        byte[] longKey = ("1" + "x".repeat(400)).getBytes(StandardCharsets.UTF_8);
        byte[] hashed = p.onA.unwrap(RingStore.class).serverKey(longKey);
        byte[] otherKeysEnvelope = TestEnvelopes.wrap("v".getBytes(StandardCharsets.UTF_8), 0,
                ("1" + "y".repeat(400)).getBytes(StandardCharsets.UTF_8));
        raw.store(StoreMode.SET, hashed, otherKeysEnvelope, DefaultSerializer.STRING, 0).get();
        raw.delete(hashed).get();
        p.assertHeard(List.of(), List.of());
        assertThat(p.onB.unwrap(RemoteEvents.class).undecodable()).isZero();
    }

    @Test
    void aPlantedValueOfAClassNotAllowed_raisesNoEvent_isCounted_andNothingOfItIsBuilt() throws Exception {
        Pair p = new Pair(config());
        byte[] serverKey = p.onA.unwrap(RingStore.class).serverKey(("1planted").getBytes(StandardCharsets.UTF_8));
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(new java.util.PriorityQueue<String>());
        }
        a.unwrap(MemcacheClient.class).store(StoreMode.SET, serverKey, TestEnvelopes.wrap(bytes.toByteArray(), 0, null),
                DefaultSerializer.JAVA, 0).get();
        p.assertHeard(List.of(), List.of());
        assertThat(p.onB.unwrap(RemoteEvents.class).undecodable()).isEqualTo(1);
        assertThat(p.onA.unwrap(RemoteEvents.class).undecodable()).isZero(); // A's own client wrote it: not echoed
    }

    @Test
    void withNearCachesOnBothSides_eventsAreTheSame() {
        String name = freshName();
        CacheManager nearA = cluster.newManager("memring.nearCache.maxEntries", "1000");
        CacheManager nearB = cluster.newManager("memring.nearCache.maxEntries", "1000");
        Cache<String, String> onA = nearA.createCache(name, config());
        Cache<String, String> onB = nearB.createCache(name, config());
        EventRecorder heard = new EventRecorder();
        onB.registerCacheEntryListener(heard.registration(false));
        onA.put("k", "1");
        assertThat(onA.get("k")).isEqualTo("1"); // now near in A
        onA.put("k", "2");
        onA.remove("k");
        List<String> expected = List.of("CREATED k=1", "UPDATED k=2 old=1", "REMOVED k=2 old=2");
        Awaitility.await().atMost(WAIT).until(() -> heard.events.size() >= expected.size());
        assertThat(heard.events).containsExactlyElementsOf(expected);
        assertThat(onB.get("k")).isNull();
    }

    @Test
    void untypedCache_anUpdateToAnotherType_carriesTheOldValueOfItsOwnType() {
        String name = freshName();
        Cache<Object, Object> onA = a.createCache(name, new MutableConfiguration<>());
        Cache<Object, Object> onB = b.createCache(name, new MutableConfiguration<>());
        List<Object> olds = new java.util.concurrent.CopyOnWriteArrayList<>();
        onB.registerCacheEntryListener(new javax.cache.configuration.MutableCacheEntryListenerConfiguration<Object, Object>(
                new FactoryBuilder.SingletonFactory<>((javax.cache.event.CacheEntryUpdatedListener<Object, Object>) events ->
                        events.forEach(e -> olds.add(e.getOldValue()))), null, true, false));
        onA.put("k", 42L);
        onA.put("k", "now a string");
        Awaitility.await().atMost(WAIT).until(() -> !olds.isEmpty());
        assertThat(olds).containsExactly(42L);
    }

    @Test
    void remoteEventsOff_theOtherSideHearsNothing() {
        String name = freshName();
        Cache<String, String> onA = a.createCache(name, config());
        CacheManager quiet = cluster.newManager("memring.events.remote", "false");
        Cache<String, String> onQuiet = quiet.createCache(name, config());
        EventRecorder heard = new EventRecorder();
        onQuiet.registerCacheEntryListener(heard.registration(false));
        onA.put("k", "1");
        onQuiet.put("mine", "1");
        Awaitility.await().atMost(WAIT).until(() -> heard.events.contains("CREATED mine=1"));
        assertThat(heard.events).containsExactly("CREATED mine=1");
        assertThatThrownBy(() -> onQuiet.unwrap(RemoteEvents.class)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void filtersApply_andListenersWithoutOldValuesStillHearEvents() {
        String name = freshName();
        Cache<String, String> onA = a.createCache(name, config());
        Cache<String, String> onB = b.createCache(name, config());
        EventRecorder heard = new EventRecorder();
        onB.registerCacheEntryListener(new javax.cache.configuration.MutableCacheEntryListenerConfiguration<String, String>(
                new FactoryBuilder.SingletonFactory<>(heard),
                new FactoryBuilder.SingletonFactory<>(new MemringCacheRemoteEventsTest.OnlyKeysStartingWithA()), false, false));
        onA.put("b1", "1");
        onA.put("a1", "1");
        onA.put("a1", "2");
        Awaitility.await().atMost(WAIT).until(() -> heard.events.size() >= 2);
        onA.put("a-sentinel", "s");
        Awaitility.await().atMost(WAIT).until(() -> heard.events.contains("CREATED a-sentinel=s"));
        assertThat(heard.events).containsExactly("CREATED a1=1", "UPDATED a1=2 old=1", "CREATED a-sentinel=s");
    }
}
