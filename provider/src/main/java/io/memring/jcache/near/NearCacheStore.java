package io.memring.jcache.near;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.Ticker;
import io.memring.client.Key;
import io.memring.jcache.store.RemoteStore;
import io.memring.jcache.store.RemoteStore.Written;
import io.memring.jcache.store.StoredEntry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RemoteStore} with a near cache in front: recently read or written entries of this JVM, as
 * bytes with their encoding, expiry and version (never live objects, so every hit is still
 * deserialized: store-by-value), in a bounded Caffeine cache.
 *
 * <p><b>Time bound.</b> An entry installed while invalidations could not be trusted (mode
 * {@code BEST_EFFORT} or {@code NONE}) dies {@code ttlMillis} after it was installed: that is the
 * staleness bound. An entry installed in mode {@code PUSH} (its node live) lives until it is invalidated,
 * its node is reset, the size bound evicts it or the entry's own JCache expiry passes (checked by the
 * cache on every hit); only a safety net of {@link #PUSH_SAFETY_NET_MILLIS} (or {@code ttlMillis} if
 * longer) bounds it in time, against a defect that would lose an event without a gap. A node that stops
 * pushing (disconnect, new boot, stock memcached after a restart) is reset first, so a {@code PUSH}
 * entry never outlives its node's stream.
 *
 * <p><b>Reservations.</b> Every operation on a key takes a fresh reservation before it sends anything;
 * a result (a read's entry, a write's new value and version) is installed only if that reservation is
 * still the key's: no invalidation for the key arrived, no later local operation on the key started,
 * no reset or clear happened, and the key's node was {@linkplain InvalidationFeed#live live} on the
 * feed both when the reservation was taken and at the install, and that node is the one that served the
 * result (a read retried on a replica, or a write that failed over, installs nothing) (in mode {@code PUSH}; in {@code BEST_EFFORT}/{@code NONE} the TTL is the bound and results are
 * installed regardless). Install and invalidation of one key are serialized by the reservation map's
 * per-key lock, so an invalidation is never overtaken by a stale install. A write whose install fails
 * (two local writes raced, or an invalidation arrived) invalidates the key rather than guess the order;
 * a lost conditional write invalidates it too.
 *
 * <p><b>Resets.</b> A reset or flush of a node drops that node's entries and cancels every
 * reservation in flight (an epoch); {@link #clear()} drops everything. Both are synchronous. Other
 * CacheManagers of this JVM on the same ring are invalidated at once ({@link LocalPeers}).
 */
public final class NearCacheStore implements RemoteStore, NearListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NearCacheStore.class);
    /**
     * How long an entry installed under pushed invalidations lives at most (unless {@code ttlMillis} is
     * longer): an hour, so that a hot key costs one extra round trip per hour, while a defect that lost an
     * invalidation without a gap is not served forever.
     */
    public static final long PUSH_SAFETY_NET_MILLIS = 3_600_000;
    /** One lookup in this many (a power of two) is recorded in Caffeine's eviction policy ({@link #lookup}). */
    static final int RECORD_ONE_IN = 16;

    private final RemoteStore inner;
    private final String cacheName;
    private final String ringId;
    /** Keyed by {@link ByteKey}; looked up also by {@link AsciiKey} (a hit's probe equal to the ByteKey it stands for). */
    private final Cache<Object, Near> near;
    /** {@code near}'s policy: lookups that leave the eviction policy alone ({@link #lookup}). */
    private final Policy<Object, Near> quiet;
    private final ConcurrentHashMap<ByteKey, Reservation> reservations = new ConcurrentHashMap<>();
    private final AtomicLong epoch = new AtomicLong();
    private final NearCacheStats stats;
    /** Where the entries' server keys start (the first watch prefix), or null for a store off a ring. */
    private final byte[] entriesPrefix;
    /** The other watch prefixes: single items (a generation item) whose change concerns the whole cache. */
    private final List<byte[]> wholeCacheKeys;
    private volatile InvalidationFeed feed;
    private volatile boolean closed;

    /** Where {@link #plainKeyPrefix} was last seen, with its hash (a generational store's prefix changes on a clear). */
    private volatile PrefixHash prefixHash = new PrefixHash(null, 0);

    /** A prefix array (compared by identity) and {@link Arrays#hashCode(byte[])} of it. */
    private record PrefixHash(byte[] prefix, int hash) {
    }

    /**
     * A near entry under its key (a sampled hit records the access by it: {@link #lookup}), the node it came from (a reset of that node drops it), and whether it was installed
     * under pushed invalidations (then only the safety net bounds it in time, otherwise {@code ttlMillis}).
     */
    private record Near(ByteKey key, StoredEntry entry, InetSocketAddress node, boolean pushed) {
    }

    /** Per entry: the TTL from its install (created or replaced); a hit does not extend it. */
    private record NearExpiry(long ttlNanos, long pushedNanos) implements Expiry<Object, Near> {
        @Override
        public long expireAfterCreate(Object key, Near value, long currentTime) {
            return value.pushed() ? pushedNanos : ttlNanos;
        }

        @Override
        public long expireAfterUpdate(Object key, Near value, long currentTime, long currentDuration) {
            return value.pushed() ? pushedNanos : ttlNanos;
        }

        @Override
        public long expireAfterRead(Object key, Near value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }

    /**
     * One operation's claim on a key, compared by identity; {@code epoch} as it was when taken, the key's
     * node, whether that node's stream was trusted then, and whether it was trusted as pushed (mode
     * {@code PUSH}, the node live).
     */
    private static final class Reservation {
        final long epoch;
        final InetSocketAddress node;
        final boolean trustedWhenTaken;
        final boolean pushedWhenTaken;

        Reservation(long epoch, InetSocketAddress node, InvalidationFeed.Mode modeWhenTaken) {
            this.epoch = epoch;
            this.node = node;
            this.trustedWhenTaken = modeWhenTaken != null;
            this.pushedWhenTaken = modeWhenTaken == InvalidationFeed.Mode.PUSH;
        }
    }

    private NearCacheStore(RemoteStore inner, String cacheName, String ringId, int maxEntries, long ttlMillis, Ticker ticker) {
        this.inner = inner;
        this.cacheName = cacheName;
        this.ringId = ringId;
        this.near = Caffeine.newBuilder()
                .maximumSize(maxEntries)
                .expireAfter(new NearExpiry(Duration.ofMillis(ttlMillis).toNanos(),
                        Duration.ofMillis(Math.max(ttlMillis, PUSH_SAFETY_NET_MILLIS)).toNanos()))
                .executor(Runnable::run) // maintenance on the caller: no surprise threads, deterministic in tests
                .ticker(ticker)
                .build();
        this.quiet = near.policy();
        this.stats = new NearCacheStats(near::estimatedSize, this::mode);
        List<byte[]> prefixes = inner.watchPrefixes();
        this.entriesPrefix = prefixes.isEmpty() ? null : prefixes.get(0).clone();
        this.wholeCacheKeys = prefixes.size() < 2 ? List.of() : List.copyOf(prefixes.subList(1, prefixes.size()));
    }

    /**
     * Wraps {@code inner} with a near cache of at most {@code maxEntries} entries, subscribed to
     * {@code source} for the store's prefixes; an entry installed while invalidations cannot be trusted is
     * dropped {@code ttlMillis} after it was installed (see the class comment for {@code PUSH} mode).
     */
    public static NearCacheStore open(RemoteStore inner, String cacheName, InvalidationSource source, int maxEntries, long ttlMillis,
                                      Ticker ticker) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("a near cache needs room for an entry");
        }
        NearCacheStore store = new NearCacheStore(inner, cacheName, source.ringId(), maxEntries, ttlMillis, ticker);
        store.feed = source.subscribe(inner.watchPrefixes(), store);
        LocalPeers.join(store.ringId, cacheName, store);
        InvalidationFeed.Mode mode = store.feed.mode();
        log.info("cache {}: near cache of {} entries, {} ms TTL, invalidations {}", cacheName, maxEntries, ttlMillis,
                switch (mode) {
                    case PUSH -> "pushed by every node (PUSH): entries live until invalidated, evicted or expired (safety net "
                            + Math.max(ttlMillis, PUSH_SAFETY_NET_MILLIS) + " ms)";
                    case BEST_EFFORT -> "best effort (BEST_EFFORT: stock memcached's watch): staleness bounded by the TTL";
                    case NONE -> "unavailable (NONE): staleness bounded by the TTL";
                });
        return store;
    }

    /** Returns this near cache's counts. */
    public NearCacheStats stats() {
        return stats;
    }

    /** Returns how far invalidations are trusted now. */
    public InvalidationFeed.Mode mode() {
        InvalidationFeed f = feed;
        return f == null ? InvalidationFeed.Mode.NONE : f.mode();
    }

    /** Returns the store behind the near cache. */
    public RemoteStore inner() {
        return inner;
    }

    // ------------------------------------------------------------------ lookups

    /**
     * The near entry of {@code key} (a {@link ByteKey} or an {@link AsciiKey}), or null (none, or past
     * its near TTL). Every lookup is quiet (the map and the TTL only); one hit in {@value #RECORD_ONE_IN}
     * then tells Caffeine's eviction policy about the access ({@code getIfPresent} by the entry's own key:
     * read buffer, frequency sketch, and on a full buffer its maintenance on this thread). Recording every
     * hit cost more than the rest of a hit together (JMH, benchmarks/README.md). Caffeine's read buffer
     * drops reads under load by design; a sample chosen at random (not every n-th, which a cyclic access
     * pattern could align with) keeps hot keys' frequency and recency ahead of keys read once. The probe
     * never reaches Caffeine's own code, so the JIT can drop its allocation (escape analysis).
     */
    private Near lookup(Object key) {
        Near n = quiet.getIfPresentQuietly(key);
        if (n != null && (ThreadLocalRandom.current().nextInt() & (RECORD_ONE_IN - 1)) == 0) {
            near.getIfPresent(n.key());
        }
        return n;
    }

    // ------------------------------------------------------------------ reservations

    private ByteKey nearKey(byte[] keyBytes) {
        return new ByteKey(inner.serverKey(keyBytes));
    }

    /**
     * Takes the key's reservation, superseding any earlier one (an operation in flight then installs nothing).
     * The node's stream must be trusted already now: a push lost while it was down is not followed by a
     * reset once it is back (same boot), so an answer that left the node meanwhile must not be installed.
     */
    private Reservation reserve(ByteKey k) {
        InvalidationFeed f = feed;
        InetSocketAddress node = f == null ? null : f.ownerOf(k.bytes());
        Reservation r = new Reservation(epoch.get(), node, installMode(node));
        reservations.put(k, r);
        return r;
    }

    /** Gives the reservation up without installing. */
    private void release(ByteKey k, Reservation r) {
        reservations.remove(k, r);
    }

    /**
     * The mode a result from {@code node} is installed under, or null if it may not be installed: in
     * {@code PUSH} only while the node is live; otherwise always (the TTL bounds staleness). One read of
     * the mode decides both, so an entry is never marked pushed unless its node was live.
     */
    private InvalidationFeed.Mode installMode(InetSocketAddress node) {
        InvalidationFeed f = feed;
        if (f == null || closed) {
            return null;
        }
        InvalidationFeed.Mode mode = f.mode();
        if (mode == InvalidationFeed.Mode.PUSH && (node == null || !f.live(node))) {
            return null;
        }
        return mode;
    }

    /**
     * Installs {@code entry} if {@code r} is still the key's reservation (see the class comment) and
     * {@code servedBy}, the node that answered, is the reservation's node (null: the store cannot tell);
     * gives the reservation up either way. Returns whether it was installed.
     */
    private boolean install(ByteKey k, Reservation r, StoredEntry entry, InetSocketAddress servedBy) {
        InetSocketAddress node = r.node;
        boolean[] installed = {false};
        reservations.computeIfPresent(k, (key, current) -> {
            if (current != r) {
                return current; // a later operation owns the key now
            }
            InvalidationFeed.Mode mode = epoch.get() == r.epoch && r.trustedWhenTaken && servedByReserved(r, servedBy)
                    ? installMode(node) : null;
            if (mode != null) {
                // pushed only if the stream was live from the reservation on: otherwise the TTL bounds it
                near.put(key, new Near(key, entry, node, r.pushedWhenTaken && mode == InvalidationFeed.Mode.PUSH));
                installed[0] = true;
            }
            return null;
        });
        if (installed[0] && epoch.get() != r.epoch) {
            // a reset or clear began after the check: its sweep may have run before the put
            near.invalidate(k);
            return false;
        }
        if (installed[0]) {
            stats.installed();
        }
        return installed[0];
    }

    /**
     * Whether the answer came from the node the reservation follows. A read retried on a replica after a
     * timeout, or routed past a node this client holds down, or a write that failed over, was served by
     * a node whose pushes this reservation did not watch (and whose reset would not drop the entry): the
     * replica may not have applied a write whose push already reached us. Null = the store cannot tell
     * (stores off a ring, test stores): the reservation's node is assumed.
     */
    private static boolean servedByReserved(Reservation r, InetSocketAddress servedBy) {
        return servedBy == null || r.node == null || servedBy.equals(r.node);
    }

    /** Drops the key's entry and any reservation on it, atomically with respect to installs. */
    private void drop(ByteKey k) {
        reservations.compute(k, (key, current) -> {
            near.invalidate(key);
            return null;
        });
    }

    /** Ends a local write: install the new entry, or invalidate; peers in this JVM are invalidated. */
    private void afterWrite(byte[] keyBytes, ByteKey k, Reservation r, StoredEntry written, InetSocketAddress servedBy) {
        if (written == null || !install(k, r, written, servedBy)) {
            drop(k);
        }
        LocalPeers.invalidate(ringId, cacheName, this, keyBytes);
    }

    // ------------------------------------------------------------------ reads

    @Override
    public StoredEntry read(byte[] keyBytes) {
        ByteKey k = nearKey(keyBytes);
        Near n = lookup(k);
        if (n != null) {
            stats.hit();
            return copy(n.entry());
        }
        stats.misses(1);
        Reservation r = reserve(k);
        StoredEntry e;
        try {
            e = inner.read(keyBytes);
        } catch (RuntimeException ex) {
            release(k, r);
            throw ex;
        }
        if (e == null || e.isForeign()) {
            release(k, r);
        } else {
            install(k, r, e, e.node());
        }
        return e;
    }

    @Override
    public Map<Integer, StoredEntry> readMany(List<byte[]> keyBytes) {
        Map<Integer, StoredEntry> out = new HashMap<>();
        List<Integer> missing = new ArrayList<>();
        List<byte[]> missingKeys = new ArrayList<>();
        List<ByteKey> nearKeys = new ArrayList<>();
        List<Reservation> held = new ArrayList<>();
        for (int i = 0; i < keyBytes.size(); i++) {
            ByteKey k = nearKey(keyBytes.get(i));
            Near n = lookup(k);
            if (n != null) {
                stats.hit();
                out.put(i, copy(n.entry()));
            } else {
                missing.add(i);
                missingKeys.add(keyBytes.get(i));
                nearKeys.add(k);
                held.add(reserve(k));
            }
        }
        if (missing.isEmpty()) {
            return out;
        }
        stats.misses(missing.size());
        Map<Integer, StoredEntry> found;
        try {
            found = inner.readMany(missingKeys);
        } catch (RuntimeException ex) {
            for (int j = 0; j < nearKeys.size(); j++) {
                release(nearKeys.get(j), held.get(j));
            }
            throw ex;
        }
        for (int j = 0; j < missing.size(); j++) {
            StoredEntry e = found.get(j);
            if (e == null) {
                release(nearKeys.get(j), held.get(j));
                continue;
            }
            install(nearKeys.get(j), held.get(j), e, e.node());
            out.put(missing.get(j), e);
        }
        return out;
    }

    /**
     * Returns the near copy of {@code keyBytes} (a cache key), with its own value bytes, or null; counts
     * nothing and never reads the nodes. For a caller that answers a read from it without a transaction
     * (MemringCache's near-hit path): it calls {@link #countHit()} when it served the entry, and otherwise
     * falls back to {@link #read}, which counts for itself.
     */
    public StoredEntry peek(byte[] keyBytes) {
        return peek(lookupKey(keyBytes), false);
    }

    /**
     * {@link #peek} without the copy: the near entry itself, for a caller whose deserializer always builds
     * new objects from the bytes and never hands them out (so no caller can change the near copy). The
     * caller must not write into the returned value bytes.
     */
    public StoredEntry peekShared(byte[] keyBytes) {
        return peek(lookupKey(keyBytes), true);
    }

    /**
     * {@link #peek} ({@code shared} false) or {@link #peekShared} (true) by a key from
     * {@link #lookupKey(byte[])} or {@link #lookupKey(byte, String)}.
     */
    public StoredEntry peek(Object lookupKey, boolean shared) {
        Near n = lookup(lookupKey);
        return n == null ? null : shared ? n.entry() : copy(n.entry());
    }

    /** Returns the key {@link #peek(Object, boolean)} finds the near copy of {@code keyBytes} (a cache key) by. */
    public Object lookupKey(byte[] keyBytes) {
        return nearKey(keyBytes);
    }

    /**
     * Returns a key {@link #peek(Object, boolean)} finds the near copy of a String cache key by without
     * serializing it, or null when this needs the serialized form ({@link #lookupKey(byte[])}). Only for a
     * key whose serialized form is {@code tag} followed by its UTF-8 bytes (the built-in serializers):
     * the lookup key is then equal (same hash, same bytes) to the server key {@link #lookupKey(byte[])}
     * would build, and only when the server key is the store's plain prefix + those bytes, i.e. an
     * all-ASCII key (one byte per char, no encoding choices) short enough never to be hashed
     * ({@link RemoteStore#plainKeyPrefix}). Any other key, or a store without a plain prefix, gets null.
     */
    public Object lookupKey(byte tag, String key) {
        byte[] prefix = inner.plainKeyPrefix();
        if (prefix == null) {
            return null;
        }
        int length = prefix.length + 1 + key.length();
        if (length > Key.MAX_BASE64_LENGTH) {
            return null; // may be hashed, or need printable checks: the serialized path decides
        }
        PrefixHash ph = prefixHash;
        if (ph.prefix() != prefix) {
            ph = new PrefixHash(prefix, Arrays.hashCode(prefix));
            prefixHash = ph;
        }
        int h = 31 * ph.hash() + tag;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c >= 0x80) {
                return null; // UTF-8 needs more than this char: the serialized path
            }
            h = 31 * h + c;
        }
        return new AsciiKey(prefix, tag, key, h);
    }

    /** Counts a near hit served from {@link #peek} or {@link #peekShared}. */
    public void countHit() {
        stats.hit();
    }

    /**
     * A hit's entry with its own value bytes: a serializer that hands the bytes it was given out (a
     * {@code byte[]} value) must not let a caller change the near copy.
     */
    private static StoredEntry copy(StoredEntry e) {
        return new StoredEntry(e.value().clone(), e.encoding(), e.expiryMillis(), e.cas());
    }

    // ------------------------------------------------------------------ writes

    /** A write's outcome as the entry now on the node, or null (not stored, or stored with an unknown version). */
    private static StoredEntry written(long version, byte[] value, int encoding, long expiryMillis) {
        return version > 0 ? new StoredEntry(value.clone(), encoding, expiryMillis, version) : null;
    }

    @Override
    public void overwrite(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        overwriteVersioned(keyBytes, value, encoding, expiryMillis, nowMillis);
    }

    @Override
    public long overwriteVersioned(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return writeThrough(keyBytes, value, encoding, expiryMillis, () -> inner.overwriteServed(keyBytes, value, encoding, expiryMillis, nowMillis));
    }

    @Override
    public boolean add(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return addVersioned(keyBytes, value, encoding, expiryMillis, nowMillis) != RemoteStore.NOT_STORED;
    }

    @Override
    public long addVersioned(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return writeThrough(keyBytes, value, encoding, expiryMillis, () -> inner.addServed(keyBytes, value, encoding, expiryMillis, nowMillis));
    }

    @Override
    public boolean cas(byte[] keyBytes, StoredEntry current, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return casVersioned(keyBytes, current, value, encoding, expiryMillis, nowMillis) != RemoteStore.NOT_STORED;
    }

    @Override
    public long casVersioned(byte[] keyBytes, StoredEntry current, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return writeThrough(keyBytes, value, encoding, expiryMillis, () -> inner.casServed(keyBytes, current, value, encoding, expiryMillis, nowMillis));
    }

    /** One of the inner store's versioned writes, sent with the key reserved; its result installed (or the key invalidated). */
    private long writeThrough(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, Supplier<Written> write) {
        ByteKey k = nearKey(keyBytes);
        Reservation r = reserve(k);
        Written w = null;
        try {
            w = write.get();
            return w.version();
        } finally {
            afterWrite(keyBytes, k, r, w == null ? null : written(w.version(), value, encoding, expiryMillis), w == null ? null : w.node());
        }
    }

    @Override
    public boolean remove(byte[] keyBytes, StoredEntry current) {
        ByteKey k = nearKey(keyBytes);
        reserve(k);
        try {
            return inner.remove(keyBytes, current);
        } finally {
            drop(k); // removed, or a lost race: either way the near copy is no good
            LocalPeers.invalidate(ringId, cacheName, this, keyBytes);
        }
    }

    @Override
    public Set<Integer> removeMany(List<KeyedEntry> entries) {
        List<ByteKey> keys = new ArrayList<>(entries.size());
        for (KeyedEntry e : entries) {
            ByteKey k = nearKey(e.keyBytes());
            keys.add(k);
            reserve(k);
        }
        try {
            return inner.removeMany(entries);
        } finally {
            for (int i = 0; i < keys.size(); i++) {
                drop(keys.get(i));
                LocalPeers.invalidate(ringId, cacheName, this, entries.get(i).keyBytes());
            }
        }
    }

    @Override
    public void delete(byte[] keyBytes) {
        ByteKey k = nearKey(keyBytes);
        reserve(k);
        try {
            inner.delete(keyBytes);
        } finally {
            drop(k);
            LocalPeers.invalidate(ringId, cacheName, this, keyBytes);
        }
    }

    /** Iteration reads the nodes (a scan is no near-cache read); what it removes goes through {@link #remove}. */
    @Override
    public Iterator<List<KeyedEntry>> scan(int pageSize) {
        return inner.scan(pageSize);
    }

    /** Clears the nodes, then this near cache and the other CacheManagers' in this JVM, before returning. */
    @Override
    public void clear() {
        try {
            inner.clear();
        } finally {
            clearNear();
            LocalPeers.clear(ringId, cacheName, this);
        }
    }

    @Override
    public byte[] serverKey(byte[] keyBytes) {
        return inner.serverKey(keyBytes);
    }

    @Override
    public List<byte[]> watchPrefixes() {
        return inner.watchPrefixes();
    }

    // ------------------------------------------------------------------ what the nodes and peers say

    /**
     * Whether {@code serverKey} is under the first watch prefix, where the entries are
     * ({@link RemoteStore#watchPrefixes()}); stores off a ring have none, and every key counts as an entry.
     */
    private boolean underEntries(byte[] serverKey) {
        if (entriesPrefix == null) {
            return true;
        }
        return serverKey.length >= entriesPrefix.length
                && Arrays.equals(serverKey, 0, entriesPrefix.length, entriesPrefix, 0, entriesPrefix.length);
    }

    /** Drops everything and cancels every reservation in flight. */
    private void clearNear() {
        epoch.incrementAndGet();
        near.invalidateAll();
        stats.cleared();
    }

    @Override
    public void invalidate(byte[] serverKey) {
        if (!underEntries(serverKey)) {
            // The cache's generation item (stock rings) moved, i.e. a clear elsewhere. Only that exact key:
            // the watch is by prefix, so cache "c" also hears "jcg:cd", another cache's generation item.
            for (byte[] whole : wholeCacheKeys) {
                if (Arrays.equals(whole, serverKey)) {
                    clearNear();
                    return;
                }
            }
            return;
        }
        if (inner.inNewerKeySpace(serverKey)) {
            // another JVM cleared the cache (a new generation) and wrote since: every entry here is from
            // the old generation, and stock memcached's watch never reported the clear itself
            clearNear();
            return;
        }
        drop(new ByteKey(serverKey));
        stats.invalidated(); // counted once done: whoever sees the count sees the entry gone
    }

    @Override
    public void flushed(InetSocketAddress node) {
        dropNode(node);
        log.info("cache {}: node {} flushed; dropped its near entries", cacheName, node);
    }

    @Override
    public void reset(InetSocketAddress node, String reason) {
        dropNode(node);
        log.info("cache {}: events from {} may have been lost ({}); dropped its near entries", cacheName, node, reason);
    }

    /** Drops the entries that came from {@code node} (all, if null) and cancels every reservation in flight. */
    private void dropNode(InetSocketAddress node) {
        epoch.incrementAndGet();
        if (node == null) {
            near.invalidateAll();
        } else {
            near.asMap().values().removeIf(n -> node.equals(n.node()));
        }
        stats.reset();
    }

    /** A write or remove of another CacheManager in this JVM (by cache key: its server key may differ). */
    void invalidateFromPeer(byte[] keyBytes) {
        drop(nearKey(keyBytes));
        stats.invalidated();
    }

    /** A clear of another CacheManager in this JVM. */
    void clearFromPeer() {
        clearNear();
    }

    /** Stops listening and drops every entry; the store behind stays open (the CacheManager owns it). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LocalPeers.leave(ringId, cacheName, this);
        InvalidationFeed f = feed;
        if (f != null) {
            f.close();
        }
        epoch.incrementAndGet();
        near.invalidateAll();
        reservations.clear();
    }

    /** Returns whether the near cache holds {@code keyBytes} (a cache key) now (tests and diagnostics). */
    public boolean holds(byte[] keyBytes) {
        return near.getIfPresent(nearKey(keyBytes)) != null;
    }

    /** Returns how many reservations are outstanding (tests: every operation gives its reservation up). */
    int pendingReservations() {
        return reservations.size();
    }

    /** Returns the entries held now (tests and diagnostics). */
    public long size() {
        near.cleanUp();
        return near.estimatedSize();
    }

    @Override
    public String toString() {
        return "NearCacheStore[" + cacheName + ", " + stats + "]";
    }
}
