package io.memring.client;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * An asynchronous memcached client over a ring of nodes. Keys are arbitrary bytes (1 to 250 bytes
 * sent as they are when printable, else base64, up to 186 bytes; see {@link Key}). Every method checks
 * its keys before anything is sent: a bad key fails the returned future with {@link
 * InvalidKeyException}, and a multi-key operation with one bad key fails whole and sends nothing. TTLs
 * are memcached's: seconds, 0 = never, over 30 days = unix time. Futures fail with the typed
 * exceptions of this package.
 */
public interface MemcacheClient extends AutoCloseable {

    /** Returns the value, flags and CAS, or null on a miss. */
    CompletableFuture<GetResult> get(byte[] key);

    /**
     * Returns the hits among {@code keys} with their flags and CAS, fetched with one pipelined batch per
     * node (a bulk read for a later {@link #deleteManyIfCas} or compare-and-set).
     */
    CompletableFuture<Map<Key, GetResult>> getMany(Collection<byte[]> keys);

    CompletableFuture<StoreResult> store(StoreMode mode, byte[] key, byte[] value, int flags, int ttlSeconds);

    default CompletableFuture<StoreResult> set(byte[] key, byte[] value, int flags, int ttlSeconds) {
        return store(StoreMode.SET, key, value, flags, ttlSeconds);
    }

    /** Stores only if the item's CAS is still {@code cas}: STORED, EXISTS or NOT_FOUND. */
    CompletableFuture<StoreResult> cas(byte[] key, byte[] value, int flags, int ttlSeconds, long cas);

    /** Sets every entry, pipelined per node; returns the keys that were not stored (normally none). */
    CompletableFuture<Map<Key, StoreResult.Status>> setMany(Map<Key, byte[]> entries, int flags, int ttlSeconds);

    /** Returns true if the key existed. */
    CompletableFuture<Boolean> delete(byte[] key);

    /** Deletes only if the item's CAS is still {@code cas}: STORED (deleted), EXISTS or NOT_FOUND. */
    CompletableFuture<StoreResult.Status> deleteIfCas(byte[] key, long cas);

    /** Deletes every key, pipelined per node; returns how many existed. */
    CompletableFuture<Integer> deleteMany(Collection<byte[]> keys);

    /**
     * As {@link #deleteMany}, for a JCache {@code clear()}: on Memring nodes each delete carries the
     * clear marker ({@code md ... Y}), so mutation streams report it as {@link
     * io.memring.client.watch.MutationKind#CLEARED} (invalidate, no listener event); stock memcached
     * nodes get plain deletes.
     */
    default CompletableFuture<Integer> deleteManyForClear(Collection<byte[]> keys) {
        return deleteMany(keys);
    }

    /**
     * Deletes each key whose item's CAS is still the one given (0 or null: whatever it holds), pipelined per node,
     * and returns each key's outcome: STORED (deleted), EXISTS (changed since read) or NOT_FOUND.
     */
    CompletableFuture<Map<Key, StoreResult.Status>> deleteManyIfCas(Map<Key, Long> expectedCas);

    /**
     * Adds {@code delta} (wrapping at 2^64) and returns the new value, unsigned (values of 2^63 and more
     * come back negative). With {@code initial >= 0} a missing key is created with that value and TTL;
     * otherwise a miss returns null.
     */
    CompletableFuture<Long> incr(byte[] key, long delta, long initial, int ttlSeconds);

    /** Subtracts {@code delta}, flooring at 0; misses as {@link #incr}. */
    CompletableFuture<Long> decr(byte[] key, long delta, long initial, int ttlSeconds);

    /** Sets a new TTL; returns false on a miss. */
    CompletableFuture<Boolean> touch(byte[] key, int ttlSeconds);

    /**
     * Returns the keys of every live item on every node that start with {@code prefix}, from memcached's
     * {@code lru_crawler metadump all}. A full scan of each node: for administration and whole-cache
     * operations, not for hot paths. Scans run on a connection of their own per node, so they never
     * delay other requests; one fails only when its node sends nothing for {@code scanIdleTimeout}, and
     * never counts against the node's health. Fails with {@link NodeUnavailableException} when a node is
     * marked down (a partial list would let a whole-cache delete miss that node's items), and with {@link
     * ServerBusyException} when a node's crawler stays busy with someone else's scan.
     */
    CompletableFuture<List<byte[]>> keysWithPrefix(byte[] prefix);

    /**
     * As {@link #keysWithPrefix}, keeping which node listed each key (a key a replicated cluster holds
     * on several nodes is listed by each of them), in configuration order.
     */
    default CompletableFuture<Map<java.net.InetSocketAddress, List<byte[]>>> keysWithPrefixByNode(byte[] prefix) {
        throw new UnsupportedOperationException("keysWithPrefixByNode");
    }

    /**
     * Deletes {@code keys} on the node at {@code node} only, whatever the ring says, and returns how
     * many it deleted; keys it refuses (a Memring node that is not their owner) count as not deleted and
     * are not sent anywhere else. For removing copies a node should not hold (a replicated cluster's
     * orphans: see the provider's {@code clear()}), not for ordinary deletes.
     */
    default CompletableFuture<Integer> deleteManyOnNode(java.net.InetSocketAddress node, Collection<byte[]> keys) {
        throw new UnsupportedOperationException("deleteManyOnNode");
    }

    /** Runs {@code flush_all} on every node. */
    CompletableFuture<Void> flushAll();

    /** Returns each node's health and load, in configuration order. */
    List<NodeStatus> nodeStatus();

    /** Returns the node that owns {@code key} on the ring, whatever its health. */
    java.net.InetSocketAddress ownerOf(byte[] key);

    /**
     * Waits at most {@code max} until every node has made its first connect attempt (a node that cannot
     * be reached is then marked down, so the first requests fail over); returns whether all were made.
     */
    boolean awaitFirstConnect(java.time.Duration max);

    /** Returns the id this client sends as {@code mr_client} on every connection (random, never 0; 0 = none). */
    default long clientId() {
        return 0;
    }

    /**
     * Subscribes {@code sink} to the mutations of keys starting with {@code prefix} on every node (see
     * {@link io.memring.client.watch}). Multiplexed: one subscription connection per node for all of
     * this client's watches, subscribed to their union, in values mode if any wants values. Returns
     * after every reachable node acknowledged, or the connect timeout passed; never throws because a
     * node is stock memcached or down (see {@link io.memring.client.watch.WatchSubscription#mode()}).
     * A node takes at most 64 prefixes: a larger union is merged into shorter common prefixes (the node
     * sends more; each sink still sees only its own prefix).
     *
     * @throws IllegalArgumentException if the union with {@code prefix} cannot be expressed in 64
     *     prefixes (they would start with more than 64 distinct bytes); the other subscriptions stay
     */
    default io.memring.client.watch.WatchSubscription watch(byte[] prefix, boolean withValues,
                                                            io.memring.client.watch.MutationSink sink) {
        throw new UnsupportedOperationException("this client has no mutation streams");
    }

    /** Returns a blocking view of this client. */
    default BlockingClient blocking() {
        return new BlockingClient(this);
    }

    /** Closes every connection; pending requests fail with {@link ConnectionClosedException}. */
    @Override
    void close();
}
