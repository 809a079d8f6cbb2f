package io.memring.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memring.client.ketama.RingFingerprint;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.spy.memcached.DefaultHashAlgorithm;
import net.spy.memcached.KetamaNodeLocator;
import net.spy.memcached.MemcachedNode;
import org.junit.jupiter.api.Test;

class MembershipTest {
    private static final String PEERS = "127.0.0.1:11211,127.0.0.1:11212,127.0.0.1:11213";

    private static byte[] key(String k) {
        return k.getBytes(StandardCharsets.UTF_8);
    }

    /** A spymemcached node that only knows its address, all its locator asks of it. */
    private static MemcachedNode spyNode(InetSocketAddress a) {
        return (MemcachedNode) Proxy.newProxyInstance(MembershipTest.class.getClassLoader(), new Class<?>[] {MemcachedNode.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getSocketAddress" -> a;
                    case "hashCode" -> a.hashCode();
                    case "equals" -> proxy == args[0];
                    case "toString" -> a.toString();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void primary_agreesWithSpymemcachedKetama_forTheSameServerList() {
        Membership m = Membership.of(PEERS, 2, "127.0.0.1", 11211);
        List<MemcachedNode> nodes = new ArrayList<>();
        for (InetSocketAddress a : List.of(new InetSocketAddress("127.0.0.1", 11211),
                new InetSocketAddress("127.0.0.1", 11212), new InetSocketAddress("127.0.0.1", 11213))) {
            nodes.add(spyNode(a));
        }
        KetamaNodeLocator spy = new KetamaNodeLocator(nodes, DefaultHashAlgorithm.KETAMA_HASH);
        for (int i = 0; i < 2000; i++) {
            String k = "key-" + i;
            InetSocketAddress spyOwner = (InetSocketAddress) spy.getPrimary(k).getSocketAddress();
            assertThat(m.owners(key(k)).get(0).address()).as(k).isEqualTo(spyOwner);
        }
    }

    @Test
    void owners_areDistinct_primaryFirst_replicasOfThem() {
        Membership m = Membership.of(PEERS, 2, "127.0.0.1", 11212);
        int primaries = 0;
        int owned = 0;
        for (int i = 0; i < 3000; i++) {
            List<PeerAddress> owners = m.owners(key("k" + i));
            assertThat(owners).hasSize(2).doesNotHaveDuplicates();
            assertThat(m.isPrimary(key("k" + i))).isEqualTo(owners.get(0) == m.self());
            assertThat(m.isOwner(key("k" + i))).isEqualTo(owners.contains(m.self()));
            primaries += m.isPrimary(key("k" + i)) ? 1 : 0;
            owned += m.isOwner(key("k" + i)) ? 1 : 0;
        }
        // one node in three is primary for about a third and owner of about two thirds
        assertThat(primaries).isBetween(600, 1400);
        assertThat(owned).isBetween(1600, 2400);
    }

    @Test
    void nodesOfOneCluster_agreeOnEveryKeysOwners() {
        Membership a = Membership.of(PEERS, 2, "127.0.0.1", 11211);
        Membership c = Membership.of(PEERS, 2, "127.0.0.1", 11213);
        for (int i = 0; i < 500; i++) {
            assertThat(a.owners(key("k" + i)).stream().map(PeerAddress::spelled).toList())
                    .isEqualTo(c.owners(key("k" + i)).stream().map(PeerAddress::spelled).toList());
        }
    }

    @Test
    void replicas_allOneTwoAndMoreThanMembers() {
        assertThat(Membership.of(PEERS, Membership.parseReplicas("all"), "127.0.0.1", 11211).replicas()).isEqualTo(3);
        assertThat(Membership.of(PEERS, Membership.parseReplicas("1"), "127.0.0.1", 11211).owners(key("x"))).hasSize(1);
        assertThat(Membership.of(PEERS, Membership.parseReplicas("2"), "127.0.0.1", 11211).owners(key("x"))).hasSize(2);
        assertThat(Membership.of(PEERS, Membership.parseReplicas("7"), "127.0.0.1", 11211).replicas()).isEqualTo(3);
        assertThat(Membership.of(PEERS, 0, "127.0.0.1", 11211).owners(key("x"))).hasSize(3);
        assertThatThrownBy(() -> Membership.parseReplicas("0")).hasMessageContaining("--replicas");
        assertThatThrownBy(() -> Membership.parseReplicas("two")).hasMessageContaining("--replicas");
    }

    @Test
    void fingerprint_stable_orderSensitive_andTheClientsOwn() {
        Membership a = Membership.of(PEERS, 2, "127.0.0.1", 11211);
        Membership b = Membership.of(PEERS, 2, "127.0.0.1", 11212);
        Membership reordered = Membership.of("127.0.0.1:11212,127.0.0.1:11211,127.0.0.1:11213", 2, "127.0.0.1", 11211);
        assertThat(a.ringFingerprint()).hasSize(16).isEqualTo(b.ringFingerprint());
        assertThat(a.fingerprint()).isEqualTo(b.fingerprint());
        assertThat(reordered.ringFingerprint()).isNotEqualTo(a.ringFingerprint());
        assertThat(Membership.of(PEERS, 3, "127.0.0.1", 11211).fingerprint()).isNotEqualTo(a.fingerprint());
        assertThat(RingFingerprint.ofAddresses(List.of(new InetSocketAddress("127.0.0.1", 11211),
                new InetSocketAddress("127.0.0.1", 11212), new InetSocketAddress("127.0.0.1", 11213))))
                .isEqualTo(a.ringFingerprint());
        assertThat(RingFingerprint.of(List.of("127.0.0.1:11211"))).isEqualTo(RingFingerprint.of(List.of("127.0.0.1:11211")))
                .isNotEqualTo(RingFingerprint.of(List.of("127.0.0.1:11212")));
    }

    @Test
    void self_isFoundByListenAddressAndPort() {
        Membership m = Membership.of(PEERS, 2, "127.0.0.1", 11213);
        assertThat(m.self().spelled()).isEqualTo("127.0.0.1:11213");
        assertThat(m.nodeId()).isEqualTo((byte) 2);
        assertThat(m.peers()).extracting(PeerAddress::spelled).containsExactly("127.0.0.1:11211", "127.0.0.1:11212");
        assertThat(Membership.of("localhost:11211,localhost:11212", 2, "127.0.0.1", 11212).self().spelled())
                .isEqualTo("localhost:11212");
        assertThat(Membership.of(PEERS, 2, "0.0.0.0", 11212).self().spelled()).isEqualTo("127.0.0.1:11212");
    }

    @Test
    void self_notInPeers_isAClearError() {
        assertThatThrownBy(() -> Membership.of(PEERS, 2, "127.0.0.1", 11299))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("this node listens on 127.0.0.1:11299, which is not in --peers [127.0.0.1:11211, 127.0.0.1:11212, "
                        + "127.0.0.1:11213]; list every node, this one included, as clients list them");
        assertThatThrownBy(() -> Membership.of("127.0.0.1:1,127.0.0.1:1", 2, "127.0.0.1", 1)).hasMessageContaining("twice");
    }

    @Test
    void standalone_ownsEverything() {
        Membership s = Membership.standalone();
        assertThat(s.clustered()).isFalse();
        assertThat(s.isOwner(key("a"))).isTrue();
        assertThat(s.isPrimary(key("a"))).isTrue();
        assertThat(s.ringFingerprint()).isEmpty();
        assertThat(s.peers()).isEmpty();
    }
}
