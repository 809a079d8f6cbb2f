package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Failures a new user meets say what happened and which setting or flag changes it. */
class FirstContactErrorsIT {
    private final List<MemringCachingProvider> providers = new ArrayList<>();

    @AfterEach
    void close() {
        providers.forEach(MemringCachingProvider::close);
    }

    private CacheManager manager(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        MemringCachingProvider provider = new MemringCachingProvider();
        providers.add(provider);
        return provider.getCacheManager(provider.getDefaultURI(), getClass().getClassLoader(), p);
    }

    /**
     * A frozen node (it accepts connections and never answers): each request fails naming the request
     * timeout and its setting, also the one still waiting when the connection is closed as unresponsive
     * (before, that one failed as "connection ... closed"), and those that find the node already marked
     * down by its timeouts (the readiness probe on connect times out too).
     */
    @Test
    void frozenNode_requestsFailAsTheRequestTimeout_namingTheSetting() throws Exception {
        try (ServerSocket frozen = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                while (!frozen.isClosed() && accepted.size() < 10) {
                    try {
                        accepted.add(frozen.accept()); // held open, never read
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            }, "frozen-node");
            acceptor.setDaemon(true);
            acceptor.start();
            try {
                CacheManager m = manager("memring.servers", "127.0.0.1:" + frozen.getLocalPort(),
                        "memring.requestTimeoutMillis", "300", "memring.failover", "FAIL_FAST");
                Cache<String, String> cache = m.createCache("frozen", new MutableConfiguration<String, String>());
                for (int i = 0; i < 2; i++) {
                    String key = "k" + i;
                    assertThatThrownBy(() -> cache.get(key))
                            .isInstanceOf(CacheException.class)
                            .hasMessageContaining("request timeout")
                            .hasMessageContaining("memring.requestTimeoutMillis");
                }
            } finally {
                frozen.close();
                acceptor.join(5000);
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }

    @Test
    void valueAboveTheItemSizeLimit_saysTheLimitAndWhereToChangeIt() {
        byte[] twoMb = new byte[2 * 1024 * 1024];
        Cache<String, byte[]> cache = manager().createCache("big", new MutableConfiguration<String, byte[]>());
        assertThatThrownBy(() -> cache.put("big", twoMb))
                .isInstanceOf(CacheException.class)
                .hasMessageContaining("object too large for cache")
                .hasMessageContaining("item size limit")
                .hasMessageContaining("-I/--max-item-size")
                .hasMessageContaining("memring.embedded.maxItemSizeKb");

        Cache<String, byte[]> roomy = manager("memring.embedded.maxItemSizeKb", "4096")
                .createCache("big", new MutableConfiguration<String, byte[]>());
        roomy.put("big", twoMb);
        assertThat(roomy.get("big")).hasSize(twoMb.length);
    }
}
