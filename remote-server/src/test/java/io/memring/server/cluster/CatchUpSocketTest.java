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

/** A node restarted empty catches up from its peers before it serves, then serves the latest values. */
class CatchUpSocketTest {
    private final MemringServer[] nodes = new MemringServer[3];

    @AfterEach
    void stop() {
        for (MemringServer n : nodes) {
            if (n != null) {
                n.close();
            }
        }
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

    private static String stat(int port, String name) throws IOException {
        try (RawClient c = new RawClient(port)) {
            for (String line : c.roundTrip("stats repl_state\r\n", "END\r\n").split("\r\n")) {
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
    void restartedEmpty_catchesUp_thenServesWhatItOwns() throws Exception {
        int[] ports = freePorts(3);
        String peers = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
        ServerConfig[] configs = new ServerConfig[3];
        for (int i = 0; i < 3; i++) {
            configs[i] = ServerConfig.defaults().withPort(ports[i]).withMembership(Membership.of(peers, 2, "127.0.0.1", ports[i]));
            nodes[i] = MemringServer.start(configs[i]);
        }
        for (int p : ports) {
            await().atMost(Duration.ofSeconds(10)).until(() -> "ready".equals(stat(p, "repl_state")));
        }
        assertThat(stat(ports[2], "repl_state_note")).as("a brand-new cluster").containsAnyOf("no_peer_holds_data", "no_peer_reachable");

        Membership m = configs[0].membership();
        List<String> ownedByFirst = new ArrayList<>();
        for (int i = 0; ownedByFirst.size() < 50 && i < 10_000; i++) {
            String key = "k" + i;
            List<PeerAddress> owners = m.owners(key.getBytes(StandardCharsets.UTF_8));
            if (owners.contains(m.self())) {
                int primary = owners.get(0).address().getPort();
                assertThat(roundTrip(primary, "set " + key + " 5 0 2\r\nv1\r\n", "\r\n")).isEqualTo("STORED\r\n");
                ownedByFirst.add(key);
            }
        }
        // every owned key has reached its second owner before the first node goes away
        for (String key : ownedByFirst) {
            List<PeerAddress> owners = m.owners(key.getBytes(StandardCharsets.UTF_8));
            int other = (owners.get(0) == m.self() ? owners.get(1) : owners.get(0)).address().getPort();
            await().atMost(Duration.ofSeconds(5)).until(() -> roundTrip(other, "mg " + key + " v\r\n", "\r\n").startsWith("VA"));
        }
        nodes[0].close();
        // while it is down its keys are written on their other owner
        String moved = ownedByFirst.get(0);
        int other = otherOwner(m, moved);
        await().atMost(Duration.ofSeconds(5)).until(() -> roundTrip(other, "set " + moved + " 5 0 2\r\nv2\r\n", "\r\n")
                .equals("STORED\r\n"));

        nodes[0] = MemringServer.start(configs[0]);
        await().atMost(Duration.ofSeconds(10)).until(() -> "ready".equals(stat(ports[0], "repl_state")));
        assertThat(stat(ports[0], "repl_state_note")).startsWith("pulled_");
        for (String key : ownedByFirst) {
            String expected = key.equals(moved) ? "v2" : "v1";
            assertThat(roundTrip(ports[0], "mg " + key + " v f\r\n", "\r\n" + expected + "\r\n"))
                    .as(key).isEqualTo("VA 2 f5\r\n" + expected + "\r\n");
        }
    }

    private static int otherOwner(Membership m, String key) {
        List<PeerAddress> owners = m.owners(key.getBytes(StandardCharsets.UTF_8));
        return (owners.get(0) == m.self() ? owners.get(1) : owners.get(0)).address().getPort();
    }
}
