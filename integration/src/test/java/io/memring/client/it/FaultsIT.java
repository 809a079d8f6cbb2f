package io.memring.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.client.ClientConfig;
import io.memring.client.ConnectionClosedException;
import io.memring.client.FailoverPolicy;
import io.memring.client.MemcacheClients;
import io.memring.client.NodeStatus;
import io.memring.client.NodeUnavailableException;
import io.memring.client.OverloadException;
import io.memring.client.ProtocolException;
import io.memring.client.StoreResult;
import io.memring.client.routing.RingClient;
import io.memring.integration.Cluster;
import io.memring.testing.NodeProcess;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The client facing dead, stalled and lying servers. */
class FaultsIT {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Throwable causeOf(CompletableFuture<?> f) {
        try {
            f.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    /** Finds a key owned by {@code node}. */
    private static byte[] keyOwnedBy(RingClient client, InetSocketAddress node, String prefix) {
        for (int i = 0; i < 100_000; i++) {
            byte[] k = b(prefix + i);
            if (client.ownerOf(k).equals(node)) {
                return k;
            }
        }
        throw new AssertionError("no key for " + node);
    }

    private static NodeStatus status(RingClient client, InetSocketAddress node) {
        return client.nodeStatus().stream().filter(s -> s.address().equals(node)).findFirst().orElseThrow();
    }

    @Test
    void nodeKilledMidLoad_failsItsRequestsFast_othersSucceed_thenComesBack() throws Exception {
        List<NodeProcess> nodes = new ArrayList<>();
        try {
            List<InetSocketAddress> servers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                NodeProcess n = NodeProcess.start(List.of("-Xmx128m"), "-t", "1");
                nodes.add(n);
                servers.add(new InetSocketAddress("127.0.0.1", n.port));
            }
            ClientConfig config = ClientConfig.builder().servers(servers).requestTimeout(Duration.ofSeconds(5)).quarantine(Duration.ofMillis(200))
                    .failover(FailoverPolicy.FAIL_FAST).reconnect(Duration.ofMillis(50), Duration.ofMillis(300)).build();
            try (RingClient client = MemcacheClients.create(config)) {
                InetSocketAddress victim = servers.get(1);
                byte[] victimKey = keyOwnedBy(client, victim, "victim:");
                byte[] otherKey = keyOwnedBy(client, servers.get(0), "other:");
                assertThat(client.set(victimKey, b("v"), 0, 0).get(5, TimeUnit.SECONDS).stored()).isTrue();

                // Load in flight on every node, then SIGKILL one of them.
                List<CompletableFuture<StoreResult>> load = new ArrayList<>();
                byte[] big = new byte[1_000];
                for (int i = 0; i < 3000; i++) {
                    load.add(client.set(b("load:" + i), big, 0, 0));
                }
                long killedAt = System.nanoTime();
                nodes.get(1).kill();
                for (CompletableFuture<StoreResult> f : load) {
                    Throwable cause = causeOf(f);
                    if (cause != null) {
                        assertThat(cause).isInstanceOfAny(ConnectionClosedException.class, NodeUnavailableException.class);
                    }
                }
                long settledMillis = (System.nanoTime() - killedAt) / 1_000_000;
                assertThat(settledMillis).as("pending requests failed fast, not at the 5 s timeout").isLessThan(3000);

                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !status(client, victim).up());
                assertThat(status(client, victim).downEvents()).isEqualTo(1);
                Throwable fast = causeOf(client.get(victimKey));
                assertThat(fast).isInstanceOf(NodeUnavailableException.class);
                assertThat(client.set(otherKey, b("still fine"), 0, 0).get(5, TimeUnit.SECONDS).stored()).isTrue();

                // Bring it back on the same port: probed, marked up, and its keys route home again.
                nodes.set(1, NodeProcess.start(victim.getPort(), List.of("-Xmx128m"), "-t", "1"));
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> status(client, victim).up());
                assertThat(status(client, victim).upEvents()).isEqualTo(1);
                assertThat(client.set(victimKey, b("back"), 0, 0).get(5, TimeUnit.SECONDS).stored()).isTrue();
                assertThat(new String(client.get(victimKey).get(5, TimeUnit.SECONDS).value(), StandardCharsets.UTF_8)).isEqualTo("back");
            }
        } finally {
            nodes.forEach(NodeProcess::close);
        }
    }

    @Test
    void failoverPolicy_sendsADownNodesKeysToTheNextNode() throws Exception {
        Cluster cluster = Cluster.memring(3);
        try {
            // A fourth "node" that refuses connections: it goes down at once.
            InetSocketAddress dead = new InetSocketAddress("127.0.0.1", io.memring.testing.StockMemcached.freePort());
            List<InetSocketAddress> servers = new ArrayList<>(cluster.servers());
            servers.add(dead);
            ClientConfig config = ClientConfig.builder().servers(servers).failover(FailoverPolicy.FAILOVER)
                    .reconnect(Duration.ofMillis(20), Duration.ofMillis(200)).build();
            try (RingClient client = MemcacheClients.create(config)) {
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !status(client, dead).up());
                byte[] k = keyOwnedBy(client, dead, "fo:");
                assertThat(client.set(k, b("moved"), 0, 0).get(5, TimeUnit.SECONDS).stored()).isTrue();
                assertThat(new String(client.get(k).get(5, TimeUnit.SECONDS).value(), StandardCharsets.UTF_8)).isEqualTo("moved");
            }
        } finally {
            cluster.stop();
        }
    }

    @Test
    void serverThatStopsReading_hitsTheInFlightBound_withOverloadNotMemory() throws Exception {
        try (ServerSocket stalled = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    accepted.add(stalled.accept()); // accept, then never read
                } catch (Exception ignored) {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            ClientConfig config = ClientConfig.builder().servers(List.of(new InetSocketAddress("127.0.0.1", stalled.getLocalPort())))
                    .maxInFlightPerConnection(2000).requestTimeout(Duration.ofSeconds(30)).build();
            try (RingClient client = MemcacheClients.create(config)) {
                byte[] value = new byte[100_000];
                int overloaded = 0;
                int accepted0 = 0;
                for (int i = 0; i < 50_000 && overloaded == 0; i++) {
                    CompletableFuture<StoreResult> f = client.set(b("s" + i), value, 0, 0);
                    if (f.isCompletedExceptionally()) {
                        Throwable cause = causeOf(f);
                        assertThat(cause).isInstanceOf(OverloadException.class);
                        overloaded++;
                    } else {
                        accepted0++;
                    }
                    if (i % 100 == 0) {
                        Thread.sleep(1); // let the event loop write into the socket until it backs up
                    }
                }
                assertThat(overloaded).isEqualTo(1);
                assertThat(accepted0).isLessThanOrEqualTo(2000);
                assertThat(status(client, client.nodeStatus().get(0).address()).inFlight()).isLessThanOrEqualTo(2000);
            } finally {
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }

    @Test
    void serverThatSendsGarbage_closesTheConnectionWithAProtocolError() throws Exception {
        try (ServerSocket liar = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                for (int n = 0; n < 20; n++) {
                    try (Socket s = liar.accept()) {
                        InputStream in = s.getInputStream();
                        OutputStream out = s.getOutputStream();
                        in.read(new byte[1024]);
                        out.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        Thread.sleep(200);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            server.setDaemon(true);
            server.start();
            ClientConfig config = ClientConfig.builder().servers(List.of(new InetSocketAddress("127.0.0.1", liar.getLocalPort())))
                    .failureThreshold(100).build();
            try (RingClient client = MemcacheClients.create(config)) {
                Throwable cause = causeOf(client.get(b("anything")));
                assertThat(cause).isInstanceOf(ProtocolException.class).hasMessageContaining("unexpected reply");
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> status(client, client.nodeStatus().get(0).address()).failures() > 0);
            }
        }
    }
}
