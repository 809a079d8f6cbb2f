package io.memring.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.memring.server.MemringServer;
import io.memring.server.ServerConfig;
import io.memring.testing.RawClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Three in-process nodes on real sockets: who takes a write, who says "not owner", and failover. */
class OwnershipSocketTest {
    private final List<MemringServer> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(MemringServer::close);
    }

    private static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                held.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return ports;
    }

    private Membership startCluster(int[] ports) throws Exception {
        StringBuilder peers = new StringBuilder();
        for (int p : ports) {
            peers.append(peers.length() == 0 ? "" : ",").append("127.0.0.1:").append(p);
        }
        Membership first = null;
        for (int p : ports) {
            Membership m = Membership.of(peers.toString(), 2, "127.0.0.1", p);
            first = first == null ? m : first;
            nodes.add(MemringServer.start(ServerConfig.defaults().withPort(p).withMembership(m)));
        }
        return first;
    }

    private static String stat(int port, String name) throws IOException {
        try (RawClient c = new RawClient(port)) {
            String reply = c.roundTrip("stats repl_state\r\n", "END\r\n");
            for (String line : reply.split("\r\n")) {
                if (line.startsWith("STAT " + name + " ")) {
                    return line.substring(("STAT " + name + " ").length());
                }
            }
            return null;
        }
    }

    private static String roundTrip(int port, String request, String suffix) throws IOException {
        try (RawClient c = new RawClient(port)) {
            return c.roundTrip(request, suffix);
        }
    }

    @Test
    void writes_goToThePrimary_othersNameIt_untilItIsGone() throws Exception {
        int[] ports = freePorts(3);
        Membership m = startCluster(ports);
        for (int p : ports) {
            await().atMost(Duration.ofSeconds(10)).until(() -> "ready".equals(stat(p, "repl_state")));
        }
        assertThat(stat(ports[1], "ring_fingerprint")).isEqualTo(m.ringFingerprint());
        String key = null;
        List<PeerAddress> owners = null;
        for (int i = 0; key == null; i++) {
            owners = m.owners(("k" + i).getBytes(StandardCharsets.UTF_8));
            if (owners.get(0).address().getPort() == ports[0]) {
                key = "k" + i;
            }
        }
        int primary = owners.get(0).address().getPort();
        int second = owners.get(1).address().getPort();
        String notOwner = "SERVER_ERROR not owner 127.0.0.1:" + primary + "\r\n";
        assertThat(roundTrip(second, "set " + key + " 0 0 1\r\na\r\n", "\r\n")).isEqualTo(notOwner);
        assertThat(roundTrip(second, "set " + key + " 0 0 1 noreply\r\na\r\nmn\r\n", "MN\r\n"))
                .as("sent even with noreply; the data block is swallowed").isEqualTo(notOwner + "MN\r\n");
        assertThat(roundTrip(second, "ms " + key + " 1 T0\r\na\r\n", "\r\n")).isEqualTo(notOwner);
        assertThat(roundTrip(second, "md " + key + " q\r\nmn\r\n", "MN\r\n")).isEqualTo(notOwner + "MN\r\n");
        assertThat(roundTrip(second, "ma " + key + "\r\n", "\r\n")).isEqualTo(notOwner);
        assertThat(roundTrip(second, "mg " + key + " T30 v\r\n", "\r\n")).isEqualTo(notOwner);
        assertThat(roundTrip(second, "incr " + key + " 1\r\n", "\r\n")).isEqualTo(notOwner);
        assertThat(roundTrip(second, "touch " + key + " 1\r\n", "\r\n")).isEqualTo(notOwner);
        assertThat(roundTrip(second, "delete " + key + "\r\n", "\r\n")).isEqualTo(notOwner);
        assertThat(roundTrip(second, "mg " + key + " v\r\n", "\r\n")).as("reads are served").isEqualTo("EN\r\n");
        assertThat(roundTrip(primary, "set " + key + " 0 0 1\r\na\r\n", "\r\n")).isEqualTo("STORED\r\n");

        nodes.get(0).close(); // the primary goes away: the second owner takes the key's writes
        String k = key;
        await().atMost(Duration.ofSeconds(5)).until(() -> roundTrip(second, "set " + k + " 0 0 1\r\nb\r\n", "\r\n")
                .equals("STORED\r\n"));
        assertThat(stat(second, "repl_not_owner")).isNotEqualTo("0");
    }

    /**
     * A node catching up refuses clients' reads but serves a peer's catch-up pull once it has said
     * {@code mr_pull} with this cluster's fingerprint (two nodes catching up together must get each
     * other's copies); a wrong fingerprint is refused and changes nothing.
     */
    @Test
    void catchingUpNode_servesAPullThatNamesTheCluster_refusesClients() throws Exception {
        int[] ports = freePorts(3);
        // the two peers accept connections (the kernel's backlog) and never answer: this node's pull waits
        try (ServerSocket silent1 = new ServerSocket(ports[1], 8, java.net.InetAddress.getLoopbackAddress());
             ServerSocket silent2 = new ServerSocket(ports[2], 8, java.net.InetAddress.getLoopbackAddress())) {
            StringBuilder peers = new StringBuilder();
            for (int p : ports) {
                peers.append(peers.length() == 0 ? "" : ",").append("127.0.0.1:").append(p);
            }
            Membership m = Membership.of(peers.toString(), 2, "127.0.0.1", ports[0]);
            nodes.add(MemringServer.start(ServerConfig.defaults().withPort(ports[0]).withMembership(m)));
            assertThat(stat(ports[0], "repl_state")).isEqualTo("catching_up");
            String key = null;
            for (int i = 0; key == null; i++) {
                if (m.isOwner(("p" + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
                    key = "p" + i;
                }
            }
            try (RawClient c = new RawClient(ports[0])) {
                assertThat(c.roundTrip("mg " + key + " v\r\n", "\r\n")).isEqualTo("SERVER_ERROR catching up\r\n");
            }
            try (RawClient c = new RawClient(ports[0])) {
                assertThat(c.roundTrip("mr_pull 0123456789abcdef\r\n", "\r\n")).isEqualTo("SERVER_ERROR peer handshake refused\r\n");
                assertThat(c.roundTrip("mr_pull\r\n", "\r\n")).isEqualTo("SERVER_ERROR peer handshake refused\r\n");
                assertThat(c.roundTrip("mg " + key + " v\r\n", "\r\n")).as("still a client").isEqualTo("SERVER_ERROR catching up\r\n");
                assertThat(c.roundTrip("mr_pull " + m.fingerprint() + "\r\n", "\r\n")).isEqualTo("OK\r\n");
                assertThat(c.roundTrip("mg " + key + " v\r\n", "\r\n")).as("a pull is served").isEqualTo("EN\r\n");
                assertThat(c.roundTrip("ms " + key + " 1\r\nx\r\n", "\r\n")).as("but writes nothing")
                        .isEqualTo("SERVER_ERROR catching up\r\n");
            }
            assertThat(stat(ports[0], "repl_state")).as("still pulling from the silent peers").isEqualTo("catching_up");
        }
    }
}
