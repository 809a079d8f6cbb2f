package io.memring.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.server.MemringServer;
import io.memring.server.ServerConfig;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.spy.memcached.CASResponse;
import net.spy.memcached.CASValue;
import net.spy.memcached.ConnectionFactoryBuilder;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** spymemcached 2.12.3, a client we did not write, in its default text-protocol configuration. */
class SpymemcachedIT {
    private static MemringServer node;
    private static MemcachedClient client;

    @BeforeAll
    static void start() throws Exception {
        node = MemringServer.start(ServerConfig.defaults().withPort(0));
        client = new MemcachedClient(new ConnectionFactoryBuilder()
                .setProtocol(ConnectionFactoryBuilder.Protocol.TEXT)
                .setOpTimeout(5000)
                .build(), List.of(new InetSocketAddress("127.0.0.1", node.port())));
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.shutdown(5, TimeUnit.SECONDS);
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void setGetDelete() throws Exception {
        assertThat(client.set("spy:a", 0, "hello").get()).isTrue();
        assertThat(client.get("spy:a")).isEqualTo("hello");
        assertThat(client.delete("spy:a").get()).isTrue();
        assertThat(client.get("spy:a")).isNull();
        assertThat(client.delete("spy:a").get()).isFalse();
    }

    @Test
    void serializedObjectsAndLargeValues() throws Exception {
        ArrayList<Integer> list = new ArrayList<>(List.of(1, 2, 3));
        assertThat(client.set("spy:list", 0, list).get()).isTrue();
        assertThat(client.get("spy:list")).isEqualTo(list);
        byte[] big = new byte[500_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        assertThat(client.set("spy:big", 0, big).get()).isTrue();
        assertThat((byte[]) client.get("spy:big")).isEqualTo(big);
    }

    @Test
    void addReplaceAppendPrepend() throws Exception {
        assertThat(client.add("spy:x", 0, "1").get()).isTrue();
        assertThat(client.add("spy:x", 0, "2").get()).isFalse();
        assertThat(client.replace("spy:x", 0, "3").get()).isTrue();
        assertThat(client.replace("spy:none", 0, "3").get()).isFalse();
        assertThat(client.append(0, "spy:x", "4").get()).isTrue();
        assertThat(client.prepend(0, "spy:x", "2").get()).isTrue();
        assertThat(client.get("spy:x")).isEqualTo("234");
    }

    @Test
    void casRoundTrip() throws Exception {
        client.set("spy:cas", 0, "v1").get();
        CASValue<Object> v = client.gets("spy:cas");
        assertThat(v.getValue()).isEqualTo("v1");
        assertThat(client.cas("spy:cas", v.getCas(), "v2")).isEqualTo(CASResponse.OK);
        assertThat(client.cas("spy:cas", v.getCas(), "v3")).isEqualTo(CASResponse.EXISTS);
        assertThat(client.cas("spy:missing", 1, "v3")).isEqualTo(CASResponse.NOT_FOUND);
        assertThat(client.get("spy:cas")).isEqualTo("v2");
    }

    @Test
    void incrDecrWithDefaults() throws Exception {
        assertThat(client.incr("spy:n", 5, 10)).isEqualTo(10);
        assertThat(client.incr("spy:n", 5)).isEqualTo(15);
        assertThat(client.decr("spy:n", 20)).isEqualTo(0);
        assertThat(client.incr("spy:nope", 1)).isEqualTo(-1);
    }

    @Test
    void touchAndExpiry() throws Exception {
        // 3 s, not 1: memcached's clock ticks in whole seconds, so a 1 s item can die before a touch
        // sent right after it on a loaded machine
        client.set("spy:t", 3, "short").get();
        assertThat(client.touch("spy:t", 100).get()).isTrue();
        client.set("spy:gone", 3, "x").get();
        org.awaitility.Awaitility.await().atMost(10, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS)
                .until(() -> client.get("spy:gone") == null);
        assertThat(client.get("spy:t")).isEqualTo("short");
    }

    @Test
    void bulkGetOf10000Keys() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String k = "spy:bulk:" + i;
            keys.add(k);
            client.set(k, 0, "v" + i);
        }
        client.set("spy:bulk:last", 0, "x").get();
        Map<String, Object> got = client.getBulk(keys);
        assertThat(got).hasSize(10_000).containsEntry("spy:bulk:9999", "v9999");
    }

    @Test
    void flushAndStats() throws Exception {
        client.set("spy:f", 0, "x").get();
        Map<java.net.SocketAddress, Map<String, String>> stats = client.getStats();
        Map<String, String> s = stats.values().iterator().next();
        assertThat(s).containsKeys("curr_items", "cmd_get", "get_hits", "limit_maxbytes", "pid", "uptime");
        assertThat(client.getVersions().values()).allMatch(v -> v.startsWith("1.6."));
    }
}
