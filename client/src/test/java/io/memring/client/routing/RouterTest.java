package io.memring.client.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.client.FailoverPolicy;
import io.memring.client.connection.Node;
import io.memring.client.connection.NodeHealth;
import io.memring.client.ketama.Continuum;
import io.memring.client.ketama.KetamaHash;
import io.memring.client.ketama.NodeKeys;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterTest {
    private final List<Node> nodes = new ArrayList<>();

    private Router router(FailoverPolicy policy) {
        for (int i = 0; i < 3; i++) {
            InetSocketAddress a = new InetSocketAddress("127.0.0.1", 11211 + i);
            nodes.add(new Node(a, List.of(), NodeHealth.detached(a.toString()), () -> null));
        }
        return new Router(nodes, policy);
    }

    @Test
    void named_findsTheNodeAsServersSpellIt() {
        Router r = router(FailoverPolicy.FAILOVER);
        assertThat(r.named("127.0.0.1:11212")).isSameAs(nodes.get(1));
        assertThat(r.named("10.0.0.1:11211")).isNull();
    }

    @Test
    void next_isTheFollowingDistinctNodeInTheKeysRingOrder() {
        Router r = router(FailoverPolicy.FAILOVER);
        Continuum<Node> ring = new Continuum<>(nodes, n -> NodeKeys.spymemcached(n.address()));
        for (int i = 0; i < 200; i++) {
            byte[] key = ("k" + i).getBytes(StandardCharsets.UTF_8);
            List<Node> order = ring.walk(KetamaHash.hash(key), 3);
            assertThat(r.next(key, order.get(0))).isSameAs(order.get(1));
            assertThat(r.next(key, order.get(1))).isSameAs(order.get(2));
            assertThat(r.next(key, order.get(2))).as("nothing after the last").isNull();
        }
        assertThat(router(FailoverPolicy.FAIL_FAST).next("k".getBytes(StandardCharsets.UTF_8), nodes.get(0))).isNull();
    }
}
