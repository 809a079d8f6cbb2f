package io.memring.jcache.store;

import static io.memring.jcache.store.RingStore.await;

import io.memring.client.GetResult;
import io.memring.client.MemcacheClient;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import javax.cache.CacheException;

/**
 * {@link RemoteStore} on rings with stock memcached nodes, where deletion by crawl is not exact (the
 * crawler skips items a connection still holds). A cache's identity is its {@link Generation}: entries
 * live under {@code jc:<encoded name>:<generation>:<key>}, and {@link #clear()} bumps the generation
 * instead of deleting, so a cleared or destroyed cache's entries are unreachable at once in every JVM.
 *
 * <p>Every operation sends a read of the generation item in the same pipelined batch as its own
 * requests (one round trip in time, one more request), then checks it: if the generation moved on, a
 * read or a blind write is redone in the new generation, and a conditional write reports a lost race so
 * that the caller re-reads. What an operation did in the old generation is unreachable. Scans list only
 * the current generation, so iteration and {@code removeAll()} never see a cleared entry.
 */
public final class GenerationalStore implements RemoteStore {
    /** Redos when the generation keeps moving (a clear in another JVM per attempt). */
    private static final int MAX_ATTEMPTS = 10;

    private final MemcacheClient client;
    private final byte[] namespace;
    private final Generation generation;
    private final byte[] generationKey;
    /** The store of the generation last used; replaced when the generation moves. */
    private volatile Slice slice;

    /** A generation with its key space. */
    private record Slice(long generation, RingStore store) {
    }

    GenerationalStore(MemcacheClient client, String cacheName, Generation generation) {
        this.client = client;
        this.namespace = RingStore.namespace(cacheName);
        this.generation = generation;
        this.generationKey = Generation.key(cacheName);
        this.slice = sliceOf(generation.refresh()); // the generation as of opening the cache
    }

    private Slice sliceOf(long g) {
        Slice s = slice;
        if (s != null && s.generation() == g) {
            return s;
        }
        byte[] gen = (Long.toString(g, 36) + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] prefix = new byte[namespace.length + gen.length];
        System.arraycopy(namespace, 0, prefix, 0, namespace.length);
        System.arraycopy(gen, 0, prefix, namespace.length, gen.length);
        Slice fresh = new Slice(g, new RingStore(client, prefix));
        slice = fresh;
        return fresh;
    }

    /** The slice of the generation this JVM knows (it may be stale: each operation checks). */
    private Slice current() {
        return sliceOf(generation.known());
    }

    /** An outcome with the generation it was obtained in. */
    private record Checked<R>(R result, boolean current) {
    }

    /** Runs {@code op} in the known generation with the generation read in the same batch. */
    private <R> Checked<R> once(Function<RingStore, R> op) {
        Slice s = current();
        CompletableFuture<GetResult> check = generation.fetch(); // goes out before op's requests
        R r = op.apply(s.store());
        long now = generation.settle(await(check));
        return new Checked<>(r, now == s.generation());
    }

