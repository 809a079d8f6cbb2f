package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memring.client.watch.Mutation;
import io.memring.client.watch.MutationKind;
import io.memring.client.watch.MutationSink;
import io.memring.client.watch.ResetReason;
import io.memring.client.watch.WatchMode;
import io.memring.client.watch.WatchSubscription;
import io.memring.jcache.configuration.MemringConfiguration;
import io.memring.jcache.event.RemoteEvents;
import io.memring.jcache.serialization.DefaultSerializer;
import io.memring.jcache.store.ChangeSource;
import io.memring.jcache.store.InMemoryStores;
import io.memring.jcache.store.RemoteStore;
import io.memring.jcache.store.RemoteStores;
import io.memring.jcache.store.RingStore;
import io.memring.jcache.store.TestEnvelopes;
import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.Cache;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryEventFilter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Events other JVMs caused, pushed through a fake change source into a real CacheManager: when the
 * cache subscribes, what each kind becomes for listeners, on which thread, filters, resets, overflow
 * and the on/off settings.
 */
class MemringCacheRemoteEventsTest {
    private static final InetSocketAddress NODE = new InetSocketAddress("127.0.0.1", 1);
    private static final long NOW = 1_800_000_000_000L;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final AtomicLong now = new AtomicLong(NOW);
    private final FakeStores stores = new FakeStores();
    private final MemringCachingProvider provider = new MemringCachingProvider();
    private MemringCacheManager manager;

