package io.memring.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memring.client.BlockingClient;
import io.memring.client.ClientConfig;
import io.memring.client.GetResult;
import io.memring.client.Key;
import io.memring.client.MemcacheClients;
import io.memring.client.StoreMode;
import io.memring.client.StoreResult;
import io.memring.client.routing.RingClient;
import io.memring.integration.Cluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every client operation against 3 Memring nodes and against 3 stock memcached 1.6 nodes. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientOperationsIT {
    private final List<Cluster> clusters = new ArrayList<>();
    private final Map<Cluster, RingClient> clients = new HashMap<>();

    @BeforeAll
    void start() throws Exception {
        clusters.add(Cluster.memring(3));
        clusters.add(Cluster.memcached(3));
        for (Cluster b : clusters) {
            clients.put(b, MemcacheClients.create(ClientConfig.builder().servers(b.servers()).requestTimeout(Duration.ofSeconds(5)).build()));
        }
    }

    @AfterAll
    void stop() throws Exception {
        for (Cluster b : clusters) {
            RingClient c = clients.get(b);
            if (c != null) {
                c.close();
            }
            b.stop();
        }
    }

    List<Cluster> clusters() {
        return clusters;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private BlockingClient client(Cluster cluster) {
        return clients.get(cluster).blocking();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusters")
    void setGetDelete_withFlagsAndCas(Cluster cluster) {
        BlockingClient c = client(cluster);
        StoreResult stored = c.set(b("op:a"), b("hello"), 42, 0);
        assertThat(stored.stored()).isTrue();
        assertThat(stored.cas()).isPositive();
        GetResult got = c.get(b("op:a"));
        assertThat(s(got.value())).isEqualTo("hello");
        assertThat(got.flags()).isEqualTo(42);
        assertThat(got.cas()).isEqualTo(stored.cas());
        assertThat(c.delete(b("op:a"))).isTrue();
        assertThat(c.delete(b("op:a"))).isFalse();
        assertThat(c.get(b("op:a"))).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusters")
    void binaryKeysAndLargeValues(Cluster cluster) {
        BlockingClient c = client(cluster);
        byte[] key = {0, 1, 2, ' ', '\n', (byte) 0xff};
        byte[] value = new byte[500_000];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) (i * 31);
        }
        assertThat(c.set(key, value, 0, 0).stored()).isTrue();
        assertThat(c.get(key).value()).isEqualTo(value);
        assertThat(c.getMany(List.of(key))).containsKey(Key.of(key));
        assertThat(c.delete(key)).isTrue();
        assertThatThrownBy(() -> c.get(new byte[300])).isInstanceOf(io.memring.client.InvalidKeyException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusters")
    void deleteManyIfCas_deletesWhatWasReadUnchanged_andReportsEachKey(Cluster cluster) {
        BlockingClient c = client(cluster);
        Map<Key, byte[]> entries = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            entries.put(Key.of("dmc:" + i), b("v" + i));
        }
        assertThat(c.setMany(entries, 0, 0)).isEmpty();
        Map<Key, GetResult> read = c.getMany(entries.keySet().stream().map(Key::bytes).toList()); // bulk get with CAS
        assertThat(read).hasSize(300);
        c.set(b("dmc:7"), b("changed"), 0, 0); // a concurrent writer
        Map<Key, Long> expected = new HashMap<>();
        read.forEach((k, r) -> expected.put(k, r.cas()));
        expected.put(Key.of("dmc:absent"), 0L);
        Map<Key, StoreResult.Status> outcome = c.deleteManyIfCas(expected);
        assertThat(outcome).hasSize(301);
        assertThat(outcome.get(Key.of("dmc:7"))).isEqualTo(StoreResult.Status.EXISTS);
        assertThat(outcome.get(Key.of("dmc:absent"))).isEqualTo(StoreResult.Status.NOT_FOUND);
        assertThat(outcome.values().stream().filter(st -> st == StoreResult.Status.STORED).count()).isEqualTo(299);
        assertThat(s(c.get(b("dmc:7")).value())).isEqualTo("changed");
        assertThat(c.get(b("dmc:8"))).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusters")
    void storeModes(Cluster cluster) {
        BlockingClient c = client(cluster);
        assertThat(c.store(StoreMode.REPLACE, b("op:m"), b("x"), 0, 0).status()).isEqualTo(StoreResult.Status.NOT_STORED);
        assertThat(c.store(StoreMode.ADD, b("op:m"), b("b"), 3, 0).stored()).isTrue();
        assertThat(c.store(StoreMode.ADD, b("op:m"), b("z"), 0, 0).status()).isEqualTo(StoreResult.Status.NOT_STORED);
        assertThat(c.store(StoreMode.APPEND, b("op:m"), b("c"), 0, 0).stored()).isTrue();
        assertThat(c.store(StoreMode.PREPEND, b("op:m"), b("a"), 0, 0).stored()).isTrue();
        GetResult r = c.get(b("op:m"));
        assertThat(s(r.value())).isEqualTo("abc");
        assertThat(r.flags()).isEqualTo(3);
        assertThat(c.store(StoreMode.REPLACE, b("op:m"), b("r"), 0, 0).stored()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusters")
    void compareAndSet(Cluster cluster) {
        BlockingClient c = client(cluster);
        long cas = c.set(b("op:c"), b("1"), 0, 0).cas();
        assertThat(c.cas(b("op:c"), b("2"), 0, 0, cas).stored()).isTrue();
        assertThat(c.cas(b("op:c"), b("3"), 0, 0, cas).status()).isEqualTo(StoreResult.Status.EXISTS);
        assertThat(c.cas(b("op:none"), b("3"), 0, 0, 99).status()).isEqualTo(StoreResult.Status.NOT_FOUND);
        long now = c.get(b("op:c")).cas();
        assertThat(c.deleteIfCas(b("op:c"), now + 1000)).isEqualTo(StoreResult.Status.EXISTS);
        assertThat(c.deleteIfCas(b("op:c"), now)).isEqualTo(StoreResult.Status.STORED);
        assertThat(c.deleteIfCas(b("op:c"), now)).isEqualTo(StoreResult.Status.NOT_FOUND);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusters")
    void counters(Cluster cluster) {
        BlockingClient c = client(cluster);
        assertThat(c.incr(b("op:n"), 1, -1, 0)).isNull();
        assertThat(c.incr(b("op:n"), 1, 10, 0)).isEqualTo(10);
        assertThat(c.incr(b("op:n"), 5, 10, 0)).isEqualTo(15);
        assertThat(c.decr(b("op:n"), 100, 0, 0)).isZero();
        c.set(b("op:max"), b("18446744073709551615"), 0, 0);
        assertThat(c.incr(b("op:max"), 2, -1, 0)).isEqualTo(1);
        c.set(b("op:word"), b("abc"), 0, 0);
        assertThatThrownBy(() -> c.incr(b("op:word"), 1, -1, 0)).hasMessageContaining("non-numeric");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusters")
    void touchAndExpiry(Cluster cluster) {
        BlockingClient c = client(cluster);
        c.set(b("op:t1"), b("x"), 0, 1);
        c.set(b("op:t2"), b("y"), 0, 1);
        assertThat(c.touch(b("op:t2"), 100)).isTrue();
        assertThat(c.touch(b("op:none"), 100)).isFalse();
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).until(() -> c.get(b("op:t1")) == null);
        assertThat(c.get(b("op:t2"))).isNotNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusters")
    void pipelinedBulkOf10000Keys(Cluster cluster) {
        BlockingClient c = client(cluster);
        Map<Key, byte[]> entries = new HashMap<>();
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            byte[] k = b("bulk:" + i);
            keys.add(k);
            entries.put(Key.of(k), b("value-" + i));
        }
        assertThat(c.setMany(entries, 7, 0)).isEmpty();
        List<byte[]> withMisses = new ArrayList<>(keys);
        withMisses.add(b("bulk:missing"));
        Map<Key, GetResult> got = c.getMany(withMisses);
        assertThat(got).hasSize(10_000);
        assertThat(s(got.get(Key.of("bulk:9999")).value())).isEqualTo("value-9999");
        assertThat(got.get(Key.of("bulk:5")).flags()).isEqualTo(7);
        // the keys really are spread over all three nodes
        RingClient ring = clients.get(cluster);
        assertThat(keys.stream().map(ring::ownerOf).distinct().count()).isEqualTo(3);
        assertThat(c.deleteMany(withMisses)).isEqualTo(10_000);
        assertThat(c.getMany(keys)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusters")
    void asyncRequestsFromManyThreads_allComplete(Cluster cluster) throws Exception {
        RingClient ring = clients.get(cluster);
        List<java.util.concurrent.CompletableFuture<StoreResult>> futures = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            futures.add(ring.set(b("async:" + i), b("v" + i), 0, 0));
        }
        java.util.concurrent.CompletableFuture.allOf(futures.toArray(new java.util.concurrent.CompletableFuture<?>[0])).get();
        assertThat(futures).allMatch(f -> f.join().stored());
        assertThat(s(ring.get(b("async:19999")).join().value())).isEqualTo("v19999");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusters")
    void flushAll_emptiesEveryNode(Cluster cluster) {
        BlockingClient c = client(cluster);
        for (int i = 0; i < 30; i++) {
            c.set(b("flush:" + i), b("x"), 0, 0);
        }
        c.flushAll();
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            keys.add(b("flush:" + i));
        }
        assertThat(c.getMany(keys)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusters")
    void keysWithPrefix_enumeratesEveryNode(Cluster cluster) {
        BlockingClient c = client(cluster);
        for (int i = 0; i < 200; i++) {
            c.set(b("enum/" + i), b("x"), 0, 0);
        }
        byte[] binary = {'e', 'n', 'u', 'm', '/', 0, ' ', (byte) 0xfe};
        c.set(binary, b("y"), 0, 0);
        c.set(b("other/1"), b("z"), 0, 0);
        List<byte[]> keys = c.keysWithPrefix(b("enum/"));
        assertThat(keys).hasSize(201);
        assertThat(keys.stream().map(Key::of)).contains(Key.of(binary), Key.of("enum/199")).doesNotContain(Key.of("other/1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clusters")
    void serverErrors_areTyped(Cluster cluster) {
        RingClient ring = clients.get(cluster);
        byte[] tooBig = new byte[2 * 1024 * 1024];
        assertThatThrownBy(() -> ring.set(b("op:big"), tooBig, 0, 0).join()).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(io.memring.client.ServerErrorException.class).hasMessageContaining("too large");
        // the connection is still usable afterwards
        assertThat(ring.set(b("op:after"), b("ok"), 0, 0).join().stored()).isTrue();
    }
}
