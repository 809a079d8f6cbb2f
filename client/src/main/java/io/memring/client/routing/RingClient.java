package io.memring.client.routing;

import io.memring.client.GetResult;
import io.memring.client.InvalidKeyException;
import io.memring.client.Key;
import io.memring.client.MemcacheClient;
import io.memring.client.NodeStatus;
import io.memring.client.NodeUnavailableException;
import io.memring.client.ConnectionClosedException;
import io.memring.client.NodeNotReadyException;
import io.memring.client.NotOwnerException;
import io.memring.client.RequestTimeoutException;
import io.memring.client.ServerBusyException;
import io.memring.client.ServerErrorException;
import io.memring.client.StoreMode;
import io.memring.client.StoreResult;
import io.memring.client.connection.BatchRequest;
import io.memring.client.connection.MetadumpRequest;
import io.memring.client.connection.Node;
import io.memring.client.connection.SingleRequest;
import io.memring.client.protocol.MetaRequests;
import io.memring.client.protocol.MetaResponse;
import io.memring.client.watch.MutationSink;
import io.memring.client.watch.WatchSubscription;
import io.memring.client.watch.Watcher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;

/** {@link MemcacheClient} over a {@link Router}: one request per key, one batch per node for many keys. */
public final class RingClient implements MemcacheClient {
    /** Sends per one-key call: the first, a redirect or a read retry, and one more redirect. */
    static final int MAX_ATTEMPTS = 3;
    /** Pauses, {@value #OWNER_WAIT_MILLIS} ms each, while a node names an owner this client holds down. */
    static final int MAX_OWNER_WAITS = 15;
    static final long OWNER_WAIT_MILLIS = 100;
    private final Router router;
    private final Runnable onClose;
    private final long clientId;
    private final Watcher watcher;

    public RingClient(Router router, Runnable onClose) {
        this(router, 0, null, onClose);
    }

    /** A client whose connections say {@code mr_client clientId} and whose streams come from {@code watcher} (null: none). */
    public RingClient(Router router, long clientId, Watcher watcher, Runnable onClose) {
        this.router = router;
        this.clientId = clientId;
        this.watcher = watcher;
        this.onClose = onClose;
    }

    @Override
    public long clientId() {
        return clientId;
    }

    @Override
    public WatchSubscription watch(byte[] prefix, boolean withValues, MutationSink sink) {
        if (watcher == null) {
            throw new UnsupportedOperationException("this client has no mutation streams");
        }
        return watcher.watch(prefix, withValues, sink);
    }

    /** Returns each node's health and load, in configuration order. */
    @Override
    public List<NodeStatus> nodeStatus() {
        List<NodeStatus> out = new ArrayList<>();
        for (Node n : router.nodes()) {
            out.add(new NodeStatus(n.address(), n.isUp(), n.isConnected(), n.inFlight(), n.health().failures(),
                    n.health().downEvents(), n.health().upEvents(), n.health().probeSuccesses()));
        }
        return out;
    }