    private MemringCacheManager manager(Properties properties) {
        manager = new MemringCacheManager(provider, URI.create("memring://remote-events-" + SEQUENCE.incrementAndGet()),
                getClass().getClassLoader(), properties, stores, now::get);
        return manager;
    }

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
        provider.close();
    }

    private Cache<String, String> cache(Properties properties, MemringConfiguration<String, String> configuration) {
        return manager(properties).createCache("c", configuration.setTypes(String.class, String.class));
    }

    private Cache<String, String> cache() {
        return cache(new Properties(), new MemringConfiguration<>());
    }

    // ------------------------------------------------------------------ subscription lifecycle

    @Test
    void subscribes_inValuesMode_onlyWhileTheCacheHasListeners() {
        Cache<String, String> cache = cache();
        assertThat(stores.source.watches).isEmpty();
        EventRecorder a = new EventRecorder();
        EventRecorder b = new EventRecorder();
        cache.registerCacheEntryListener(a.registration(true));
        cache.registerCacheEntryListener(b.registration(false));
        assertThat(stores.source.watches).hasSize(1);
        assertThat(stores.source.live()).isTrue();
        cache.deregisterCacheEntryListener(a.registration(true));
        assertThat(stores.source.live()).isTrue();
        cache.deregisterCacheEntryListener(b.registration(false));
        assertThat(stores.source.live()).isFalse();
        cache.registerCacheEntryListener(a.registration(true));
        assertThat(stores.source.watches).hasSize(2);
        cache.close();
        assertThat(stores.source.live()).isFalse();
    }

    @Test
    void listenerInTheConfiguration_subscribesWhenTheCacheIsCreated_andManagerCloseUnsubscribes() {
        EventRecorder r = new EventRecorder();
        MemringConfiguration<String, String> c = new MemringConfiguration<>();
        c.addCacheEntryListenerConfiguration(r.registration(true));
        cache(new Properties(), c);
        assertThat(stores.source.live()).isTrue();
        manager.close();
        assertThat(stores.source.live()).isFalse();
    }

    @Test
    void remoteEventsOff_managerWide_noSubscription_unlessTheCacheAsksForThem() {
        Properties off = new Properties();
        off.setProperty("memring.events.remote", "false");
        EventRecorder r = new EventRecorder();
        Cache<String, String> cache = cache(off, new MemringConfiguration<>());
        cache.registerCacheEntryListener(r.registration(true));
        assertThat(stores.source.watches).isEmpty();

        Cache<String, String> on = manager.createCache("d", new MemringConfiguration<String, String>().setRemoteEvents(true)
                .setTypes(String.class, String.class));
        on.registerCacheEntryListener(r.registration(true));
        assertThat(stores.source.watches).hasSize(1);
    }

    @Test
    void remoteEventsOffForOneCache_overridesTheManager() {
        EventRecorder r = new EventRecorder();
        Cache<String, String> cache = cache(new Properties(), new MemringConfiguration<String, String>().setRemoteEvents(false));
        cache.registerCacheEntryListener(r.registration(true));
        assertThat(stores.source.watches).isEmpty();
        assertThat(cache.getConfiguration(MemringConfiguration.class).getRemoteEvents()).isFalse();
    }

    // ------------------------------------------------------------------ what listeners hear

    @Test
    void everyKind_reachesListeners_withOldValues_onTheEventThread_synchronousListenersToo() {
        Cache<String, String> cache = cache();
        EventRecorder sync = new EventRecorder();
        EventRecorder async = new EventRecorder();
        cache.registerCacheEntryListener(sync.registration(true));
        cache.registerCacheEntryListener(async.registration(false));
        push(MutationKind.CREATED, "k", null, envelope("k", "1", 0));
        push(MutationKind.UPDATED, "k", envelope("k", "1", 0), envelope("k", "2", 0));
        push(MutationKind.DELETED, "k", envelope("k", "2", 0), null);
        push(MutationKind.CREATED, "e", null, envelope("e", "x", NOW - 5000));
        push(MutationKind.EXPIRED, "e", envelope("e", "x", NOW - 5000), null);
        push(MutationKind.CLEARED, "k", envelope("k", "3", 0), null);
        push(MutationKind.EVICTED, "k", envelope("k", "3", 0), null);
        push(MutationKind.FLUSHED, "-", null, null);
        push(MutationKind.CREATED, "last", null, envelope("last", "z", 0));
        List<String> expected = List.of("CREATED k=1", "UPDATED k=2 old=1", "REMOVED k=2 old=2", "CREATED e=x",
                "EXPIRED e=x old=x", "CREATED last=z");
        await().atMost(Duration.ofSeconds(10)).until(() -> async.events.size() >= expected.size());
        assertThat(async.events).containsExactlyElementsOf(expected);
        await().atMost(Duration.ofSeconds(10)).until(() -> sync.events.size() >= expected.size());
        assertThat(sync.events).containsExactlyElementsOf(expected);
        assertThat(sync.threads).allMatch(t -> t.startsWith("memring-events-c"));
        assertThat(cache.unwrap(RemoteEvents.class).delivered()).isEqualTo(6);
    }

    @Test
    void localEventsStayLocal_andSynchronous_remoteOnesAreQueuedBehindEarlierAsyncDeliveries() {
        Cache<String, String> cache = cache();
        EventRecorder sync = new EventRecorder();
        cache.registerCacheEntryListener(sync.registration(true));
        cache.put("mine", "1");
        assertThat(sync.events).containsExactly("CREATED mine=1"); // before put returned
        assertThat(sync.threads).containsExactly(Thread.currentThread().getName());
    }

    @Test
    void updateInAnUntypedCache_readsTheOldValueWithTheOldItemsFlags() {
        Cache<Object, Object> cache = manager(new Properties()).createCache("c", new MemringConfiguration<>());
        List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<Object, Object>(
                new FactoryBuilder.SingletonFactory<>((javax.cache.event.CacheEntryUpdatedListener<Object, Object>) events ->
                        events.forEach(e -> heard.add(e.getValue() + " old=" + e.getOldValue() + " " + e.getOldValue().getClass().getSimpleName()))),
                null, true, false));
        byte[] oldLong = TestEnvelopes.wrap(ByteBuffer.allocate(8).putLong(42).array(), 0, null);
        stores.source.push(new Mutation(NODE, seq.incrementAndGet(), MutationKind.UPDATED, serverKey("k"), versionAt(now.get()), 99,
                DefaultSerializer.STRING, 0, oldLong, envelope("k", "new", 0), DefaultSerializer.LONG));
        await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 1);
        assertThat(heard).containsExactly("new old=42 Long");
    }

    @Test
    void filters_applyToRemoteEvents() {
        Cache<String, String> cache = cache();
        EventRecorder r = new EventRecorder();
        cache.registerCacheEntryListener(new MutableCacheEntryListenerConfiguration<String, String>(
                new FactoryBuilder.SingletonFactory<>(r), new FactoryBuilder.SingletonFactory<>(new OnlyKeysStartingWithA()), true, false));
        push(MutationKind.CREATED, "b1", null, envelope("b1", "1", 0));
        push(MutationKind.CREATED, "a1", null, envelope("a1", "1", 0));
        push(MutationKind.UPDATED, "b1", envelope("b1", "1", 0), envelope("b1", "2", 0));
        push(MutationKind.DELETED, "a1", envelope("a1", "1", 0), null);
        await().atMost(Duration.ofSeconds(10)).until(() -> cache.unwrap(RemoteEvents.class).delivered() == 4);
        assertThat(r.events).containsExactly("CREATED a1=1", "REMOVED a1=1 old=1");
    }

    @Test
    void undecodableValues_giveNoEvent_areCounted_andLaterEventsStillArrive() {
        Cache<String, String> cache = cache();
        EventRecorder r = new EventRecorder();
        cache.registerCacheEntryListener(r.registration(false));
        byte[] aLong = TestEnvelopes.wrap(ByteBuffer.allocate(8).putLong(42).array(), 0, null);
        stores.source.push(mutation(MutationKind.CREATED, "k", DefaultSerializer.LONG, null, aLong));
        push(MutationKind.CREATED, "foreign", null, "not a Memring envelope".getBytes(StandardCharsets.US_ASCII));
        push(MutationKind.CREATED, "ok", null, envelope("ok", "1", 0));
        await().atMost(Duration.ofSeconds(10)).until(() -> r.events.size() == 1);
        assertThat(r.events).containsExactly("CREATED ok=1");
        RemoteEvents<?, ?> remote = cache.unwrap(RemoteEvents.class);
        assertThat(remote.undecodable()).isEqualTo(1); // the Long in a String cache; the foreign item is simply no mapping
        assertThat(remote.delivered()).isEqualTo(1);
    }

    /** A user serializer that fails with something other than a CacheException on one value. */
    public static final class ThrowingSerializer implements io.memring.jcache.serialization.Serializer {
        private final io.memring.jcache.serialization.Serializer inner = new DefaultSerializer();

        @Override
        public Serialized serialize(Object object) {
            return inner.serialize(object);
        }

        @Override
        public Object deserialize(byte[] bytes, int encoding, ClassLoader classLoader) {
            Object o = inner.deserialize(bytes, encoding, classLoader);
            if ("boom".equals(o)) {
                throw new IllegalStateException("user serializer failed");
            }
            return o;
        }
    }

    @Test
    void aUserSerializerThrowingAnyRuntimeException_givesNoEvent_isCounted_andLaterEventsStillArrive() {
        Cache<String, String> cache = cache(new Properties(), new MemringConfiguration<String, String>()
                .setSerializerFactory(new FactoryBuilder.ClassFactory<>(ThrowingSerializer.class.getName())));
        EventRecorder r = new EventRecorder();
        cache.registerCacheEntryListener(r.registration(false));
        push(MutationKind.CREATED, "bad", null, envelope("bad", "boom", 0));
        push(MutationKind.CREATED, "ok", null, envelope("ok", "1", 0));
        await().atMost(Duration.ofSeconds(10)).until(() -> r.events.size() == 1);
        assertThat(r.events).containsExactly("CREATED ok=1");
        RemoteEvents<?, ?> remote = cache.unwrap(RemoteEvents.class);
        assertThat(remote.undecodable()).isEqualTo(1);
        assertThat(remote.delivered()).isEqualTo(1);
    }

    @Test
    void resets_areCounted_andEventsAfterThemArrive() {
        Cache<String, String> cache = cache();
        EventRecorder r = new EventRecorder();
        cache.registerCacheEntryListener(r.registration(false));
        stores.source.sink().reset(NODE, ResetReason.GAP);
        stores.source.sink().reset(NODE, ResetReason.DISCONNECTED);
        push(MutationKind.CREATED, "k", null, envelope("k", "1", 0));
        await().atMost(Duration.ofSeconds(10)).until(() -> r.events.size() == 1);
        assertThat(cache.unwrap(RemoteEvents.class).resets()).isEqualTo(2);
    }

    @Test
    void slowListener_eventsBeyondTheBoundAreDropped_andCounted_neverBlockingThePusher() throws Exception {
        Cache<String, String> cache = cache();
        CountDownLatch release = new CountDownLatch(1);
        EventRecorder r = new EventRecorder();
        r.blockUntil = release;
        cache.registerCacheEntryListener(r.registration(false));
        int extra = 5;
        long start = System.nanoTime();
        for (int i = 0; i < RemoteEvents.MAX_PENDING + extra; i++) {
            push(MutationKind.CREATED, "k" + i, null, envelope("k" + i, "v", 0));
        }
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(30);
        RemoteEvents<?, ?> remote = cache.unwrap(RemoteEvents.class);
        assertThat(remote.dropped()).isEqualTo(extra);
        release.countDown();
        await().atMost(Duration.ofSeconds(60)).until(() -> remote.delivered() == RemoteEvents.MAX_PENDING);
        assertThat(r.events).hasSize(RemoteEvents.MAX_PENDING);
    }

    @Test
    void slowListener_largeValuesAreBoundedByBytesToo() {
        Cache<String, String> cache = cache();
        CountDownLatch release = new CountDownLatch(1);
        EventRecorder r = new EventRecorder();
        r.blockUntil = release;
        cache.registerCacheEntryListener(r.registration(false));
        String big = "v".repeat(1 << 20);
        int fit = (int) (RemoteEvents.MAX_PENDING_BYTES / (1 << 20)) - 1; // each queued change holds a bit more than 1 MB
        for (int i = 0; i < fit + 10; i++) {
            push(MutationKind.CREATED, "k" + i, null, envelope("k" + i, big, 0));
        }
        RemoteEvents<?, ?> remote = cache.unwrap(RemoteEvents.class);
        assertThat(remote.dropped()).isBetween(10L, 11L);
        release.countDown();
        await().atMost(Duration.ofSeconds(60)).until(() -> remote.delivered() + remote.dropped() == fit + 10);
    }

    @Test
    void afterTheLastListenerWent_queuedAndLaterChangesAreIgnored() {
        Cache<String, String> cache = cache();
        EventRecorder r = new EventRecorder();
        cache.registerCacheEntryListener(r.registration(false));
        MutationSink sink = stores.source.sink();
        cache.deregisterCacheEntryListener(r.registration(false));
        sink.mutation(mutation(MutationKind.CREATED, "k", DefaultSerializer.STRING, null, envelope("k", "1", 0)));
        assertThat(cache.unwrap(RemoteEvents.class).delivered()).isZero();
        assertThat(r.events).isEmpty();
    }

    // ------------------------------------------------------------------ fixtures

    private static byte[] keyBytes(String key) {
        return ("1" + key).getBytes(StandardCharsets.UTF_8); // the String tag, then UTF-8
    }

    private static byte[] serverKey(String key) {
        return new RingStore(null, "c").serverKey(keyBytes(key));
    }

    private static byte[] envelope(String key, String value, long expiry) {
        return TestEnvelopes.wrap(value.getBytes(StandardCharsets.UTF_8), expiry, null);
    }

    private static long versionAt(long millis) {
        return (millis - 1_704_067_200_000L) << 22 | 1;
    }

    private final AtomicLong seq = new AtomicLong();

    private Mutation mutation(MutationKind kind, String key, int flags, byte[] oldValue, byte[] newValue) {
        return new Mutation(NODE, seq.incrementAndGet(), kind, serverKey(key), versionAt(now.get()), 99, flags, 0, oldValue, newValue);
    }

    private void push(MutationKind kind, String key, byte[] oldValue, byte[] newValue) {
        stores.source.push(mutation(kind, key, DefaultSerializer.STRING, oldValue, newValue));
    }

    /** In-memory stores whose caches hear changes from {@link #source}. */
    private static final class FakeStores implements RemoteStores {
        final InMemoryStores delegate = new InMemoryStores();
        final FakeSource source = new FakeSource();

        @Override
        public RemoteStore forCache(String cacheName) {
            return delegate.forCache(cacheName);
        }

        @Override
        public ChangeSource changes(String cacheName) {
            return source;
        }

        @Override
        public <T> T unwrap(Class<T> clazz) {
            return delegate.unwrap(clazz);
        }

        @Override
        public void close() {
        }
    }

    /** Records subscriptions; {@link #push} plays the client's watch thread. */
    private static final class FakeSource implements ChangeSource {
        final List<MutationSink> watches = new CopyOnWriteArrayList<>();
        final List<MutationSink> open = new CopyOnWriteArrayList<>();

        @Override
        public WatchSubscription watch(MutationSink sink) {
            watches.add(sink);
            open.add(sink);
            return new WatchSubscription() {
                @Override
                public WatchMode mode() {
                    return WatchMode.PUSH;
                }

                @Override
                public boolean live(InetSocketAddress node) {
                    return open.contains(sink);
                }

                @Override
                public void close() {
                    open.remove(sink);
                }
            };
        }

        @Override
        public RemoteStore.KeyedEntry decode(byte[] serverKey, byte[] stored, int flags, long version) {
            return new RingStore(null, "c").decode(serverKey, stored, flags, version);
        }

        boolean live() {
            return !open.isEmpty();
        }

        MutationSink sink() {
            return open.get(open.size() - 1);
        }

        void push(Mutation m) {
            for (MutationSink s : open) {
                s.mutation(m);
            }
        }
    }

    static final class OnlyKeysStartingWithA implements CacheEntryEventFilter<String, String>, Serializable {
        @Override
        public boolean evaluate(CacheEntryEvent<? extends String, ? extends String> event) {
            return event.getKey().startsWith("a");
        }
    }
}
