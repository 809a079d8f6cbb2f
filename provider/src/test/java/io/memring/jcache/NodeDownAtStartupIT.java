package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node that is down (or whose host is unknown) when the CacheManager starts: with FAILOVER the very
 * first requests go to the live node, every run (before, they failed on the connection still being
 * tried, "is not connected (reconnecting)", in 2 runs of 3); with FAIL_FAST they fail naming the cause.
 */
class NodeDownAtStartupIT {
    private static final int KEYS = 40; // about half of them owned by the node that is down
    private static final int RUNS = 3;

    private Cluster cluster;
    private final List<MemringCachingProvider> providers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        cluster = Cluster.memring(1);
    }

    @AfterEach
    void stop() {
        providers.forEach(MemringCachingProvider::close);
        cluster.stop();
    }

    /** A loopback port nothing listens on (bound, then released). */
    private static String closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + s.getLocalPort();
        }
    }

    private CacheManager manager(String servers, String failover) {
        Properties p = new Properties();
        p.setProperty("memring.servers", servers);
        p.setProperty("memring.failover", failover);
        MemringCachingProvider provider = new MemringCachingProvider();
        providers.add(provider);
        return provider.getCacheManager(provider.getDefaultURI(), getClass().getClassLoader(), p);
    }

    @Test
    void failover_firstPutsAndGets_succeed_everyRun() throws Exception {
        String live = cluster.nodes.serverSpec();
        for (int run = 0; run < RUNS; run++) {
            CacheManager m = manager(closedPort() + "," + live, "FAILOVER");
            Cache<String, Integer> cache = m.createCache("startup-" + run, new MutableConfiguration<String, Integer>());
            for (int i = 0; i < KEYS; i++) {
                cache.put("key-" + i, i);
            }
            for (int i = 0; i < KEYS; i++) {
                assertThat(cache.get("key-" + i)).as("run %d key-%d", run, i).isEqualTo(i);
            }
        }
    }

    @Test
    void failover_withAnUnknownHost_firstPutsAndGets_succeed() {
        CacheManager m = manager("no-such-host.invalid:11211," + cluster.nodes.serverSpec(), "FAILOVER");
        Cache<String, Integer> cache = m.createCache("unknown-host", new MutableConfiguration<String, Integer>());
        for (int i = 0; i < KEYS; i++) {
            cache.put("key-" + i, i);
            assertThat(cache.get("key-" + i)).isEqualTo(i);
        }
    }

    @Test
    void failFast_theFailureNamesTheCause() throws Exception {
        assertFailureNames(manager(closedPort() + "," + cluster.nodes.serverSpec(), "FAIL_FAST"), "Connection refused");
        assertFailureNames(manager("no-such-host.invalid:11211," + cluster.nodes.serverSpec(), "FAIL_FAST"),
                "unknown host no-such-host.invalid");
    }

    private static void assertFailureNames(CacheManager m, String cause) {
        Cache<String, Integer> cache = m.createCache("fail-fast", new MutableConfiguration<String, Integer>());
        int failed = 0;
        for (int i = 0; i < KEYS; i++) {
            try {
                cache.put("key-" + i, i);
            } catch (CacheException e) {
                failed++;
                assertThat(e).hasMessageContaining(cause);
            }
        }
        assertThat(failed).as("keys owned by the node that is down").isPositive();
    }
}
