package io.memring.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterGateTest {
    private static final String PEERS = "127.0.0.1:11211,127.0.0.1:11212,127.0.0.1:11213";

    private static byte[] key(String k) {
        return k.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] reply) {
        return reply == null ? null : new String(reply, StandardCharsets.US_ASCII);
    }

    /** Returns a key whose owners are {@code primary} then {@code second} (ports). */
    private static byte[] keyOwnedBy(Membership m, int primary, int second) {
        for (int i = 0; i < 100_000; i++) {
            byte[] k = key("k" + i);
            var owners = m.owners(k);
            if (owners.get(0).address().getPort() == primary && owners.get(1).address().getPort() == second) {
                return k;
            }
        }
        throw new AssertionError("no such key");
    }

    @Test
    void write_onTheSecondOwner_whilePrimaryUp_namesThePrimary() {
        Membership m = Membership.of(PEERS, 2, "127.0.0.1", 11212);
        ClusterGate gate = new ClusterGate(m, Readiness.ready("test"), PeerLiveness.ALL_UP);
        byte[] k = keyOwnedBy(m, 11211, 11212);
        assertThat(text(gate.refuseWrite(k))).isEqualTo("SERVER_ERROR not owner 127.0.0.1:11211\r\n");
        assertThat(gate.refuseRead()).as("any owner serves reads").isNull();
        assertThat(gate.refuseWrite(keyOwnedBy(m, 11212, 11213))).as("primary accepts").isNull();
    }

    @Test
    void write_onTheSecondOwner_whilePrimaryDown_isAccepted() {
        Membership m = Membership.of(PEERS, 2, "127.0.0.1", 11212);
        Set<Integer> down = new HashSet<>();
        ClusterGate gate = new ClusterGate(m, Readiness.ready("test"), p -> !down.contains(p.address().getPort()));
        byte[] k = keyOwnedBy(m, 11211, 11212);
        down.add(11211);
        assertThat(gate.refuseWrite(k)).isNull();
        assertThat(gate.actingPrimary(k).spelled()).isEqualTo("127.0.0.1:11212");
        down.clear();
        assertThat(text(gate.refuseWrite(k))).as("primary back and ready").startsWith("SERVER_ERROR not owner 127.0.0.1:11211");
    }

    @Test
    void read_onANonOwner_namesTheActingPrimary_ownersServe_everyOwnerDown_servesACopyRefusesAMiss() {
        Membership m = Membership.of(PEERS, 2, "127.0.0.1", 11213);
        Set<Integer> down = new HashSet<>();
        ClusterGate gate = new ClusterGate(m, Readiness.ready("test"), p -> !down.contains(p.address().getPort()));
        io.memring.server.storage.Storage storage = new io.memring.server.storage.Storage(
                io.memring.server.storage.StorageConfig.defaults(), io.memring.server.storage.ServerClock.system(),
                io.memring.server.storage.HybridClock.system(m.self().index()));
        byte[] k = keyOwnedBy(m, 11211, 11212);
        assertThat(text(gate.refuseRead(k, storage))).as("a miss here would be wrong").isEqualTo("SERVER_ERROR not owner 127.0.0.1:11211\r\n");
        assertThat(gate.refuseRead(keyOwnedBy(m, 11212, 11213), storage)).as("the second owner serves").isNull();
        down.add(11211);
        assertThat(text(gate.refuseRead(k, storage))).isEqualTo("SERVER_ERROR not owner 127.0.0.1:11212\r\n");
        down.add(11212);
        assertThat(text(gate.refuseRead(k, storage))).as("every owner down: a miss is not an answer").isEqualTo("SERVER_ERROR no owner up\r\n");
        storage.applyReplica(k, new byte[] {1}, 0, 0, storage.versions().next());
        assertThat(gate.refuseRead(k, storage)).as("every owner down: the copy it holds").isNull();
    }

    @Test
    void delete_onANonOwner_dropsItsOwnCopy_andStillNamesThePrimary() {
        Membership m = Membership.of(PEERS, 2, "127.0.0.1", 11213);
        ClusterGate gate = new ClusterGate(m, Readiness.ready("test"), PeerLiveness.ALL_UP);
        byte[] orphan = keyOwnedBy(m, 11211, 11212);
        byte[] mine = keyOwnedBy(m, 11212, 11213);
        io.memring.server.storage.Storage storage = new io.memring.server.storage.Storage(
                io.memring.server.storage.StorageConfig.defaults(), io.memring.server.storage.ServerClock.system(),
                io.memring.server.storage.HybridClock.system(m.self().index()));
        storage.applyReplica(orphan, new byte[] {1}, 0, 0, storage.versions().next());
        storage.applyReplica(mine, new byte[] {2}, 0, 0, storage.versions().next());
        assertThat(text(gate.refuseDelete(orphan, storage))).isEqualTo("SERVER_ERROR not owner 127.0.0.1:11211\r\n");
        assertThat(storage.peek(orphan, item -> { })).as("the orphan copy is gone").isFalse();
        assertThat(text(gate.refuseDelete(mine, storage))).as("an owner keeps its copy")
                .isEqualTo("SERVER_ERROR not owner 127.0.0.1:11212\r\n");
        assertThat(storage.peek(mine, item -> { })).isTrue();
        Map<String, String> lines = new HashMap<>();
        gate.stats(lines::put);
        assertThat(lines).containsEntry("repl_orphans_dropped", "1");
    }

    @Test
    void write_onANonOwner_namesTheActingPrimary_orAcceptsWhenEveryOwnerIsDown() {
        Membership m = Membership.of(PEERS, 2, "127.0.0.1", 11213);
        Set<Integer> down = new HashSet<>();
        ClusterGate gate = new ClusterGate(m, Readiness.ready("test"), p -> !down.contains(p.address().getPort()));
        byte[] k = keyOwnedBy(m, 11211, 11212);
        assertThat(text(gate.refuseWrite(k))).isEqualTo("SERVER_ERROR not owner 127.0.0.1:11211\r\n");
        down.add(11211);
        assertThat(text(gate.refuseWrite(k))).isEqualTo("SERVER_ERROR not owner 127.0.0.1:11212\r\n");
        down.add(11212);
        assertThat(gate.refuseWrite(k)).as("FAILOVER's last resort").isNull();
    }

    @Test
    void catchingUp_refusesReadsAndWrites_untilReady() {
        Membership m = Membership.of(PEERS, 2, "127.0.0.1", 11211);
        Readiness r = Readiness.catchingUp();
        ClusterGate gate = new ClusterGate(m, r, PeerLiveness.ALL_UP);
        byte[] k = keyOwnedBy(m, 11211, 11212);
        assertThat(text(gate.refuseWrite(k))).isEqualTo("SERVER_ERROR catching up\r\n");
        assertThat(text(gate.refuseRead())).isEqualTo("SERVER_ERROR catching up\r\n");
        r.becomeReady("test", false);
        assertThat(gate.refuseWrite(k)).isNull();
        assertThat(gate.refuseRead()).isNull();
    }

    @Test
    void stats_showStateFingerprintReplicas_standaloneNothing() {
        Membership m = Membership.of(PEERS, 2, "127.0.0.1", 11211);
        Map<String, String> lines = new HashMap<>();
        new ClusterGate(m, Readiness.catchingUp(), PeerLiveness.ALL_UP).stats(lines::put);
        assertThat(lines).containsEntry("repl_state", "catching_up").containsEntry("ring_fingerprint", m.ringFingerprint())
                .containsEntry("repl_replicas", "2");
        Map<String, String> none = new HashMap<>();
        ClusterGate.standalone().stats(none::put);
        assertThat(none).isEmpty();
        assertThat(ClusterGate.standalone().refuseWrite(key("x"))).isNull();
    }

    @Test
    void aNodeJustWokenFromAPause_answersCatchingUp_untilItHasLookedAgain() {
        Membership m = Membership.of(PEERS, 2, "127.0.0.1", 11211);
        boolean[] stale = {true};
        PeerLiveness liveness = new PeerLiveness() {
            @Override
            public boolean isUp(PeerAddress peer) {
                return true;
            }

            @Override
            public boolean selfStale() {
                return stale[0];
            }
        };
        ClusterGate gate = new ClusterGate(m, Readiness.ready("test"), liveness);
        byte[] k = keyOwnedBy(m, 11211, 11212);
        assertThat(text(gate.refuseWrite(k))).isEqualTo("SERVER_ERROR catching up\r\n");
        assertThat(text(gate.refuseRead())).isEqualTo("SERVER_ERROR catching up\r\n");
        stale[0] = false;
        assertThat(gate.refuseWrite(k)).isNull();
        assertThat(gate.refuseRead()).isNull();
    }

    @Test
    void pullRead_whileCatchingUp_isServed_clientReadIsRefused_onlyThisClustersFingerprintMayPull() {
        Membership m = Membership.of(PEERS, 2, "127.0.0.1", 11212);
        ClusterGate gate = new ClusterGate(m, Readiness.catchingUp(), PeerLiveness.ALL_UP);
        io.memring.server.storage.Storage storage = new io.memring.server.storage.Storage(
                io.memring.server.storage.StorageConfig.defaults(), io.memring.server.storage.ServerClock.system(),
                io.memring.server.storage.HybridClock.system(m.self().index()));
        byte[] owned = keyOwnedBy(m, 11211, 11212);
        assertThat(text(gate.refuseRead(owned, storage))).as("a client").isEqualTo("SERVER_ERROR catching up\r\n");
        assertThat(gate.refusePullRead(owned, storage)).as("a peer's pull: it applies by version").isNull();
        assertThat(text(gate.refusePullRead(keyOwnedBy(m, 11211, 11213), storage)))
                .as("not an owner: as for any read").isEqualTo("SERVER_ERROR not owner 127.0.0.1:11211\r\n");
        assertThat(gate.acceptsPuller(m.fingerprint())).isTrue();
        assertThat(gate.acceptsPuller(Membership.of(PEERS, 3, "127.0.0.1", 11212).fingerprint())).as("another replica count").isFalse();
        assertThat(gate.acceptsPuller("")).isFalse();
        assertThat(ClusterGate.standalone().acceptsPuller("")).as("standalone: no peers to pull").isFalse();
    }
}
