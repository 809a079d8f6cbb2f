package io.memring.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.client.ClientConfig;
import io.memring.client.Key;
import io.memring.client.MemcacheClients;
import io.memring.client.StoreResult;
import io.memring.client.routing.RingClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Multi-key batches against nodes that refuse some keys as a replicated Memring cluster does ({@code
 * SERVER_ERROR not owner <host:port>}, {@code SERVER_ERROR catching up}): the refused keys, and only
 * they, are sent on, each applied exactly once, and the call returns every key's outcome. Before,
 * one refusal failed the whole batch (an error line carries no opaque).
 */
class BatchRerouteIT {
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private <T extends AutoCloseable> T keep(T c) {
        closeables.add(c);
        return c;
    }

    private RingClient client(RefusingNode... nodes) {
        List<java.net.InetSocketAddress> servers = new ArrayList<>();
        for (RefusingNode n : nodes) {
            servers.add(n.address());
        }
        return keep(MemcacheClients.create(ClientConfig.builder().servers(servers).requestTimeout(Duration.ofSeconds(5)).build()));
    }

    private static List<byte[]> keys(int n) {
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(((i % 2 == 0 ? "x" : "y") + i).getBytes(StandardCharsets.US_ASCII));
        }
        return keys;
    }

    private static List<String> all(RefusingNode... nodes) {
        List<String> out = new ArrayList<>();
        for (RefusingNode n : nodes) {
            out.addAll(n.applied);
        }
        return out;
    }

    @Test
    void notOwner_refusedKeysOfABatch_goToTheNamedNode_onceEach() throws Exception {
        AtomicReference<String> bSpelled = new AtomicReference<>();
        RefusingNode a = keep(new RefusingNode(k -> k.startsWith("x") ? "SERVER_ERROR not owner " + bSpelled.get() : null));
        RefusingNode b = keep(new RefusingNode(k -> null));
        bSpelled.set(b.spelled());
        RingClient client = client(a, b);
        List<byte[]> keys = keys(60);
        List<String> routedToA = new ArrayList<>();
        Map<Key, byte[]> entries = new HashMap<>();
        for (byte[] k : keys) {
            entries.put(Key.of(k), "v".getBytes(StandardCharsets.US_ASCII));
            if (client.ownerOf(k).equals(a.address()) && k[0] == 'x') {
                routedToA.add(new String(k, StandardCharsets.US_ASCII));
            }
        }
        assertThat(routedToA).as("some refused keys route to the refusing node").isNotEmpty();

        Map<Key, StoreResult.Status> notStored = client.setMany(entries, 0, 0).get(10, TimeUnit.SECONDS);
        assertThat(notStored).isEmpty();
        assertThat(all(a, b)).as("every key applied once").hasSize(60).doesNotHaveDuplicates();
        assertThat(a.applied).noneMatch(k -> k.startsWith("x"));
        assertThat(b.applied).containsAll(routedToA);

        assertThat(client.getMany(keys).get(10, TimeUnit.SECONDS)).hasSize(60);

        Map<Key, Long> anyCas = new HashMap<>();
        keys.subList(0, 30).forEach(k -> anyCas.put(Key.of(k), null));
        Map<Key, StoreResult.Status> outcome = client.deleteManyIfCas(anyCas).get(10, TimeUnit.SECONDS);
        assertThat(outcome).hasSize(30).allSatisfy((k, s) -> assertThat(s).isEqualTo(StoreResult.Status.STORED));
        assertThat(client.deleteMany(keys).get(10, TimeUnit.SECONDS)).as("deleted: the 30 still there").isEqualTo(30);
        assertThat(a.items.keySet()).noneMatch(k -> k.startsWith("x"));
        assertThat(a.items).isEmpty();
        assertThat(b.items).isEmpty();
    }

    @Test
    void catchingUp_aBatchToANodeCatchingUp_goesToTheNextNodes() throws Exception {
        RefusingNode a = keep(new RefusingNode(k -> null));
        RefusingNode b = keep(new RefusingNode(k -> null));
        RefusingNode c = keep(new RefusingNode(k -> "SERVER_ERROR catching up"));
        RingClient client = client(a, b, c);
        List<byte[]> keys = keys(90);
        Map<Key, byte[]> entries = new HashMap<>();
        int toC = 0;
        for (byte[] k : keys) {
            entries.put(Key.of(k), "w".getBytes(StandardCharsets.US_ASCII));
            toC += client.ownerOf(k).equals(c.address()) ? 1 : 0;
        }
        assertThat(toC).isPositive();
        assertThat(client.setMany(entries, 0, 0).get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(c.applied).isEmpty();
        assertThat(all(a, b)).hasSize(90).doesNotHaveDuplicates();
        assertThat(client.getMany(keys).get(10, TimeUnit.SECONDS)).hasSize(90);
    }

    @Test
    void aRefusalWithNowhereToGo_failsTheCall_withTheRefusal() throws Exception {
        RefusingNode a = keep(new RefusingNode(k -> "SERVER_ERROR not owner 127.0.0.1:1"));
        RingClient client = client(a);
        Map<Key, byte[]> entries = Map.of(Key.of("k".getBytes(StandardCharsets.US_ASCII)), new byte[] {1});
        assertThat(client.setMany(entries, 0, 0)).failsWithin(10, TimeUnit.SECONDS)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(io.memring.client.NotOwnerException.class);
        assertThat(a.applied).isEmpty();
    }

    /**
     * A result names the node that served it, not the key's owner: a near cache must not tag a value
     * read from a replica (a redirect, a read retried on the next node) with the owner's stream.
     */
    @Test
    void results_nameTheNodeThatServedThem_notTheOwner() throws Exception {
        AtomicReference<String> bSpelled = new AtomicReference<>();
        RefusingNode a = keep(new RefusingNode(k -> k.startsWith("x") ? "SERVER_ERROR not owner " + bSpelled.get() : null));
        RefusingNode b = keep(new RefusingNode(k -> null));
        bSpelled.set(b.spelled());
        RingClient client = client(a, b);
        byte[] redirected = null;
        byte[] servedByA = null;
        for (byte[] k : keys(60)) {
            if (client.ownerOf(k).equals(a.address())) {
                if (k[0] == 'x' && redirected == null) {
                    redirected = k;
                } else if (k[0] == 'y' && servedByA == null) {
                    servedByA = k;
                }
            }
        }
        assertThat(redirected).isNotNull();
        assertThat(servedByA).isNotNull();
        byte[] v = "v".getBytes(StandardCharsets.US_ASCII);

        StoreResult stored = client.store(io.memring.client.StoreMode.SET, redirected, v, 0, 0).get(10, TimeUnit.SECONDS);
        assertThat(stored.stored()).isTrue();
        assertThat(stored.node()).as("the write was applied by B").isEqualTo(b.address());
        assertThat(client.store(io.memring.client.StoreMode.SET, servedByA, v, 0, 0).get(10, TimeUnit.SECONDS).node())
                .isEqualTo(a.address());

        assertThat(client.get(redirected).get(10, TimeUnit.SECONDS).node()).as("read redirected to B").isEqualTo(b.address());
        assertThat(client.get(servedByA).get(10, TimeUnit.SECONDS).node()).isEqualTo(a.address());

        Map<Key, io.memring.client.GetResult> many = client.getMany(List.of(redirected, servedByA)).get(10, TimeUnit.SECONDS);
        assertThat(many.get(Key.of(redirected)).node()).isEqualTo(b.address());
        assertThat(many.get(Key.of(servedByA)).node()).isEqualTo(a.address());
    }
}
