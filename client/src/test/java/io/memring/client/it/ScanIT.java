package io.memring.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memring.client.ClientConfig;
import io.memring.client.MemcacheClients;
import io.memring.client.NodeStatus;
import io.memring.client.NodeUnavailableException;
import io.memring.client.RequestTimeoutException;
import io.memring.client.ServerBusyException;
import io.memring.client.routing.RingClient;
import io.memring.testing.StockMemcached;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Key scans against scripted servers. Regression: a scan used to share the node's request connection
 * and its request deadline, so a long scan timed out, held up every request queued behind it, and its
 * timeouts counted towards marking the node down.
 */
class ScanIT {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static NodeStatus only(RingClient client) {
        return client.nodeStatus().get(0);
    }

    /** Streams {@code lines} keys, one every {@code everyMillis}, then END. */
    private static ScriptedServer.Scan slow(int lines, long everyMillis) {
        return (out, attempt) -> {
            for (int i = 0; i < lines; i++) {
                ScriptedServer.reply(out, "key=scan%3A" + i + " exp=-1 la=1 cas=" + (i + 1) + " fetch=no cls=1 size=70\r\n");
                Thread.sleep(everyMillis);
            }
            ScriptedServer.reply(out, "END\r\n");
        };
    }

    @Test
    void slowScan_outlivesTheRequestTimeout_withoutDelayingGets_orMarkingTheNodeDown() throws Exception {
        try (ScriptedServer server = new ScriptedServer(slow(30, 100))) {
            ClientConfig config = ClientConfig.builder().servers(List.of(server.address()))
                    .requestTimeout(Duration.ofSeconds(1)).scanIdleTimeout(Duration.ofSeconds(2)).failureThreshold(2).build();
            try (RingClient client = MemcacheClients.create(config)) {
                assertThat(client.get(b("warm")).get(5, TimeUnit.SECONDS)).isNull();
                CompletableFuture<List<byte[]>> scan = client.keysWithPrefix(b("scan:")); // about 3 s
                for (int i = 0; i < 20; i++) { // about 2 s of gets while the scan streams
                    assertThat(client.get(b("k" + i)).get(5, TimeUnit.SECONDS)).isNull();
                    Thread.sleep(100);
                }
                assertThat(scan.get(10, TimeUnit.SECONDS)).hasSize(30);
                assertThat(only(client).up()).isTrue();
                assertThat(only(client).failures()).isZero();
                assertThat(server.connections.get()).isEqualTo(2); // requests and scans apart
            }
        }
    }

    @Test
    void scanThatGoesQuiet_failsAfterItsIdleTimeout_withoutCountingAgainstTheNode() throws Exception {
        ScriptedServer.Scan silent = (out, attempt) -> {
            ScriptedServer.reply(out, "key=a exp=-1\r\nkey=b exp=-1\r\n");
            Thread.sleep(60_000); // until the test closes the server
        };
        try (ScriptedServer server = new ScriptedServer(silent)) {
            ClientConfig config = ClientConfig.builder().servers(List.of(server.address()))
                    .requestTimeout(Duration.ofMillis(300)).scanIdleTimeout(Duration.ofMillis(500)).failureThreshold(1).build();
            try (RingClient client = MemcacheClients.create(config)) {
                CompletableFuture<List<byte[]>> scan = client.keysWithPrefix(b(""));
                assertThatThrownBy(() -> scan.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RequestTimeoutException.class);
                assertThat(only(client).up()).isTrue();
                assertThat(only(client).failures()).isZero();
                assertThat(client.get(b("still")).get(5, TimeUnit.SECONDS)).isNull();
            }
        }
    }

    @Test
    void busyCrawler_isRetried_thenReportedAsServerBusy() throws Exception {
        ScriptedServer.Scan busyTwice = (out, attempt) -> ScriptedServer.reply(out,
                attempt <= 2 ? "BUSY currently processing crawler request\r\n" : "key=x exp=-1\r\nEND\r\n");
        try (ScriptedServer server = new ScriptedServer(busyTwice);
             RingClient client = MemcacheClients.create(ClientConfig.builder().servers(List.of(server.address())).build())) {
            assertThat(client.keysWithPrefix(b("")).get(10, TimeUnit.SECONDS)).hasSize(1);
        }
        ScriptedServer.Scan alwaysBusy = (out, attempt) -> ScriptedServer.reply(out, "BUSY currently processing crawler request\r\n");
        try (ScriptedServer server = new ScriptedServer(alwaysBusy);
             RingClient client = MemcacheClients.create(ClientConfig.builder().servers(List.of(server.address())).build())) {
            assertThatThrownBy(() -> client.keysWithPrefix(b("")).get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ServerBusyException.class);
        }
    }

    @Test
    void scanWithANodeDown_failsRatherThanListingPart() throws Exception {
        try (StockMemcached live = StockMemcached.start("-t", "1")) {
            InetSocketAddress dead = new InetSocketAddress("127.0.0.1", StockMemcached.freePort());
            ClientConfig config = ClientConfig.builder().servers(List.of(new InetSocketAddress("127.0.0.1", live.port), dead))
                    .failureThreshold(1).reconnect(Duration.ofMillis(20), Duration.ofMillis(200)).build();
            try (RingClient client = MemcacheClients.create(config)) {
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> client.nodeStatus().stream().anyMatch(s -> !s.up()));
                assertThatThrownBy(() -> client.keysWithPrefix(b("")).get(5, TimeUnit.SECONDS))
                        .hasCauseInstanceOf(NodeUnavailableException.class).hasMessageContaining(dead.getPort() + "");
            }
        }
    }
}
