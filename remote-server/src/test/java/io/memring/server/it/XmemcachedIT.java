package io.memring.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.server.MemringServer;
import io.memring.server.ServerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.rubyeye.xmemcached.GetsResponse;
import net.rubyeye.xmemcached.MemcachedClient;
import net.rubyeye.xmemcached.XMemcachedClientBuilder;
import net.rubyeye.xmemcached.utils.AddrUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** xmemcached 2.4.8, another client we did not write, in its default text-protocol configuration. */
class XmemcachedIT {
    private static MemringServer node;
    private static MemcachedClient client;

    @BeforeAll
    static void start() throws Exception {
        node = MemringServer.start(ServerConfig.defaults().withPort(0));
        XMemcachedClientBuilder builder = new XMemcachedClientBuilder(AddrUtil.getAddresses("127.0.0.1:" + node.port()));
        builder.setConnectTimeout(5000);
        builder.setOpTimeout(5000);
        client = builder.build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.shutdown();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void setGetDeleteWithNoreplyVariants() throws Exception {
        assertThat(client.set("xm:a", 0, "hello")).isTrue();
        assertThat((String) client.get("xm:a")).isEqualTo("hello");
        client.setWithNoReply("xm:b", 0, "quiet");
        assertThat((String) client.get("xm:b")).isEqualTo("quiet");
        client.deleteWithNoReply("xm:b");
        assertThat((Object) client.get("xm:b")).isNull();
        assertThat(client.delete("xm:a")).isTrue();
        assertThat(client.delete("xm:a")).isFalse();
    }

    @Test
    void casLoopAndGets() throws Exception {
        client.set("xm:c", 0, 1);
        GetsResponse<Integer> r = client.gets("xm:c");
        assertThat(client.cas("xm:c", 0, 2, r.getCas())).isTrue();
        assertThat(client.cas("xm:c", 0, 3, r.getCas())).isFalse();
        assertThat((Integer) client.get("xm:c")).isEqualTo(2);
    }

    @Test
    void appendPrependAddReplace() throws Exception {
        assertThat(client.add("xm:s", 0, "b")).isTrue();
        assertThat(client.add("xm:s", 0, "z")).isFalse();
        assertThat(client.append("xm:s", "c")).isTrue();
        assertThat(client.prepend("xm:s", "a")).isTrue();
        assertThat((String) client.get("xm:s")).isEqualTo("abc");
        assertThat(client.replace("xm:nope", 0, "x")).isFalse();
    }

    @Test
    void counters() throws Exception {
        assertThat(client.incr("xm:n", 1, 100)).isEqualTo(100);
        assertThat(client.incr("xm:n", 5)).isEqualTo(105);
        assertThat(client.decr("xm:n", 200)).isEqualTo(0);
    }

    @Test
    void touch() throws Exception {
        client.set("xm:t", 1, "v");
        assertThat(client.touch("xm:t", 100)).isTrue();
        assertThat(client.touch("xm:none", 100)).isFalse();
    }

    @Test
    void multiGet() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            client.setWithNoReply("xm:m" + i, 0, "v" + i);
            keys.add("xm:m" + i);
        }
        keys.add("xm:missing");
        Map<String, String> got = client.get(keys);
        assertThat(got).hasSize(2000).containsEntry("xm:m1999", "v1999");
    }

    @Test
    void statsAndFlush() throws Exception {
        client.set("xm:f", 0, "x");
        Map<?, Map<String, String>> stats = client.getStats();
        assertThat(stats.values().iterator().next()).containsKeys("curr_items", "bytes", "evictions");
        client.flushAll();
        assertThat((Object) client.get("xm:f")).isNull();
    }
}
