package io.memring.jcache.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memring.client.Key;
import io.memring.client.MemcacheClient;
import io.memring.client.NodeUnavailableException;
import io.memring.client.ServerBusyException;
import io.memring.client.StoreResult;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.cache.CacheException;
import org.junit.jupiter.api.Test;

/** RingStore over a scripted client (no sockets): the client's typed errors, and batches as batches. */
class RingStoreTest {
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

    /** A client whose methods answer from {@code answers} (by method name) and count their calls. */
    private MemcacheClient client(Map<String, Function<Object[], Object>> answers) {
        return (MemcacheClient) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {MemcacheClient.class},
                (proxy, method, args) -> {
                    calls.computeIfAbsent(method.getName(), m -> new AtomicInteger()).incrementAndGet();
                    Function<Object[], Object> answer = answers.get(method.getName());
                    if (answer == null) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return answer.apply(args);
                });
    }

    @Test
    void busyCrawler_isACacheExceptionThatSaysSo_withTheTypedCause() {
        Function<Object[], Object> busy = args -> CompletableFuture.failedFuture(new ServerBusyException("BUSY currently processing crawler request"));
        RingStore store = new RingStore(client(Map.of("keysWithPrefix", busy, "keysWithPrefixByNode", busy)), "c"); // scan, clear
        assertThatThrownBy(store::clear).isInstanceOf(CacheException.class).hasMessageContaining("busy with another scan")
                .hasCauseInstanceOf(ServerBusyException.class);
        assertThatThrownBy(() -> store.scan(10)).isInstanceOf(CacheException.class).hasCauseInstanceOf(ServerBusyException.class);
    }

    @Test
    void nodeDown_duringAClear_isACacheException_andNothingIsDeleted() {
        Function<Object[], Object> down = args -> CompletableFuture.failedFuture(
                new NodeUnavailableException("cannot list every key: [/127.0.0.1:1] marked down"));
        RingStore store = new RingStore(client(Map.of("keysWithPrefix", down, "keysWithPrefixByNode", down)), "c");
        assertThatThrownBy(store::clear).isInstanceOf(CacheException.class).hasMessageContaining("a node is down")
                .hasMessageContaining("127.0.0.1:1").hasCauseInstanceOf(NodeUnavailableException.class);
        assertThat(calls).doesNotContainKeys("deleteMany", "deleteManyForClear", "deleteManyOnNode", "delete");
    }

    @Test
    void removeMany_isOneBulkConditionalDelete_reportingWhichWent() {
        Map<Key, Long> seen = new HashMap<>();
        RingStore store = new RingStore(client(Map.of("deleteManyIfCas", args -> {
            @SuppressWarnings("unchecked")
            Map<Key, Long> expected = (Map<Key, Long>) args[0];
            seen.putAll(expected);
            Map<Key, StoreResult.Status> outcome = new HashMap<>();
            expected.forEach((k, cas) -> outcome.put(k, cas == 2 ? StoreResult.Status.EXISTS : StoreResult.Status.STORED));
            return CompletableFuture.completedFuture(outcome);
        })), "c");
        List<RemoteStore.KeyedEntry> entries = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            entries.add(new RemoteStore.KeyedEntry(("k" + i).getBytes(StandardCharsets.US_ASCII), new StoredEntry(new byte[] {1}, 0, 0, i)));
        }
        assertThat(store.removeMany(entries)).isEqualTo(Set.of(0, 1, 3, 4)); // the entry whose CAS moved stays
        assertThat(calls.get("deleteManyIfCas")).hasValue(1);
        assertThat(calls).doesNotContainKey("deleteIfCas");
        assertThat(seen).containsEntry(Key.of("jc:c:k3".getBytes(StandardCharsets.US_ASCII)), 3L);
    }
}
