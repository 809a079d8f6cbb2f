package io.memring.jcache.near;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.memring.client.Key;
import io.memring.jcache.store.InMemoryStore;
import io.memring.jcache.store.RemoteStore;
import io.memring.jcache.store.RingStore;
import io.memring.jcache.store.StoredEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The near hit's String lookup ({@link NearCacheStore#lookupKey(byte, String)}): it must find exactly
 * the entry the serialized key's server key finds, or decline (null) so that the caller serializes.
 */
class NearLookupKeyTest {
    private static final AtomicInteger RINGS = new AtomicInteger();
    /** The built-in serializers' String tag ('0' + 1) as EntryCodec writes it. */
    private static final byte TAG = '1';

    private static byte[] keyBytes(String s) {
        byte[] utf8 = s.getBytes(UTF_8);
        byte[] out = new byte[utf8.length + 1];
        out[0] = TAG;
        System.arraycopy(utf8, 0, out, 1, utf8.length);
        return out;
    }

    private static NearCacheStore open(RemoteStore inner, int maxEntries) {
        return NearCacheStore.open(inner, "c", new FakeSource("lookup-" + RINGS.incrementAndGet()), maxEntries, 5_000, Ticker.systemTicker());
    }

    /** Ring stores' server keys (prefix + key, or hashed past the limits): the probe equals the server key's ByteKey or declines. */
    @ParameterizedTest
    @ValueSource(strings = {"", "k", "k:1234", "a b", "tab\there", "\u007f", "caf\u00e9", "\ud800", "?", "\u4e2d\u6587", "\ud83d\ude00"})
    void probe_equalsTheServerKeysByteKey_orDeclines(String key) {
        RingStore ring = new RingStore(null, "cache name/with:odd chars"); // serverKey needs no client
        try (NearCacheStore near = open(ring, 10)) {
            assertProbeMatches(near, ring, key);
        }
    }

    @Test
    void probe_aroundEveryLengthLimit_equalsOrDeclines() {
        RingStore ring = new RingStore(null, "c");
        int prefix = ring.plainKeyPrefix().length;
        try (NearCacheStore near = open(ring, 10)) {
            for (int chars = 0; chars <= Key.MAX_LENGTH + 5 - prefix; chars++) {
                assertProbeMatches(near, ring, "x".repeat(chars));
                assertProbeMatches(near, ring, " ".repeat(chars)); // not printable: hashed once past 186 bytes
            }
        }
    }

    @Test
    void probe_randomAsciiAndNonAsciiKeys_equalsOrDeclines() {
        RingStore ring = new RingStore(null, "c");
        Random random = new Random(11);
        try (NearCacheStore near = open(ring, 10)) {
            for (int i = 0; i < 2_000; i++) {
                char[] chars = new char[random.nextInt(40)];
                for (int j = 0; j < chars.length; j++) {
                    chars[j] = (char) (random.nextInt(8) == 0 ? random.nextInt(0x10000) : random.nextInt(0x80));
                }
                assertProbeMatches(near, ring, new String(chars));
            }
        }
    }

    private static void assertProbeMatches(NearCacheStore near, RemoteStore ring, String key) {
        Object probe = near.lookupKey(TAG, key);
        ByteKey serverKey = new ByteKey(ring.serverKey(keyBytes(key)));
        boolean plain = key.chars().allMatch(c -> c < 0x80) && ring.plainKeyPrefix().length + 1 + key.length() <= Key.MAX_BASE64_LENGTH;
        if (!plain) {
            assertThat(probe).as("declined: %s", key).isNull();
            return;
        }
        assertThat(probe).as("probe for %s", key).isNotNull();
        assertThat(probe.hashCode()).isEqualTo(serverKey.hashCode());
        assertThat(probe).isEqualTo(serverKey);
        assertThat(serverKey).isEqualTo(probe);
        ByteKey other = new ByteKey(ring.serverKey(keyBytes(key + "x")));
        assertThat(probe).isNotEqualTo(other);
        assertThat(other).isNotEqualTo(probe);
    }

    @Test
    void storeWithoutAPlainPrefix_declines() {
        try (NearCacheStore near = open(new GatedStore(), 10)) {
            assertThat(near.lookupKey(TAG, "k")).isNull();
        }
    }

    /** Serves what the serialized path serves, and nothing once the node invalidated the server key. */
    @Test
    void probe_findsTheInstalledEntry_andNothingAfterAnInvalidation() {
        InMemoryStore remote = new InMemoryStore();
        FakeSource source = new FakeSource("lookup-" + RINGS.incrementAndGet());
        try (NearCacheStore near = NearCacheStore.open(remote, "c", source, 10, 5_000, Ticker.systemTicker())) {
            near.overwrite(keyBytes("k"), "v1".getBytes(UTF_8), 1, 0, 0); // installs
            StoredEntry hit = near.peek(near.lookupKey(TAG, "k"), false);
            assertThat(new String(hit.value(), UTF_8)).isEqualTo("v1");
            assertThat(near.peek(near.lookupKey(TAG, "k2"), false)).isNull();
            assertThat(near.peek(near.lookupKey(TAG, "K"), false)).isNull();
            source.invalidate(remote.serverKey(keyBytes("k")));
            assertThat(near.peek(near.lookupKey(TAG, "k"), false)).isNull();
            assertThat(near.peek(near.lookupKey(TAG, "k"), true)).isNull();
        }
    }

    /**
     * Hits are recorded in Caffeine's eviction policy one in {@link NearCacheStore#RECORD_ONE_IN}: keys
     * read often must still outlive keys read once. Fails if hits are never recorded (every hit quiet):
     * then the hot keys are as good as any to evict.
     */
    @Test
    void sampledHitRecording_keepsHotKeysAgainstAScanOfNewKeys() {
        InMemoryStore remote = new InMemoryStore();
        int capacity = 100;
        try (NearCacheStore near = open(remote, capacity)) {
            List<String> hot = new ArrayList<>();
            for (int i = 0; i < capacity; i++) {
                String k = "cold-" + i;
                if (i % 10 == 0) {
                    k = "hot-" + i;
                    hot.add(k);
                }
                near.overwrite(keyBytes(k), new byte[] {1}, 1, 0, 0);
            }
            for (int round = 0; round < 400; round++) {
                for (String k : hot) {
                    assertThat(near.peek(near.lookupKey(TAG, k), true)).isNotNull();
                }
            }
            for (int i = 0; i < 3 * capacity; i++) {
                near.overwrite(keyBytes("scan-" + i), new byte[] {1}, 1, 0, 0); // written once, never read
            }
            near.size(); // runs Caffeine's pending maintenance
            long kept = hot.stream().filter(k -> near.holds(keyBytes(k))).count();
            assertThat(kept).as("hot keys still near after a scan of %d new keys", 3 * capacity).isEqualTo(hot.size());
        }
    }
}