    /** Runs {@code op} until it ran in the current generation: for reads and blind writes. */
    private <R> R inCurrent(Function<RingStore, R> op) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Checked<R> c = once(op);
            if (c.current()) {
                return c.result();
            }
        }
        throw new CacheException("the cache was cleared " + MAX_ATTEMPTS + " times during one operation; try again");
    }

    /** Runs a conditional write once; in an old generation it is a lost race (the caller re-reads). */
    private boolean conditional(Function<RingStore, Boolean> op) {
        Checked<Boolean> c = once(op);
        return c.current() && c.result();
    }

    /** The server key of a cache key in the generation this JVM knows (near cache keys, tests and diagnostics). */
    @Override
    public byte[] serverKey(byte[] keyBytes) {
        return current().store().serverKey(keyBytes);
    }

    /** The prefix of the generation this JVM knows, as {@link #serverKey} uses it. */
    @Override
    public byte[] plainKeyPrefix() {
        return current().store().plainKeyPrefix();
    }

    /** Returns the generation this JVM last saw. */
    public long generation() {
        return generation.known();
    }

    @Override
    public StoredEntry read(byte[] keyBytes) {
        return inCurrent(s -> s.read(keyBytes));
    }

    @Override
    public Map<Integer, StoredEntry> readMany(List<byte[]> keyBytes) {
        return inCurrent(s -> s.readMany(keyBytes));
    }

    @Override
    public void overwrite(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        inCurrent(s -> {
            s.overwrite(keyBytes, value, encoding, expiryMillis, nowMillis);
            return Boolean.TRUE;
        });
    }

    @Override
    public long overwriteVersioned(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return inCurrent(s -> s.overwriteVersioned(keyBytes, value, encoding, expiryMillis, nowMillis));
    }

    @Override
    public boolean add(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return conditional(s -> s.add(keyBytes, value, encoding, expiryMillis, nowMillis));
    }

    @Override
    public long addVersioned(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return conditionalVersioned(s -> s.addVersioned(keyBytes, value, encoding, expiryMillis, nowMillis));
    }

    @Override
    public boolean cas(byte[] keyBytes, StoredEntry current, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return conditional(s -> s.cas(keyBytes, current, value, encoding, expiryMillis, nowMillis));
    }

    @Override
    public long casVersioned(byte[] keyBytes, StoredEntry current, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return conditionalVersioned(s -> s.casVersioned(keyBytes, current, value, encoding, expiryMillis, nowMillis));
    }

    /** A versioned conditional write: in an old generation it is a lost race. */
    private long conditionalVersioned(Function<RingStore, Long> op) {
        Checked<Long> c = once(op);
        return c.current() ? c.result() : NOT_STORED;
    }

    @Override
    public Written overwriteServed(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return inCurrent(s -> s.overwriteServed(keyBytes, value, encoding, expiryMillis, nowMillis));
    }

    @Override
    public Written addServed(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return conditionalServed(s -> s.addServed(keyBytes, value, encoding, expiryMillis, nowMillis));
    }

    @Override
    public Written casServed(byte[] keyBytes, StoredEntry current, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return conditionalServed(s -> s.casServed(keyBytes, current, value, encoding, expiryMillis, nowMillis));
    }

    /** {@link #conditionalVersioned} with the node that applied the write. */
    private Written conditionalServed(Function<RingStore, Written> op) {
        Checked<Written> c = once(op);
        return c.current() ? c.result() : new Written(NOT_STORED, null);
    }

    /** Every generation's entries, and the generation item (a clear in another JVM moves it). */
    @Override
    public List<byte[]> watchPrefixes() {
        return List.of(namespace.clone(), generationKey.clone());
    }

    @Override
    public boolean remove(byte[] keyBytes, StoredEntry current) {
        return conditional(s -> s.remove(keyBytes, current));
    }

    /** In an old generation nothing counts as removed: each entry then takes the caller's single-key path. */
    @Override
    public Set<Integer> removeMany(List<KeyedEntry> entries) {
        Checked<Set<Integer>> c = once(s -> s.removeMany(entries));
        return c.current() ? c.result() : Set.of();
    }

    @Override
    public void delete(byte[] keyBytes) {
        inCurrent(s -> {
            s.delete(keyBytes);
            return Boolean.TRUE;
        });
    }

    /**
     * Lists the current generation's keys; each page is read with the generation, and the scan ends
     * early (as if empty) once the cache has been cleared.
     */
    @Override
    public Iterator<List<KeyedEntry>> scan(int pageSize) {
        Slice s = sliceOf(generation.refresh());
        Iterator<List<KeyedEntry>> pages = s.store().scan(pageSize);
        return new Iterator<>() {
            private boolean cleared;

            @Override
            public boolean hasNext() {
                return !cleared && pages.hasNext();
            }

            @Override
            public List<KeyedEntry> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                CompletableFuture<GetResult> check = generation.fetch();
                List<KeyedEntry> page = pages.next();
                if (generation.settle(await(check)) != s.generation()) {
                    cleared = true;
                    return List.of();
                }
                return page;
            }
        };
    }

    /** A new generation: one {@code incr}; the old entries stay on the nodes until LRU evicts them. */
    @Override
    public void clear() {
        generation.bump();
    }
}
