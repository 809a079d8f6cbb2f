package io.memring.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.client.ClientConfig;
import io.memring.client.MemcacheClients;
import io.memring.client.routing.RingClient;
import io.memring.client.watch.Mutation;
import io.memring.client.watch.MutationKind;
import io.memring.client.watch.WatchMode;
import io.memring.client.watch.WatchSubscription;
import io.memring.integration.Cluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The client's mutation streams against real nodes: two clients, one watching what the other writes. */
class WatchIT {

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static RingClient client(Cluster c) {
        return MemcacheClients.create(ClientConfig.builder().servers(c.servers()).build());
    }

    @Test
    void twoClients_writesOfOneReachTheOther_withValues_andOwnWritesAreNotEchoed() throws Exception {
        Cluster cluster = Cluster.memring(2);
        try (RingClient a = client(cluster); RingClient b = client(cluster)) {
            assertThat(a.clientId()).isNotZero().isNotEqualTo(b.clientId());
            RecordingSink sink = new RecordingSink();
            try (WatchSubscription sub = a.watch(b("jc:w:"), true, sink)) {
                assertThat(sub.mode()).isEqualTo(WatchMode.PUSH);
                for (var node : cluster.servers()) {
                    assertThat(sub.live(node)).as("live on " + node).isTrue();
                }
                Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> sink.subscribed.size() == 2);
                a.blocking().set(b("jc:w:own"), b("mine"), 0, 0); // A's own write: no echo
                b.blocking().set(b("jc:w:k"), b("v1"), 3, 0);
                b.blocking().set(b("jc:w:k"), b("v2"), 4, 0);
                b.blocking().set(b("jc:other:k"), b("x"), 0, 0); // outside the prefix
                b.blocking().delete(b("jc:w:k"));
                Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> sink.mutations.size() >= 3);
                List<Mutation> ms = sink.mutations;
                assertThat(sink.kinds()).containsExactly(MutationKind.CREATED, MutationKind.UPDATED, MutationKind.DELETED);
                assertThat(ms).allSatisfy(m -> {
                    assertThat(RecordingSink.text(m.key())).isEqualTo("jc:w:k");
                    assertThat(m.originClientId()).isEqualTo(b.clientId());
                    assertThat(m.node()).isEqualTo(a.ownerOf(b("jc:w:k")));
                });
                assertThat(RecordingSink.text(ms.get(0).newValue())).isEqualTo("v1");
                assertThat(ms.get(0).oldValue()).isNull();
                assertThat(RecordingSink.text(ms.get(1).oldValue())).isEqualTo("v1");
                assertThat(RecordingSink.text(ms.get(1).newValue())).isEqualTo("v2");
                assertThat(ms.get(1).flags()).isEqualTo(4);
                assertThat(RecordingSink.text(ms.get(2).oldValue())).isEqualTo("v2");
                assertThat(ms.get(2).seq()).isEqualTo(ms.get(1).seq() + 1);

                b.blocking().flushAll();
                Awaitility.await().atMost(5, TimeUnit.SECONDS)
                        .until(() -> sink.mutations.stream().filter(m -> m.kind() == MutationKind.FLUSHED).count() == 2);
                assertThat(sink.resets).isEmpty();
            }
        } finally {
            cluster.stop();
        }
    }
}
