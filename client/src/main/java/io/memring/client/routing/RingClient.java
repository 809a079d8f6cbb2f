package io.memring.client.routing;

import io.memring.client.GetResult;
import io.memring.client.InvalidKeyException;
import io.memring.client.Key;
import io.memring.client.MemcacheClient;
import io.memring.client.NodeStatus;
import io.memring.client.NodeUnavailableException;
import io.memring.client.AuthenticationException;
import io.memring.client.TlsException;
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
        return singleAt(key, read, node -> request.get());
    }

    /** As {@link #single}, the request built for the node it is sent to (a result names the node that served it). */
    private <T> CompletableFuture<T> singleAt(byte[] key, boolean read, Function<Node, SingleRequest<T>> request) {
        try {
            Key.check(key); // the one check: nothing below the public API validates keys again
        } catch (InvalidKeyException | NullPointerException e) {
            return CompletableFuture.failedFuture(e);
        }
        Node node = router.route(key);
        if (node == null) {
            Node owner = router.owner(key);
            Throwable last = owner.health().lastFailureCause();
            if (last instanceof AuthenticationException || last instanceof TlsException) {
                // a refusal is a configuration problem: say so by type, not as "node down"
                return CompletableFuture.failedFuture(last instanceof AuthenticationException
                        ? new AuthenticationException(last.getMessage(), last) : new TlsException(last.getMessage(), last));
            }
            return CompletableFuture.failedFuture(new NodeUnavailableException(
                    "node " + owner.address() + " for this key is down (last failure: " + owner.health().lastFailure() + ")",
                    owner.health().lastFailureCause()));
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        attempt(key, read, request, node, 1, 0, result);
        return result;
    }

    private <T> void attempt(byte[] key, boolean read, Function<Node, SingleRequest<T>> factory, Node node, int attempt,
                             int waits, CompletableFuture<T> result) {
        SingleRequest<T> r = factory.apply(node);
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
            // a read goes to the named owner even if this client holds it down (timeouts under load,
            // a quarantine): the owner has the key, the node that refused has none of its copies
            Node named = router.named(e.owner());
            return named != null && named != failed && (named.isUp() || read) ? named : null;
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
        return singleAt(key, true, node -> new SingleRequest<>(out -> MetaRequests.get(out, key, null, false), r -> switch (r.status) {
            case VA -> new GetResult(r.value, r.clientFlags, r.cas, node.address());
            case EN -> null;
            default -> throw unexpected(r);
        }));
    }

    @Override
    public CompletableFuture<StoreResult> store(StoreMode mode, byte[] key, byte[] value, int flags, int ttlSeconds) {
        MetaRequests.Mode m = MetaRequests.Mode.valueOf(mode.name());
        return singleAt(key, false, node -> new SingleRequest<>(out -> MetaRequests.set(out, key, value, flags, ttlSeconds, m, 0, null, false),
                r -> servedBy(storeResult(r), node)));
    }

    @Override
    public CompletableFuture<StoreResult> cas(byte[] key, byte[] value, int flags, int ttlSeconds, long cas) {
        if (cas == 0) {
            throw new IllegalArgumentException("CAS 0 means none; pass the CAS from a get");
        }
        return singleAt(key, false, node -> new SingleRequest<>(
                out -> MetaRequests.set(out, key, value, flags, ttlSeconds, MetaRequests.Mode.SET, cas, null, false),
                r -> servedBy(storeResult(r), node)));
    }

    /** The outcome with the node that applied it (a near cache installs a write only from the node it follows). */
    private static StoreResult servedBy(StoreResult r, Node node) {
        return new StoreResult(r.status(), r.cas(), node.address());
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

    /**
     * Runs one batch per node and merges the per-node results. Batches are {@linkplain
     * BatchRequest#attributed attributed}, so a cluster refusal names its key, and the refused keys are
     * re-routed as one-key calls are ({@link #retryTarget}): to the node a {@link NotOwnerException}
     * names (after a bounded wait if this client holds it down), past a node that is {@linkplain
     * NodeNotReadyException catching up}. Refused means not applied, so nothing is written twice. A
     * batch never sent (its node reconnecting) goes to the next live node; a read batch whose node
     * closed or timed out is read once more there; a write batch that may have been applied is never
     * repeated. At most {@value #MAX_ATTEMPTS} sends per key.
     */
    private <R> CompletableFuture<R> perNode(Collection<byte[]> keys, boolean read, Function<List<byte[]>, BatchRequest<R>> batchFor,
                                             R empty, java.util.function.BinaryOperator<R> merge) {
        return perNode(keys, read, (node, nodeKeys) -> batchFor.apply(nodeKeys), empty, merge);
    }

    /** As above, the batch built for its node (e.g. a flag only Memring nodes take). */
    private <R> CompletableFuture<R> perNode(Collection<byte[]> keys, boolean read,
                                             java.util.function.BiFunction<Node, List<byte[]>, BatchRequest<R>> batchFor,
                                             R empty, java.util.function.BinaryOperator<R> merge) {
        Map<Node, List<byte[]>> groups;
        try {
            groups = byNode(keys);
        } catch (InvalidKeyException | NodeUnavailableException | NullPointerException e) {
            return CompletableFuture.failedFuture(e);
        }
        return new Batches<>(read, batchFor, empty, merge).send(groups, 1, 0);
    }

    /** One multi-key call: its batches, and those of the keys re-routed from them. */
    private final class Batches<R> {
        private final boolean read;
        private final java.util.function.BiFunction<Node, List<byte[]>, BatchRequest<R>> batchFor;
        private final R empty;
        private final java.util.function.BinaryOperator<R> merge;

        Batches(boolean read, java.util.function.BiFunction<Node, List<byte[]>, BatchRequest<R>> batchFor, R empty,
                java.util.function.BinaryOperator<R> merge) {
            this.read = read;
            this.batchFor = batchFor;
            this.empty = empty;
            this.merge = merge;
        }

        CompletableFuture<R> send(Map<Node, List<byte[]>> groups, int attempt, int waits) {
            List<CompletableFuture<R>> parts = new ArrayList<>();
            groups.forEach((node, nodeKeys) -> parts.add(sendOne(node, nodeKeys, attempt, waits)));
            return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
                R acc = empty;
                for (CompletableFuture<R> p : parts) {
                    acc = merge.apply(acc, p.join());
                }
                return acc;
            });
        }

        private CompletableFuture<R> sendOne(Node node, List<byte[]> nodeKeys, int attempt, int waits) {
            BatchRequest<R> batch = batchFor.apply(node, nodeKeys);
            node.send(batch);
            return batch.future().handle((r, error) -> error != null
                    ? failedWhole(node, nodeKeys, error, attempt, waits)
                    : refused(node, nodeKeys, r, batch.refusals(), attempt, waits)).thenCompose(f -> f);
        }

        /** The whole batch failed: retried elsewhere only if it cannot have been applied, or is a read. */
        private CompletableFuture<R> failedWhole(Node node, List<byte[]> nodeKeys, Throwable error, int attempt, int waits) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            boolean again = attempt < MAX_ATTEMPTS && (cause instanceof NodeUnavailableException
                    || (read && attempt == 1 && (cause instanceof ConnectionClosedException || cause instanceof RequestTimeoutException)));
            if (!again) {
                return CompletableFuture.failedFuture(cause);
            }
            Map<Node, List<byte[]>> regroup = new LinkedHashMap<>();
            for (byte[] k : nodeKeys) {
                Node next = router.next(k, node);
                if (next == null) {
                    return CompletableFuture.failedFuture(cause);
                }
                regroup.computeIfAbsent(next, n -> new ArrayList<>()).add(k);
            }
            return send(regroup, attempt + 1, waits);
        }

        /** Re-routes the refused keys of a completed batch and merges their outcomes into {@code r}. */
        private CompletableFuture<R> refused(Node node, List<byte[]> nodeKeys, R r, List<BatchRequest.Refusal> refusals,
                                             int attempt, int waits) {
            if (refusals.isEmpty()) {
                return CompletableFuture.completedFuture(r);
            }
            if (refusals.stream().anyMatch(f -> f.cause() instanceof NodeNotReadyException)) {
                node.health().onNotReady(); // once per batch: the node is catching up for every key
            }
            Map<Node, List<byte[]>> regroup = new LinkedHashMap<>();
            List<byte[]> later = new ArrayList<>();
            for (BatchRequest.Refusal f : refusals) {
                byte[] k = nodeKeys.get(f.index());
                Node target = attempt < MAX_ATTEMPTS ? refusalTarget(k, node, f.cause()) : null;
                if (target != null) {
                    regroup.computeIfAbsent(target, n -> new ArrayList<>()).add(k);
                } else if (f.cause() instanceof NotOwnerException && waits < MAX_OWNER_WAITS) {
                    later.add(k); // the named owner is down to this client: ask the ring again shortly
                } else {
                    return CompletableFuture.failedFuture(f.cause());
                }
            }
            CompletableFuture<R> rest = send(regroup, attempt + 1, waits);
            if (!later.isEmpty()) {
                CompletableFuture<R> waited = CompletableFuture.supplyAsync(() -> byNode(later),
                                CompletableFuture.delayedExecutor(OWNER_WAIT_MILLIS, TimeUnit.MILLISECONDS))
                        .thenCompose(groups -> send(groups, attempt, waits + 1));
                rest = rest.thenCombine(waited, merge);
            }
            return rest.thenApply(x -> merge.apply(r, x));
        }

        private Node refusalTarget(byte[] key, Node failed, Throwable cause) {
            if (cause instanceof NotOwnerException e) {
                Node named = router.named(e.owner());
                return named != null && named != failed && (named.isUp() || read) ? named : null;
            }
            Node next = router.route(key); // NodeNotReadyException: the node is marked down, the key routes on
            return next == failed ? null : next;
        }
    }

    @Override
    public CompletableFuture<Map<Key, GetResult>> getMany(Collection<byte[]> keys) {
        return perNode(keys, true, (node, nodeKeys) -> {
            Map<Key, GetResult> hits = new HashMap<>();
            return BatchRequest.attributed(nodeKeys.size(),
                    (out, i) -> MetaRequests.get(out, nodeKeys.get(i), Integer.toString(i), false),
                    (i, r) -> {
                        if (r.status == MetaResponse.Status.VA) {
                            hits.put(Key.of(nodeKeys.get(i)), new GetResult(r.value, r.clientFlags, r.cas, node.address()));
                        }
                    },
                    () -> hits);
        }, Map.of(), RingClient::mergeMaps);
    }

    @Override
    public CompletableFuture<Map<Key, StoreResult.Status>> setMany(Map<Key, byte[]> entries, int flags, int ttlSeconds) {
        List<byte[]> keys = new ArrayList<>();
        entries.keySet().forEach(k -> keys.add(k.bytes()));
        return perNode(keys, false, nodeKeys -> {
            Map<Key, StoreResult.Status> failed = new HashMap<>();
            return BatchRequest.attributed(nodeKeys.size(),
                    (out, i) -> MetaRequests.set(out, nodeKeys.get(i), entries.get(Key.of(nodeKeys.get(i))), flags, ttlSeconds,
                            MetaRequests.Mode.SET, 0, Integer.toString(i), false),
                    (i, r) -> {
                        StoreResult.Status status = storeResult(r).status();
                        if (status != StoreResult.Status.STORED) {
                            failed.put(Key.of(nodeKeys.get(i)), status);
                        }
                    },
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
        return perNode(keys, false, (node, nodeKeys) -> {
            int[] deleted = {0};
            boolean marked = clear && node.isMemringNode(); // stock memcached refuses the flag
            return BatchRequest.attributed(nodeKeys.size(),
                    (out, i) -> MetaRequests.delete(out, nodeKeys.get(i), 0, Integer.toString(i), false, marked),
                    (i, r) -> {
                        switch (r.status) {
                            case HD -> deleted[0]++;
                            case NF -> { }
                            default -> throw unexpected(r);
                        }
                    },
                    () -> deleted[0]);
        }, 0, Integer::sum);
    }

    @Override
    public CompletableFuture<Map<Key, StoreResult.Status>> deleteManyIfCas(Map<Key, Long> expectedCas) {
        List<byte[]> keys = new ArrayList<>(expectedCas.size());
        expectedCas.keySet().forEach(k -> keys.add(k.bytes()));
        return perNode(keys, false, nodeKeys -> {
            Map<Key, StoreResult.Status> outcome = new HashMap<>();
            return BatchRequest.attributed(nodeKeys.size(),
                    (out, i) -> MetaRequests.delete(out, nodeKeys.get(i), casOrZero(expectedCas.get(Key.of(nodeKeys.get(i)))),
                            Integer.toString(i), false),
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
        return keysWithPrefixByNode(prefix).thenApply(byNode -> {
            List<byte[]> all = new ArrayList<>();
            byNode.values().forEach(all::addAll);
            return all;
        });
    }

    @Override
    public CompletableFuture<Map<java.net.InetSocketAddress, List<byte[]>>> keysWithPrefixByNode(byte[] prefix) {
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
        Map<Node, CompletableFuture<List<byte[]>>> parts = new LinkedHashMap<>();
        for (Node node : router.nodes()) {
            parts.put(node, metadumpWithRetry(node, prefix, 20));
        }
        return CompletableFuture.allOf(parts.values().toArray(new CompletableFuture<?>[0])).thenApply(v -> {
            Map<java.net.InetSocketAddress, List<byte[]>> out = new LinkedHashMap<>();
            parts.forEach((node, p) -> out.put(node.address(), p.join()));
            return out;
        });
    }

    @Override
    public CompletableFuture<Integer> deleteManyOnNode(java.net.InetSocketAddress address, Collection<byte[]> keys) {
        Node node = router.nodes().stream().filter(n -> n.address().equals(address)).findFirst().orElse(null);
        if (node == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(address + " is not one of this client's nodes"));
        }
        List<byte[]> list = new ArrayList<>(keys);
        try {
            list.forEach(Key::check);
        } catch (InvalidKeyException | NullPointerException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (list.isEmpty()) {
            return CompletableFuture.completedFuture(0);
        }
        int[] deleted = {0};
        BatchRequest<Integer> batch = BatchRequest.attributed(list.size(),
                (out, i) -> MetaRequests.delete(out, list.get(i), 0, Integer.toString(i), false),
                (i, r) -> {
                    switch (r.status) {
                        case HD -> deleted[0]++;
                        case NF -> { }
                        default -> throw unexpected(r);
                    }
                },
                () -> deleted[0]); // refusals: not this node's key to delete; nothing else to do here
        node.send(batch);
        return batch.future();
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
