package io.memring.jcache.store;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.memring.client.GetResult;
import io.memring.client.MemcacheClient;
import io.memring.client.StoreMode;
import io.memring.client.StoreResult;
import io.memring.jcache.near.InvalidationFeed;
import io.memring.jcache.near.InvalidationSource;
import io.memring.jcache.near.NearCacheStore;
import io.memring.jcache.near.NearListener;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A near cache over a {@link GenerationalStore} (stock rings), with another JVM's store on the same
 * ring: that JVM's clear bumps the generation item with {@code incr}, which stock memcached's
 * {@code watch mutations} does not report (stores only). Its next store under the new generation is
 * reported, and must not leave this JVM serving the old generation's value for that key.
 */
class GenerationalNearTest {
    private static final long NOW_MICROS = 1_700_000_000_000_000L;

    /** One stock memcached node: key -> item. */
    private record Item(byte[] value, int flags, long cas) {
    }

    private final Map<String, Item> ring = new ConcurrentHashMap<>();
    private final AtomicLong casCounter = new AtomicLong();
    private final List<NearListener> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong nanos = new AtomicLong();

    private CompletableFuture<StoreResult> stored(byte[] key, byte[] value, int flags) {
        long cas = casCounter.incrementAndGet();
        ring.put(new String(key, ISO_8859_1), new Item(value, flags, cas));
        return CompletableFuture.completedFuture(new StoreResult(StoreResult.Status.STORED, cas));
    }

    private CompletableFuture<StoreResult> notStored() {
        return CompletableFuture.completedFuture(new StoreResult(StoreResult.Status.NOT_STORED, 0));
    }

    private MemcacheClient client() {
        return (MemcacheClient) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {MemcacheClient.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "get" -> {
                        Item i = ring.get(new String((byte[]) args[0], ISO_8859_1));
                        yield CompletableFuture.completedFuture(i == null ? null : new GetResult(i.value(), i.flags(), i.cas()));
                    }
                    case "store" -> {
                        byte[] key = (byte[]) args[1];
                        boolean present = ring.containsKey(new String(key, ISO_8859_1));
                        yield args[0] == StoreMode.ADD && present ? notStored() : stored(key, (byte[]) args[2], (int) args[3]);
                    }
                    case "cas" -> {
                        byte[] key = (byte[]) args[0];
                        Item i = ring.get(new String(key, ISO_8859_1));
                        yield i == null || i.cas() != (long) args[4] ? notStored() : stored(key, (byte[]) args[1], (int) args[2]);
                    }
                    case "incr" -> {
                        byte[] key = (byte[]) args[0];
                        Item i = ring.get(new String(key, ISO_8859_1));
                        if (i == null) {
                            yield CompletableFuture.completedFuture(null);
                        }
                        long next = Long.parseLong(new String(i.value(), ISO_8859_1)) + (long) args[1];
                        stored(key, Long.toString(next).getBytes(ISO_8859_1), i.flags());
                        yield CompletableFuture.completedFuture(next);
                    }
                    case "clientId" -> 1L;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    /** Stock memcached's watch: best effort, reports stores only (here: driven by the test). */
    private final InvalidationSource source = new InvalidationSource() {
        @Override
        public InvalidationFeed subscribe(List<byte[]> prefixes, NearListener listener) {
            listeners.add(listener);
            return new InvalidationFeed() {
                @Override
                public Mode mode() {
                    return Mode.BEST_EFFORT;
                }

                @Override
                public boolean live(InetSocketAddress node) {
                    return false;
                }

                @Override
                public InetSocketAddress ownerOf(byte[] serverKey) {
                    return null;
                }

                @Override
                public void close() {
                    listeners.remove(listener);
                }
            };
        }

        @Override
        public String ringId() {
            return "generational-near";
        }
    };

    private final GenerationalStore otherJvm = new GenerationalStore(client(), "c", new Generation(client(), "c", () -> NOW_MICROS));
    private final NearCacheStore near = NearCacheStore.open(
            new GenerationalStore(client(), "c", new Generation(client(), "c", () -> NOW_MICROS)), "c", source, 100, 60_000,
            (Ticker) nanos::get);

    @AfterEach
    void close() {
        near.close();
    }

    private static byte[] k(String s) {
        return ("1" + s).getBytes(UTF_8);
    }

    private static String text(StoredEntry e) {
        return e == null ? null : new String(e.value(), UTF_8);
    }

    /** The other JVM writes: the node reports the store (the server key, in the other JVM's generation). */
    private void otherJvmWrites(String key, String value) {
        otherJvm.overwrite(k(key), value.getBytes(UTF_8), 1, 0, 0);
        byte[] serverKey = otherJvm.serverKey(k(key));
        listeners.forEach(l -> l.invalidate(serverKey));
    }

    @Test
    void otherJvmsClearThenStore_theReportedStoreInTheNewGeneration_endsTheOldGenerationsNearCopy() {
        otherJvmWrites("k", "v1");
        assertThat(text(near.read(k("k")))).isEqualTo("v1");
        assertThat(text(near.read(k("k")))).isEqualTo("v1"); // a near hit
        assertThat(near.stats().getNearHits()).isEqualTo(1);

        otherJvm.clear(); // incr of the generation item: stock memcached's watch says nothing
        otherJvmWrites("k", "v2"); // reported: a store under the new generation's prefix

        assertThat(text(near.read(k("k")))).isEqualTo("v2");
        assertThat(text(near.peek(k("k")))).isIn(null, "v2");
    }

    @Test
    void lateStoreOfALaggingJvmInTheOldGeneration_doesNotDropTheCurrentGenerationsEntries() {
        otherJvm.clear(); // the other JVM moves on; this one learns it on its next operation
        otherJvmWrites("k", "v1");
        assertThat(text(near.read(k("k")))).isEqualTo("v1"); // this JVM now knows the new generation
        assertThat(text(near.read(k("k")))).isEqualTo("v1");
        long hits = near.stats().getNearHits();
        // a store reported under a generation older than this JVM's: unreachable, no reason to drop anything
        byte[] old = ("jc:c:" + Long.toString(NOW_MICROS, 36) + ":1x").getBytes(UTF_8);
        listeners.forEach(l -> l.invalidate(old));
        assertThat(text(near.read(k("k")))).isEqualTo("v1");
        assertThat(near.stats().getNearHits()).isEqualTo(hits + 1);
    }
}