    @Override
    public boolean awaitFirstConnect(Duration max) {
        CompletableFuture<?>[] attempts = router.nodes().stream().map(Node::firstAttempts).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(attempts).get(max.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Returns the node that owns {@code key} on the ring (whatever its health). */
    @Override
    public java.net.InetSocketAddress ownerOf(byte[] key) {
        return router.owner(key).address();
    }

    /**
     * Sends a one-key request to the node the key routes to, and once more elsewhere when the outcome
     * is known to be "not applied" or the request is a read (see {@link #retryTarget}). At most
     * {@value #MAX_ATTEMPTS} sends per call.
     */
    private <T> CompletableFuture<T> single(byte[] key, boolean read, Supplier<SingleRequest<T>> request) {
        try {
            Key.check(key); // the one check: nothing below the public API validates keys again
        } catch (InvalidKeyException | NullPointerException e) {
            return CompletableFuture.failedFuture(e);
        }
        Node node = router.route(key);
        if (node == null) {
            Node owner = router.owner(key);
            return CompletableFuture.failedFuture(new NodeUnavailableException(
                    "node " + owner.address() + " for this key is down (last failure: " + owner.health().lastFailure() + ")",
                    owner.health().lastFailureCause()));
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        attempt(key, read, request, node, 1, 0, result);
        return result;
    }

    private <T> void attempt(byte[] key, boolean read, Supplier<SingleRequest<T>> factory, Node node, int attempt,
                             int waits, CompletableFuture<T> result) {
        SingleRequest<T> r = factory.get();
        node.send(r, Arrays.hashCode(key));
        r.future().whenComplete((value, error) -> {
            if (error == null) {
                result.complete(value);
                return;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            Node next = attempt < MAX_ATTEMPTS ? retryTarget(key, read, node, cause, attempt) : null;
            if (next != null) {
                attempt(key, read, factory, next, attempt + 1, waits, result);
            } else if (cause instanceof NotOwnerException && waits < MAX_OWNER_WAITS) {
                // The node names an owner this client holds down: the two views of the ring disagree for
                // as long as failure detection takes on either side. Refused means not applied, so ask
                // the ring again shortly, a bounded number of times.
                CompletableFuture.runAsync(() -> {
                    Node again = router.route(key);
                    if (again == null) {
                        result.completeExceptionally(cause);
                    } else {
                        attempt(key, read, factory, again, attempt, waits + 1, result);
                    }
                }, CompletableFuture.delayedExecutor(OWNER_WAIT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS));
            } else {
                result.completeExceptionally(cause);
            }
        });
    }

    /**
     * Where to send a failed request again, or null to surface the failure. Only outcomes known not to
     * have changed anything are retried for writes: a refusal ({@link NotOwnerException}: to the node
     * it names, once; {@link NodeNotReadyException}: the node is marked down and the key routes on) or a
     * request never sent ({@link NodeUnavailableException}). A write that may have been applied (a
     * timeout, a connection closed after sending) is never repeated. A read is retried once on the next
     * live node after the one that failed.
     */
    private Node retryTarget(byte[] key, boolean read, Node failed, Throwable cause, int attempt) {
        if (cause instanceof NotOwnerException e) {
            Node named = router.named(e.owner());
            return named != null && named != failed && named.isUp() ? named : null;
        }
        if (cause instanceof NodeNotReadyException) {
            failed.health().onNotReady();
            Node next = router.route(key);
            return next == failed ? null : next;
        }
        if (cause instanceof NodeUnavailableException) {
            return router.next(key, failed);
        }
        if (read && attempt == 1 && (cause instanceof ConnectionClosedException || cause instanceof RequestTimeoutException)) {
            return router.next(key, failed);
        }
        return null;
    }

    private static ServerErrorException unexpected(MetaResponse r) {
        return new ServerErrorException("unexpected reply: " + r);
    }

    @Override
    public CompletableFuture<GetResult> get(byte[] key) {
        return single(key, true, () -> new SingleRequest<>(out -> MetaRequests.get(out, key, null, false), r -> switch (r.status) {
            case VA -> new GetResult(r.value, r.clientFlags, r.cas);
            case EN -> null;
            default -> throw unexpected(r);
        }));
    }

    @Override
    public CompletableFuture<StoreResult> store(StoreMode mode, byte[] key, byte[] value, int flags, int ttlSeconds) {
        MetaRequests.Mode m = MetaRequests.Mode.valueOf(mode.name());
        return single(key, false, () -> new SingleRequest<>(out -> MetaRequests.set(out, key, value, flags, ttlSeconds, m, 0, null, false),
                RingClient::storeResult));
    }

    @Override
    public CompletableFuture<StoreResult> cas(byte[] key, byte[] value, int flags, int ttlSeconds, long cas) {
        if (cas == 0) {
            throw new IllegalArgumentException("CAS 0 means none; pass the CAS from a get");
        }
        return single(key, false, () -> new SingleRequest<>(
                out -> MetaRequests.set(out, key, value, flags, ttlSeconds, MetaRequests.Mode.SET, cas, null, false),
                RingClient::storeResult));
    }

    private static StoreResult storeResult(MetaResponse r) {
        return switch (r.status) {
            case HD -> new StoreResult(StoreResult.Status.STORED, r.cas);
            case NS -> new StoreResult(StoreResult.Status.NOT_STORED, 0);
            case EX -> new StoreResult(StoreResult.Status.EXISTS, 0);
            case NF -> new StoreResult(StoreResult.Status.NOT_FOUND, 0);
            default -> throw unexpected(r);
        };
    }

    @Override
    public CompletableFuture<Boolean> delete(byte[] key) {
        return single(key, false, () -> new SingleRequest<>(out -> MetaRequests.delete(out, key, 0, null, false), r -> switch (r.status) {
            case HD -> true;
            case NF -> false;
            default -> throw unexpected(r);
        }));
    }

    @Override
    public CompletableFuture<StoreResult.Status> deleteIfCas(byte[] key, long cas) {
        return single(key, false, () -> new SingleRequest<>(out -> MetaRequests.delete(out, key, cas, null, false), r -> switch (r.status) {
            case HD -> StoreResult.Status.STORED;
            case EX -> StoreResult.Status.EXISTS;
            case NF -> StoreResult.Status.NOT_FOUND;
            default -> throw unexpected(r);
        }));
    }

    @Override
    public CompletableFuture<Long> incr(byte[] key, long delta, long initial, int ttlSeconds) {
        return arithmetic(key, true, delta, initial, ttlSeconds);
    }

    @Override
    public CompletableFuture<Long> decr(byte[] key, long delta, long initial, int ttlSeconds) {
        return arithmetic(key, false, delta, initial, ttlSeconds);
    }

    private CompletableFuture<Long> arithmetic(byte[] key, boolean incr, long delta, long initial, int ttl) {
        return single(key, false, () -> new SingleRequest<>(out -> MetaRequests.arithmetic(out, key, incr, delta, initial, ttl), r -> switch (r.status) {
            case VA -> Long.parseUnsignedLong(new String(r.value, StandardCharsets.US_ASCII).trim());
            case NF -> null;
            default -> throw unexpected(r);
        }));
    }

    @Override
    public CompletableFuture<Boolean> touch(byte[] key, int ttlSeconds) {
        return single(key, false, () -> new SingleRequest<>(out -> MetaRequests.touch(out, key, ttlSeconds), r -> switch (r.status) {
            case HD -> true;
            case EN -> false;
            default -> throw unexpected(r);
        }));
    }

    /**
     * Groups distinct keys by the node they route to. Checks every key first, so a batch with an
     * invalid key fails whole before any request is made; fails too if a key has nowhere to go.
     */
    private Map<Node, List<byte[]>> byNode(Collection<byte[]> keys) {
        for (byte[] key : keys) {
            Key.check(key);
        }
        Map<Node, List<byte[]>> groups = new LinkedHashMap<>();
        java.util.Set<Key> seen = new java.util.HashSet<>();
        for (byte[] key : keys) {
            if (!seen.add(Key.of(key))) {
                continue;
            }
            Node node = router.route(key);
            if (node == null) {
                throw new NodeUnavailableException("node " + router.owner(key).address() + " for key " + Key.of(key) + " is down");
            }
            groups.computeIfAbsent(node, n -> new ArrayList<>()).add(key);
        }
        return groups;
    }

    /** Runs one batch per node and merges the per-node results. */
    private <R> CompletableFuture<R> perNode(Collection<byte[]> keys, Function<List<byte[]>, BatchRequest<R>> batchFor,
                                             R empty, java.util.function.BinaryOperator<R> merge) {
        return perNode(keys, (node, nodeKeys) -> batchFor.apply(nodeKeys), empty, merge);
    }

    private <R> CompletableFuture<R> perNode(Collection<byte[]> keys,
                                             java.util.function.BiFunction<Node, List<byte[]>, BatchRequest<R>> batchFor,
                                             R empty, java.util.function.BinaryOperator<R> merge) {
        Map<Node, List<byte[]>> groups;
        try {
            groups = byNode(keys);
        } catch (InvalidKeyException | NodeUnavailableException | NullPointerException e) {
            return CompletableFuture.failedFuture(e);
        }
        List<CompletableFuture<R>> parts = new ArrayList<>();
        groups.forEach((node, nodeKeys) -> {
            BatchRequest<R> batch = batchFor.apply(node, nodeKeys);
            node.send(batch);
            parts.add(batch.future());
        });
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
            R acc = empty;
            for (CompletableFuture<R> p : parts) {
                acc = merge.apply(acc, p.join());
            }
            return acc;
        });
    }

    @Override
    public CompletableFuture<Map<Key, GetResult>> getMany(Collection<byte[]> keys) {
        return perNode(keys, nodeKeys -> {
            Map<Key, GetResult> hits = new HashMap<>();
            return new BatchRequest<>(nodeKeys.size(),
                    (out, i) -> MetaRequests.get(out, nodeKeys.get(i), Integer.toString(i), true),
                    (i, r) -> {
                        if (r.status == MetaResponse.Status.VA) {
                            hits.put(Key.of(nodeKeys.get(i)), new GetResult(r.value, r.clientFlags, r.cas));
                        }
                    },
                    () -> hits);
        }, Map.of(), RingClient::mergeMaps);
    }

    @Override
    public CompletableFuture<Map<Key, StoreResult.Status>> setMany(Map<Key, byte[]> entries, int flags, int ttlSeconds) {
        List<byte[]> keys = new ArrayList<>();
        entries.keySet().forEach(k -> keys.add(k.bytes()));
        return perNode(keys, nodeKeys -> {
            Map<Key, StoreResult.Status> failed = new HashMap<>();
            return new BatchRequest<>(nodeKeys.size(),
                    (out, i) -> MetaRequests.set(out, nodeKeys.get(i), entries.get(Key.of(nodeKeys.get(i))), flags, ttlSeconds,
                            MetaRequests.Mode.SET, 0, Integer.toString(i), true),
                    (i, r) -> failed.put(Key.of(nodeKeys.get(i)), storeResult(r).status()),
                    () -> failed);
        }, Map.of(), RingClient::mergeMaps);
    }

    @Override
    public CompletableFuture<Integer> deleteMany(Collection<byte[]> keys) {
        return deleteMany(keys, false);
    }

    @Override
    public CompletableFuture<Integer> deleteManyForClear(Collection<byte[]> keys) {
        return deleteMany(keys, true);
    }

    private CompletableFuture<Integer> deleteMany(Collection<byte[]> keys, boolean clear) {
        return perNode(keys, (node, nodeKeys) -> {
            int[] misses = {0};
            boolean marked = clear && node.isMemringNode(); // stock memcached refuses the flag
            return new BatchRequest<>(nodeKeys.size(),
                    (out, i) -> MetaRequests.delete(out, nodeKeys.get(i), 0, Integer.toString(i), true, marked),
                    (i, r) -> {
                        if (r.status == MetaResponse.Status.NF) {
                            misses[0]++;
                        }
                    },
                    () -> nodeKeys.size() - misses[0]);
        }, 0, Integer::sum);
    }

    @Override
    public CompletableFuture<Map<Key, StoreResult.Status>> deleteManyIfCas(Map<Key, Long> expectedCas) {
        List<byte[]> keys = new ArrayList<>(expectedCas.size());
        expectedCas.keySet().forEach(k -> keys.add(k.bytes()));
        return perNode(keys, nodeKeys -> {
            Map<Key, StoreResult.Status> outcome = new HashMap<>();
            nodeKeys.forEach(k -> outcome.put(Key.of(k), StoreResult.Status.STORED)); // quiet mode: silence is success
            return new BatchRequest<>(nodeKeys.size(),
                    (out, i) -> MetaRequests.delete(out, nodeKeys.get(i), casOrZero(expectedCas.get(Key.of(nodeKeys.get(i)))),
                            Integer.toString(i), true),
                    (i, r) -> outcome.put(Key.of(nodeKeys.get(i)), switch (r.status) {
                        case HD -> StoreResult.Status.STORED;
                        case EX -> StoreResult.Status.EXISTS;
                        case NF -> StoreResult.Status.NOT_FOUND;
                        default -> throw unexpected(r);
                    }),
                    () -> outcome);
        }, Map.of(), RingClient::mergeMaps);
    }

    private static long casOrZero(Long cas) {
        return cas == null ? 0 : cas;
    }

    private static <K, V> Map<K, V> mergeMaps(Map<K, V> a, Map<K, V> b) {
        if (a.isEmpty()) {
            return b;
        }
        Map<K, V> m = new HashMap<>(a);
        m.putAll(b);
        return m;
    }

    @Override
    public CompletableFuture<List<byte[]>> keysWithPrefix(byte[] prefix) {
        List<String> down = new ArrayList<>();
        for (Node node : router.nodes()) {
            if (!node.isUp()) {
                down.add(node.toString());
            }
        }
        if (!down.isEmpty()) {
            // A listing without them would let a whole-cache delete leave their items to reappear.
            return CompletableFuture.failedFuture(new NodeUnavailableException("cannot list every key: " + down + " marked down"));
        }
        List<CompletableFuture<List<byte[]>>> parts = new ArrayList<>();
        for (Node node : router.nodes()) {
            parts.add(metadumpWithRetry(node, prefix, 20));
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
            List<byte[]> all = new ArrayList<>();
            parts.forEach(p -> all.addAll(p.join()));
            return all;
        });
    }

    /** memcached answers BUSY while another crawl runs; try again a bounded number of times. */
    private CompletableFuture<List<byte[]>> metadumpWithRetry(Node node, byte[] prefix, int attemptsLeft) {
        MetadumpRequest request = new MetadumpRequest(key -> startsWith(key, prefix));
        node.sendScan(request);
        return request.future().handle((keys, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(keys);
            }
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
            if (attemptsLeft > 1 && cause instanceof ServerBusyException) {
                return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS))
                        .thenCompose(v -> metadumpWithRetry(node, prefix, attemptsLeft - 1));
            }
            return CompletableFuture.<List<byte[]>>failedFuture(cause);
        }).thenCompose(f -> f);
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        if (key.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (key[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public CompletableFuture<Void> flushAll() {
        List<CompletableFuture<Boolean>> parts = new ArrayList<>();
        for (Node node : router.nodes()) {
            SingleRequest<Boolean> r = new SingleRequest<>(MetaRequests::flushAll, resp -> {
                if (resp.status != MetaResponse.Status.OK) {
                    throw unexpected(resp);
                }
                return true;
            });
            node.send(r);
            parts.add(r.future());
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]));
    }

    @Override
    public void close() {
        onClose.run();
    }
}
