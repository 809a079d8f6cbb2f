package io.memring.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.client.ClientConfig;
import io.memring.client.FailoverPolicy;
import io.memring.client.GetResult;
import io.memring.client.MemcacheClients;
import io.memring.client.NodeStatus;
import io.memring.client.routing.RingClient;
import io.memring.integration.Cluster;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Regression: a paused node (SIGSTOP) was marked down on timeouts, and the first late reply after
 * SIGCONT marked it up again at once, so with FAILOVER reads flapped between the failover node and the
 * old owner. Real processes (Memring nodes and stock memcached), real timeouts; the quarantine runs on
 * a fake clock.
 */
class HealthFlappingIT {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String value(RingClient client, byte[] key) throws Exception {
        GetResult r = client.get(key).get(5, TimeUnit.SECONDS);
        return r == null ? null : new String(r.value(), StandardCharsets.UTF_8);
    }

    private static NodeStatus status(RingClient client, InetSocketAddress node) {
        return client.nodeStatus().stream().filter(s -> s.address().equals(node)).findFirst().orElseThrow();
    }

    private static byte[] keyOwnedBy(RingClient client, InetSocketAddress node) {
        for (int i = 0; i < 100_000; i++) {
            byte[] k = b("flap:" + i);
            if (client.ownerOf(k).equals(node)) {
                return k;
            }
        }
        throw new AssertionError("no key for " + node);
    }

    static List<String> kinds() {
        return List.of("memring node processes", "stock memcached");
    }

    /** A fresh node JVM can take longer than the short test timeout for its first requests. */
    private static void warmUp(Cluster cluster) throws Exception {
        try (RingClient patient = MemcacheClients.create(ClientConfig.builder().servers(cluster.servers())
                .requestTimeout(Duration.ofSeconds(10)).build())) {
            for (int i = 0; i < 200; i++) {
                patient.set(b("warm:" + i), b("x"), 0, 0).get(10, TimeUnit.SECONDS);
                patient.get(b("warm:" + i)).get(10, TimeUnit.SECONDS);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void pausedNode_staysDownAfterSigcont_untilAProbeAnswersAfterTheQuarantine(String kind) throws Exception {
        Cluster cluster = kind.startsWith("memring") ? Cluster.memringProcesses(2) : Cluster.memcached(2);
        AtomicLong fakeNanos = new AtomicLong(1_000_000_000L);
        try {
            warmUp(cluster);
            ClientConfig config = ClientConfig.builder().servers(cluster.servers()).failover(FailoverPolicy.FAILOVER)
                    .requestTimeout(Duration.ofMillis(500)).failureThreshold(2)
                    .reconnect(Duration.ofMillis(50), Duration.ofMillis(200))
                    .quarantine(Duration.ofSeconds(30)).ticker(fakeNanos::get).build();
            try (RingClient client = MemcacheClients.create(config)) {
                InetSocketAddress victim = cluster.address(0);
                byte[] key = keyOwnedBy(client, victim);
                assertThat(client.set(key, b("old"), 0, 0).get(5, TimeUnit.SECONDS).stored()).isTrue();

                cluster.pause(0);
                List<CompletableFuture<GetResult>> unanswered = new ArrayList<>();
                Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    unanswered.add(client.get(key)); // times out: each is a failure, and a late reply after SIGCONT
                    return !status(client, victim).up();
                });
                assertThat(client.set(key, b("new"), 0, 0).get(5, TimeUnit.SECONDS).stored()).isTrue(); // failed over
                assertThat(value(client, key)).isEqualTo("new");

                cluster.resume(0);
                // The node answers what queued up and the periodic probes; none of it may revive it early.
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> status(client, victim).probesAnswered() >= 2);
                assertThat(status(client, victim).up()).isFalse();
                assertThat(status(client, victim).upEvents()).isZero();
                assertThat(value(client, key)).as("reads stay on the failover node").isEqualTo("new");

                fakeNanos.addAndGet(Duration.ofSeconds(30).toNanos());
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> status(client, victim).up());
                assertThat(status(client, victim).downEvents()).isEqualTo(1);
                assertThat(status(client, victim).upEvents()).isEqualTo(1);
                // What FAILOVER gives up (README): the owner is back with the value it had before the outage.
                assertThat(value(client, key)).isEqualTo("old");
                assertThat(unanswered).isNotEmpty();
            }
        } finally {
            cluster.stop();
        }
    }
}
