package io.memring.server.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.server.MemringServer;
import io.memring.server.ServerConfig;
import io.memring.server.cluster.Membership;
import io.memring.server.cluster.PeerAddress;
import io.memring.server.storage.StorageConfig;
import io.memring.testing.RawClient;
import io.memring.testing.StockMemcached;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Three in-process nodes, --replicas 2: what a primary stores reaches the key's other owner, with its version. */
class PeerReplicationTest {
    private static final long WAIT_MS = 5000;
    private final List<MemringServer> nodes = new ArrayList<>();
    private final List<RawClient> clients = new ArrayList<>();
    private Membership ring;

    @BeforeEach
    void startCluster() throws Exception {
        int[] ports = {StockMemcached.freePort(), StockMemcached.freePort(), StockMemcached.freePort()};
        String peers = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1] + ",127.0.0.1:" + ports[2];
        for (int port : ports) {
            Membership m = Membership.of(peers, 2, "127.0.0.1", port);
            ServerConfig cfg = ServerConfig.defaults().withPort(port).withWorkerThreads(2)
                    .withStorage(StorageConfig.defaults().withMemoryLimit(16L << 20)).withMembership(m);
            nodes.add(MemringServer.start(cfg));
            ring = m;
        }
        for (MemringServer n : nodes) {
            clients.add(new RawClient(n.port()));
        }
        for (RawClient c : clients) { // ready: not catching up (repl-route's readiness), so clients are served
            awaitTrue(() -> c.roundTrip("stats\r\n", "END\r\n").contains("STAT repl_state ready\r\n"));
        }
        for (MemringServer n : nodes) {
            for (PeerAddress p : ring.peers()) {
                if (p.address().getPort() != n.port()) {
                    awaitTrue(() -> n.replication().peerUp(p));
                }
            }
        }
    }

    @AfterEach
    void stop() throws IOException {
        for (RawClient c : clients) {
            c.close();
        }
        nodes.forEach(MemringServer::close);
    }

    /** Returns a key whose owners are {@code primary} then {@code replica}. */
    private String keyOwnedBy(int primary, int replica) {
        for (int i = 0; i < 100_000; i++) {
            String k = "key" + i;
            List<PeerAddress> owners = ring.owners(k.getBytes(StandardCharsets.US_ASCII));
            if (owners.get(0).index() == primary && owners.get(1).index() == replica) {
                return k;
            }
        }
        throw new AssertionError("no key for " + primary + "," + replica);
    }

    @Test
    void setDeleteAppendAndFlush_reachTheReplica_withThePrimarysCas_andNotTheThirdNode() throws Exception {
        String k = keyOwnedBy(0, 1);
        assertThat(clients.get(0).roundTrip("set " + k + " 7 0 2\r\nv1\r\n", "\r\n")).isEqualTo("STORED\r\n");
        String onPrimary = clients.get(0).roundTrip("gets " + k + "\r\n", "END\r\n");
        assertThat(onPrimary).startsWith("VALUE " + k + " 7 2 ");
        awaitTrue(() -> clients.get(1).roundTrip("gets " + k + "\r\n", "END\r\n").equals(onPrimary));
        assertThat(clients.get(2).roundTrip("get " + k + "\r\n", "END\r\n")).isEqualTo("END\r\n");

        assertThat(clients.get(0).roundTrip("append " + k + " 0 0 1\r\nx\r\n", "\r\n")).isEqualTo("STORED\r\n");
        String appended = clients.get(0).roundTrip("gets " + k + "\r\n", "END\r\n");
        awaitTrue(() -> clients.get(1).roundTrip("gets " + k + "\r\n", "END\r\n").equals(appended));

        assertThat(clients.get(0).roundTrip("delete " + k + "\r\n", "\r\n")).isEqualTo("DELETED\r\n");
        awaitTrue(() -> clients.get(1).roundTrip("get " + k + "\r\n", "END\r\n").equals("END\r\n"));

        String k2 = keyOwnedBy(1, 2);
        clients.get(1).roundTrip("set " + k2 + " 0 0 1\r\nz\r\n", "\r\n");
        awaitTrue(() -> clients.get(2).roundTrip("get " + k2 + "\r\n", "END\r\n").contains("VALUE"));
        assertThat(clients.get(0).roundTrip("flush_all\r\n", "\r\n")).isEqualTo("OK\r\n");
        awaitTrue(() -> clients.get(2).roundTrip("get " + k2 + "\r\n", "END\r\n").equals("END\r\n"));
        awaitTrue(() -> clients.get(1).roundTrip("get " + k2 + "\r\n", "END\r\n").equals("END\r\n"));

        Map<String, Long> primary = stats(clients.get(0));
        awaitTrue(() -> stats(clients.get(0)).get("repl_queue_bytes") == 0);
        primary = stats(clients.get(0));
        assertThat(primary.get("repl_offered"))
                .isEqualTo(primary.get("repl_sent") + primary.get("repl_dropped") + primary.get("repl_queue_bytes"));
        assertThat(primary.get("repl_dropped")).isZero();
        assertThat(primary.get("repl_sent")).isEqualTo(3 + 2); // set, append, delete to node 1; the flush to 1 and 2
        Map<String, Long> replica = stats(clients.get(1));
        assertThat(replica.get("repl_applied")).isEqualTo(4); // 3 from node 0, the flush; node 1's own set went out, not in
    }

    @Test
    void aWriteAfterApplyingAPeersVersion_isNewer() throws Exception {
        String k = keyOwnedBy(0, 1);
        clients.get(0).roundTrip("set " + k + " 0 0 1\r\na\r\n", "\r\n");
        long primaryCas = cas(clients.get(0).roundTrip("gets " + k + "\r\n", "END\r\n"));
        awaitTrue(() -> clients.get(1).roundTrip("get " + k + "\r\n", "END\r\n").contains("VALUE"));
        String other = keyOwnedBy(1, 2);
        clients.get(1).roundTrip("set " + other + " 0 0 1\r\nb\r\n", "\r\n");
        assertThat(cas(clients.get(1).roundTrip("gets " + other + "\r\n", "END\r\n"))).isGreaterThan(primaryCas);
    }

    @Test
    void aClientSayingHelloWithTheWrongFingerprint_isRefused_andClientsStillWork() throws Exception {
        try (RawClient c = new RawClient(nodes.get(0).port())) {
            assertThat(c.roundTrip("mr_peer_hello nope 1\r\n", "\r\n")).isEqualTo("SERVER_ERROR peer handshake refused\r\n");
        }
        try (RawClient c = new RawClient(nodes.get(0).port())) {
            assertThat(c.roundTrip("mr_peer_hello " + ring.fingerprint() + " 0\r\n", "\r\n"))
                    .as("our own node id").isEqualTo("SERVER_ERROR peer handshake refused\r\n");
        }
        try (RawClient c = new RawClient(nodes.get(0).port())) {
            assertThat(c.roundTrip("mr\r\n", "\r\n")).isEqualTo("ERROR\r\n");
            assertThat(c.roundTrip("version\r\n", "\r\n")).startsWith("VERSION ");
        }
    }

    @Test
    void aMalformedFrameOnAPeerLink_closesThatLink_isCounted_andChangesNothing() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), nodes.get(0).port())) {
            s.setSoTimeout((int) WAIT_MS);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.write(PeerFrames.ascii(PeerFrames.hello(ring.fingerprint(), 1)));
            out.writeInt(1 + 8 + 8 + 2 + 3); // a DEL whose key length (300) runs past the frame
            out.writeByte(PeerFrames.DEL);
            out.writeLong(12345);
            out.writeLong(0);
            out.writeShort(300);
            out.write("abc".getBytes(StandardCharsets.US_ASCII));
            out.writeInt(Integer.MAX_VALUE); // and a length no frame may have
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            int read = 0;
            while (in.read() >= 0 && read++ < 100) {
                // the hello's answer, then the close
            }
            assertThat(read).isLessThan(100);
        }
        awaitTrue(() -> stats(clients.get(0)).get("repl_bad_frames") == 1);
        assertThat(stats(clients.get(0)).get("repl_applied")).isZero();
        assertThat(clients.get(0).roundTrip("version\r\n", "\r\n")).startsWith("VERSION ");
    }

    @Test
    void dump_streamsEveryItemANodeOwns_withItsVersion_thenEnd() throws Exception {
        Map<String, Long> expected = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            String k = "d" + i;
            List<PeerAddress> owners = ring.owners(k.getBytes(StandardCharsets.US_ASCII));
            int primary = owners.get(0).index();
            clients.get(primary).roundTrip("set " + k + " 3 0 2\r\nhi\r\n", "\r\n");
            if (owners.stream().anyMatch(p -> p.index() == 2)) {
                expected.put(k, cas(clients.get(primary).roundTrip("gets " + k + "\r\n", "END\r\n")));
            }
        }
        // Node 0 answers for node 2's keys it holds (as primary or replica), once replication has delivered them.
        Map<String, Long> heldByNode0 = new HashMap<>();
        expected.forEach((k, v) -> {
            if (ring.owners(k.getBytes(StandardCharsets.US_ASCII)).stream().anyMatch(p -> p.index() == 0)) {
                heldByNode0.put(k, v);
            }
        });
        assertThat(heldByNode0).isNotEmpty();
        for (Map.Entry<String, Long> e : heldByNode0.entrySet()) {
            awaitTrue(() -> clients.get(0).roundTrip("gets " + e.getKey() + "\r\n", "END\r\n").contains(" " + e.getValue() + "\r\n"));
        }
        Map<String, Long> got = new HashMap<>();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), nodes.get(0).port())) {
            s.setSoTimeout((int) WAIT_MS);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = new DataInputStream(s.getInputStream());
            out.write(PeerFrames.ascii(PeerFrames.hello(ring.fingerprint(), 2)));
            out.writeInt(5);
            out.writeByte(PeerFrames.DUMP);
            out.writeInt(2);
            out.flush();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                line.append((char) b);
            }
            assertThat(line.toString()).startsWith("mr_peer_ok 0");
            for (int frames = 0; frames < 1000; frames++) {
                int length = in.readInt();
                byte type = in.readByte();
                if (type == PeerFrames.END) {
                    assertThat(in.readLong()).isEqualTo(got.size());
                    break;
                }
                assertThat(type).isEqualTo(PeerFrames.SET);
                long version = in.readLong();
                assertThat(in.readLong()).as("shippedAt of a dump item").isZero();
                assertThat(in.readInt()).isEqualTo(3);
                assertThat(in.readLong()).isZero();
                byte[] key = new byte[in.readUnsignedShort()];
                in.readFully(key);
                byte[] value = new byte[length - 1 - 8 - 8 - 4 - 8 - 2 - key.length];
                in.readFully(value);
                assertThat(new String(value, StandardCharsets.US_ASCII)).isEqualTo("hi");
                got.put(new String(key, StandardCharsets.US_ASCII), version);
            }
        }
        assertThat(got).isEqualTo(heldByNode0);
    }

    static long cas(String getsReply) {
        Matcher m = Pattern.compile("VALUE \\S+ \\d+ \\d+ (\\d+)").matcher(getsReply);
        assertThat(m.find()).as(getsReply).isTrue();
        return Long.parseLong(m.group(1));
    }

    static Map<String, Long> stats(RawClient c) throws IOException {
        Map<String, Long> out = new HashMap<>();
        for (String line : c.roundTrip("stats\r\n", "END\r\n").split("\r\n")) {
            String[] t = line.split(" ");
            if (t.length == 3 && t[1].startsWith("repl_") && t[2].matches("-?\\d+")) {
                out.put(t[1], Long.parseLong(t[2]));
            }
        }
        return out;
    }

    interface Check {
        boolean holds() throws Exception;
    }

    static void awaitTrue(Check check) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (!check.holds()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met within " + WAIT_MS + " ms");
            }
            Thread.sleep(10);
        }
    }
}
