package io.memring.jcache;

import io.memring.jcache.configuration.FrozenConfiguration;
import io.memring.jcache.configuration.MemringConfiguration;
import io.memring.jcache.event.EventDispatcher;
import io.memring.jcache.management.CacheMXBeans;
import io.memring.jcache.management.CacheStatistics;
import io.memring.jcache.near.NearCacheStore;
import io.memring.jcache.processor.EntryProcessors;
import io.memring.jcache.processor.ProcessorEntry;
import io.memring.jcache.serialization.Serializer;
import io.memring.jcache.store.RemoteStore;
import io.memring.jcache.store.StoredEntry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.LongSupplier;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.integration.CacheWriterException;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cache whose entries live in a {@link RemoteStore} (the ring). Every single-key operation reads
 * the key's entry, decides what the spec says should happen (writer, expiry policy, events,
 * statistics), and applies it with one conditional write (add, CAS set or CAS delete); if another
 * client changed the key in between, it reads again and retries, so operations are atomic across
 * JVMs ({@link KeyTransactions}). Many-key operations read and delete in pipelined batches. The
 * collaborators are assembled by {@link CacheFactory}; this class only coordinates them.
 */
public final class MemringCache<K, V> implements Cache<K, V> {
    private static final Logger log = LoggerFactory.getLogger(MemringCache.class);
    private static final Object RETRY = KeyTransactions.RETRY;
    private static final Object DONE = KeyTransactions.DONE;
    /** Entries read (and deleted) at once by iteration and {@code removeAll()}. */
    static final int PAGE_SIZE = BulkRemoval.PAGE_SIZE;

    /** Which timings an operation records: a READ its get time always; any operation its put/remove time when it put/removed. */
    private enum Kind {
        READ, WRITE
    }

    /** Who supplies a value being stored: it decides whether the writer runs and whether it counts as a put. */
    private enum Source {
        /** A caller's put: written through, counted. */
        CALLER,
        /** putAll/loadAll: the writer already saw the batch (or none applies); counted. */
        BULK,
        /** Read-through: not written through, not counted as a put. */
        LOADER
    }

    private final String name;
    private final MemringCacheManager manager;
    private final MemringConfiguration<K, V> configuration;
    private final RemoteStore store;
    /** The store when it is a near cache (gets may be answered from it without a transaction), else null. */
    private final NearCacheStore near;
    /** Whether a near hit may be deserialized from the near cache's own bytes (see EntryCodec#decodesIntoNewObjects). */
    private final boolean sharedNearBytes;
    /** The codec's tag for String keys serialized as their UTF-8 bytes (0: none); such keys are looked up without serializing. */
    private final byte stringKeyTag;
    private final EntryCodec<K, V> codec;
    private final Integration<K, V> integration;
    private final Expiry expiry;
    private final EventDispatcher<K, V> events;
    private final CacheStatistics statistics;
    private final CacheMXBeans mxBeans;
    private final Executor loadExecutor;
    private final LongSupplier clock;
    private final KeyTransactions<K, V> transactions;
    private final BulkRemoval<K, V> bulkRemoval;
    private final CacheParts<K, V> parts;
    private volatile boolean closed;

    MemringCache(String name, MemringCacheManager manager, MemringConfiguration<K, V> configuration, CacheParts<K, V> parts) {
        this.name = name;
        this.manager = manager;
        this.configuration = configuration;
        this.parts = parts;
        this.store = parts.store();
        this.near = store instanceof NearCacheStore n ? n : null;
        this.sharedNearBytes = parts.codec().decodesIntoNewObjects();
        this.stringKeyTag = parts.codec().stringKeyTag();
        this.codec = parts.codec();
        this.integration = parts.integration();
        this.expiry = parts.expiry();
        this.events = parts.events();
        this.statistics = parts.statistics();
        this.mxBeans = parts.mxBeans();
        this.loadExecutor = parts.loadExecutor();
        this.clock = parts.clock();
        this.transactions = new KeyTransactions<>(store, codec, events, statistics, integration, clock);
        this.bulkRemoval = new BulkRemoval<>(parts, this::removeOne);
        events.bind(this);
        setStatisticsEnabled(configuration.isStatisticsEnabled());
        setManagementEnabled(configuration.isManagementEnabled());
    }

    // ------------------------------------------------------------------ the operation skeleton

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("cache " + name + " is closed");
        }
    }

    /** The checks of an operation that stores {@code value} under {@code key}. */
    private void requireEntry(K key, V value) {
        requireOpen();
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        checkTypes(key, value);
    }

    private void requireKeys(Set<? extends K> keys) {
        requireOpen();
        Objects.requireNonNull(keys, "keys");
        for (K k : keys) {
            Objects.requireNonNull(k, "keys contains null");
        }
    }

    private void checkTypes(K key, V value) {
        Class<K> kt = configuration.getKeyType();
        Class<V> vt = configuration.getValueType();
        if (kt != Object.class && !kt.isInstance(key)) {
            throw new ClassCastException("key " + key + " is not a " + kt.getName());
        }
        if (vt != Object.class && !vt.isInstance(value)) {
            throw new ClassCastException("value " + value + " is not a " + vt.getName());
        }
    }

    private long now() {
        return clock.getAsLong();
    }

    /**
     * Every single-key operation: refuses a closed cache and a null key, runs {@code body} as an
     * atomic transaction on the key (retried after lost races), and records the committed attempt's
     * timings.
     */
    private <R> R onKey(K key, Kind kind, Function<KeyTransactions<K, V>.Attempt, Object> body) {
        requireOpen();
        Objects.requireNonNull(key, "key");
        long start = System.nanoTime();
        long[] writes = new long[2];
        R result = transactions.run(key, a -> {
            Object r = body.apply(a);
            if (r != RETRY) {
                writes[0] = a.puts;
                writes[1] = a.removals;
            }
            return r;
        });
        if (kind == Kind.READ) {
            statistics.getTime(start);
        }
        if (writes[0] > 0) {
            statistics.putTime(start);
        }
        if (writes[1] > 0) {
            statistics.removeTime(start);
        }
        return result;
    }

    // ------------------------------------------------------------------ the decisions operations share

    /**
     * Stores a new entry where there was none: writer (for a caller's value), creation expiry, CREATED
     * event. Returns TRUE if stored, FALSE if the policy made it expire at once (not stored), RETRY
     * after a lost race.
     */
    private Object create(KeyTransactions<K, V>.Attempt a, V value, Source source) {
        if (source == Source.CALLER) {
            a.writeThrough(value);
        }
        long exp = expiry.forCreation(a.now);
        if (Expiry.isExpired(exp, a.now)) {
            return Boolean.FALSE;
        }
        if (!a.write(value, exp)) {
            return RETRY;
        }
        if (source != Source.LOADER) {
            a.puts++;
        }
        a.batch.created(a.key, value);
        return Boolean.TRUE;
    }

    /** Replaces the present entry's value: writer, update expiry, UPDATED event. Returns DONE or RETRY. */
    private Object update(KeyTransactions<K, V>.Attempt a, V value, Source source) {
        V old = a.value();
        if (source == Source.CALLER) {
            a.writeThrough(value);
        }
        if (!a.write(value, a.keepOr(expiry.forUpdate(a.now)))) {
            return RETRY;
        }
        a.puts++;
        a.batch.updated(a.key, value, old);
        return DONE;
    }

    /**
     * put's decision: update a readable entry, else create (replacing a foreign item or an entry this
     * cache cannot read, which must not make the key unwritable).
     */
    private Object store(KeyTransactions<K, V>.Attempt a, V value, Source source) {
        return a.readable() ? update(a, value, source) : create(a, value, source);
    }

    /** Deletes the present entry (no writer: callers decide): REMOVED event. Returns DONE or RETRY. */
    private Object delete(KeyTransactions<K, V>.Attempt a) {
        V old = a.value();
        if (!a.remove()) {
            return RETRY;
        }
        a.removals++;
        a.batch.removed(a.key, old);
        return DONE;
    }

    /** A read hit: applies the access expiry. Returns DONE or RETRY. */
    private Object access(KeyTransactions<K, V>.Attempt a) {
        return a.touch(expiry.forAccess(a.now)) ? DONE : RETRY;
    }

    /** get's decision: the value (access expiry), or read-through on a miss. */
    private Object read(KeyTransactions<K, V>.Attempt a) {
        if (a.present()) {
            V v = a.value();
            if (access(a) == RETRY) {
                return RETRY;
            }
            a.hits++;
            return v;
        }
        a.misses++;
        if (!integration.readThrough()) {
            return DONE;
        }
        V loaded = integration.load(a.key);
        if (loaded == null) {
            return DONE;
        }
        Object r = create(a, loaded, Source.LOADER);
        return r == Boolean.TRUE ? loaded : r == RETRY ? RETRY : DONE;
    }

    // ------------------------------------------------------------------ reads

    @Override
    public V get(K key) {
        requireOpen();
        Objects.requireNonNull(key, "key");
        if (near != null) {
            V hit = nearHit(key);
            if (hit != null) {
                return hit;
            }
        }
        return onKey(key, Kind.READ, this::read);
    }

    /**
     * get answered from the near cache without a transaction: a live near entry is a hit with exactly
     * the slow path's effects (one access-expiry call, a changed access expiry written remotely with a
     * CAS on the entry read, a cache hit and the get time), deserialized per hit. A lock-free read is
     * enough: with the access expiry unchanged nothing is written, and a write is a CAS on the near
     * entry's version, as the transaction's would be. Returns null, having changed nothing, when the
     * slow path must decide: no near entry (a miss: read-through), an expired one (its EXPIRED event),
     * or a lost CAS on the access expiry (the slow path then retries as its own lost race would, asking
     * the policy again).
     */
    private V nearHit(K key) {
        boolean timed = statistics.isEnabled();
        long start = timed ? System.nanoTime() : 0;
        byte[] kb = null;
        Object lookup = stringKeyTag != 0 && key instanceof String s ? near.lookupKey(stringKeyTag, s) : null;
        if (lookup == null) {
            kb = codec.keyBytes(key);
            lookup = near.lookupKey(kb);
        }
        StoredEntry e = near.peek(lookup, sharedNearBytes); // deserialized below: store-by-value
        if (e == null || e.isForeign()) {
            return null;
        }
        long now = -1; // read only when needed: an eternal entry with an eternal or unchanged access expiry needs no time
        if (e.expiryMillis() != 0) {
            now = now();
            if (e.isExpiredAt(now)) {
                return null;
            }
        }
        V v = codec.valueOf(e);
        long exp = expiry.forAccess(now, clock);
        if (exp != Expiry.UNCHANGED && exp != e.expiryMillis()) {
            if (now < 0) {
                now = now();
            }
            if (kb == null) {
                kb = codec.keyBytes(key);
            }
            if (!store.write(kb, e, e.value(), e.encoding(), exp, now)) {
                return null;
            }
        }
        near.countHit();
        statistics.hits(1);
        if (timed) {
            statistics.getTime(start);
        }
        return v;
    }

    /**
     * One pipelined read per node for all keys; live hits are answered from it (with the access
     * expiry rule), and only misses and expired entries take the per-key path (read-through, events).
     * With a near cache, keys it holds are answered from it first (looked up as {@link #nearHit} does)
     * and only the others are read.
     */
    @Override
    public Map<K, V> getAll(Set<? extends K> keys) {
        requireKeys(keys);
        long start = System.nanoTime();
        List<K> ordered = new ArrayList<>(keys);
        int n = ordered.size();
        long now = now();
        Object[] answered = new Object[n]; // near hits by position: the result keeps the set's order
        List<Integer> far = new ArrayList<>(n);
        List<byte[]> farKeyBytes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            K k = ordered.get(i);
            if (near != null) {
                Object lookup = stringKeyTag != 0 && k instanceof String s ? near.lookupKey(stringKeyTag, s) : null;
                byte[] kb = lookup == null ? codec.keyBytes(k) : null;
                StoredEntry e = near.peek(lookup != null ? lookup : near.lookupKey(kb), sharedNearBytes);
                if (e != null && !e.isForeign() && !e.isExpiredAt(now)) {
                    near.countHit();
                    answered[i] = hitOfMany(k, kb, e, now);
                    continue;
                }
                far.add(i);
                farKeyBytes.add(kb != null ? kb : codec.keyBytes(k));
            } else {
                far.add(i);
                farKeyBytes.add(codec.keyBytes(k));
            }
        }
        Map<Integer, StoredEntry> found = farKeyBytes.isEmpty() ? Map.of() : store.readMany(farKeyBytes);
        for (int j = 0; j < far.size(); j++) {
            int i = far.get(j);
            K k = ordered.get(i);
            StoredEntry e = found.get(j);
            if (e == null || e.isExpiredAt(now)) {
                answered[i] = transactions.run(k, this::read); // miss or expired: the full single-key rules
                continue;
            }
            answered[i] = hitOfMany(k, farKeyBytes.get(j), e, now);
        }
        Map<K, V> out = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            @SuppressWarnings("unchecked")
            V v = (V) answered[i];
            if (v != null) {
                out.put(ordered.get(i), v);
            }
        }
        statistics.getTime(start);
        return out;
    }

    /**
     * getAll's live hit: the access expiry (a change written best effort: if another client changed the
     * entry meanwhile, its expiry stands), a cache hit, the value. {@code kb} is computed if null and needed.
     */
    private V hitOfMany(K key, byte[] kb, StoredEntry e, long now) {
        long exp = expiry.forAccess(now);
        if (exp != Expiry.UNCHANGED && exp != e.expiryMillis()) {
            store.write(kb != null ? kb : codec.keyBytes(key), e, e.value(), e.encoding(), exp, now);
        }
        statistics.hits(1);
        return codec.valueOf(e);
    }

    @Override
    public boolean containsKey(K key) {
        requireOpen();
        Objects.requireNonNull(key, "key");
        StoredEntry e = store.read(codec.keyBytes(key));
        return e != null && e.isLiveAt(now());
    }

    // ------------------------------------------------------------------ writes

    @Override
    public void put(K key, V value) {
        requireEntry(key, value);
        if (blindPutAllowed()) {
            long start = System.nanoTime();
            integration.write(key, value);
            Serializer.Serialized v = codec.serialize(value);
            store.overwrite(codec.keyBytes(key), v.bytes(), v.encoding(), 0, now());
            statistics.puts(1);
            statistics.putTime(start);
            return;
        }
        onKey(key, Kind.WRITE, a -> store(a, value, Source.CALLER));
    }

    /**
     * Whether a put may skip reading the old entry: it only matters for events (created vs updated)
     * and for the expiry policy (creation vs update). With no listeners and the eternal policy both
     * outcomes are the same, so a plain set (one round trip) does exactly what the read-then-write
     * would.
     */
    private boolean blindPutAllowed() {
        return !events.hasListeners() && expiry.policy() instanceof EternalExpiryPolicy;
    }

    @Override
    public V getAndPut(K key, V value) {
        requireEntry(key, value);
        return onKey(key, Kind.READ, a -> {
            V old = a.present() ? a.value() : null;
            if (store(a, value, Source.CALLER) == RETRY) {
                return RETRY;
            }
            if (old == null) {
                a.misses++;
                return DONE;
            }
            a.hits++;
            return old;
        });
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> map) {
        requireOpen();
        Objects.requireNonNull(map, "map");
        for (Map.Entry<? extends K, ? extends V> e : map.entrySet()) {
            Objects.requireNonNull(e.getKey(), "map contains a null key");
            Objects.requireNonNull(e.getValue(), "map contains a null value");
            checkTypes(e.getKey(), e.getValue());
        }
        long start = System.nanoTime();
        Map<K, V> toPut = new LinkedHashMap<>(map);
        CacheWriterException failure = null;
        if (integration.writeThrough()) {
            List<Cache.Entry<? extends K, ? extends V>> entries = new ArrayList<>();
            map.forEach((k, v) -> entries.add(new MemringEntry<>(k, v)));
            failure = integration.writeAll(entries);
            for (Cache.Entry<? extends K, ? extends V> notWritten : entries) {
                toPut.remove(notWritten.getKey()); // the writer kept what it could not write
            }
        }
        if (putEntries(toPut, true) > 0) {
            statistics.putTime(start);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Puts without write-through; returns how many entries were stored. */
    private long putEntries(Map<K, V> entries, boolean replaceExisting) {
        long[] puts = {0};
        entries.forEach((k, v) -> transactions.run(k, a -> {
            if (a.present() && !replaceExisting) {
                return DONE;
            }
            Object r = store(a, v, Source.BULK);
            if (r != RETRY) {
                puts[0] += a.puts;
            }
            return r;
        }));
        return puts[0];
    }

    @Override
    public boolean putIfAbsent(K key, V value) {
        requireEntry(key, value);
        return onKey(key, Kind.WRITE, a -> {
            if (a.present()) {
                a.hits++;
                return Boolean.FALSE;
            }
            Object r = create(a, value, Source.CALLER);
            if (r != RETRY) {
                a.misses++;
            }
            return r;
        });
    }

    @Override
    public boolean remove(K key) {
        return onKey(key, Kind.WRITE, a -> {
            a.deleteThrough();
            if (!a.readable()) { // nothing readable: delete whatever occupies the key, report no mapping
                return a.removeUnmapped() ? Boolean.FALSE : RETRY;
            }
            return delete(a) == RETRY ? RETRY : Boolean.TRUE;
        });
    }

    @Override
    public boolean remove(K key, V oldValue) {
        requireOpen();
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(oldValue, "oldValue");
        return onKey(key, Kind.READ, a -> {
            if (!a.present()) {
                a.misses++;
                return Boolean.FALSE;
            }
            if (!a.value().equals(oldValue)) {
                if (access(a) == RETRY) {
                    return RETRY;
                }
                a.hits++;
                return Boolean.FALSE;
            }
            a.deleteThrough();
            if (delete(a) == RETRY) {
                return RETRY;
            }
            a.hits++;
            return Boolean.TRUE;
        });
    }

    @Override
    public V getAndRemove(K key) {
        return onKey(key, Kind.READ, a -> {
            a.deleteThrough();
            if (!a.present()) {
                if (!a.removeUnmapped()) {
                    return RETRY;
                }
                a.misses++;
                return DONE;
            }
            V current = a.value();
            if (delete(a) == RETRY) {
                return RETRY;
            }
            a.hits++;
            return current;
        });
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        requireOpen();
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(oldValue, "oldValue");
        requireEntry(key, newValue);
        return onKey(key, Kind.READ, a -> {
            if (!a.present()) {
                a.misses++;
                return Boolean.FALSE;
            }
            if (!a.value().equals(oldValue)) {
                if (access(a) == RETRY) {
                    return RETRY;
                }
                a.hits++;
                return Boolean.FALSE;
            }
            if (update(a, newValue, Source.CALLER) == RETRY) {
                return RETRY;
            }
            a.hits++;
            return Boolean.TRUE;
        });
    }

    @Override
    public boolean replace(K key, V value) {
        return getAndReplace(key, value) != null;
    }

    @Override
    public V getAndReplace(K key, V value) {
        requireEntry(key, value);
        return onKey(key, Kind.READ, a -> {
            if (!a.present()) {
                a.misses++;
                return DONE;
            }
            V current = a.value();
            if (update(a, value, Source.CALLER) == RETRY) {
                return RETRY;
            }
            a.hits++;
            return current;
        });
    }

    // ------------------------------------------------------------------ many-key deletes

    /** One read and one delete batch; see {@link BulkRemoval#removeAll(Set)}. */
    @Override
    public void removeAll(Set<? extends K> keys) {
        requireKeys(keys);
        bulkRemoval.removeAll(keys);
    }

    /** Page by page; see {@link BulkRemoval#removeAll()}. */
    @Override
    public void removeAll() {
        requireOpen();
        bulkRemoval.removeAll();
    }

    /** Removes one key without write-through; returns 1 if a live entry went. */
    private long removeOne(K key) {
        Boolean removed = transactions.run(key, a -> {
            if (!a.readable()) {
                return a.removeUnmapped() ? Boolean.FALSE : RETRY;
            }
            return delete(a) == RETRY ? RETRY : Boolean.TRUE;
        });
        return removed ? 1 : 0;
    }

    /** Deletes every entry without reading it: no writer, no events. Fails if part of the ring is down. */
    @Override
    public void clear() {
        requireOpen();
        store.clear();
    }

    // ------------------------------------------------------------------ loading

    @Override
    public void loadAll(Set<? extends K> keys, boolean replaceExistingValues, CompletionListener listener) {
        requireKeys(keys);
        CompletionListener done = listener == null ? NoOpCompletion.INSTANCE : listener;
        if (integration.loader() == null) {
            done.onCompletion();
            return;
        }
        List<K> snapshot = new ArrayList<>(new LinkedHashSet<>(keys));
        loadExecutor.execute(() -> {
            try {
                List<K> toLoad = replaceExistingValues ? snapshot : absent(snapshot);
                Map<K, V> loaded = integration.loadAll(toLoad);
                Map<K, V> found = new LinkedHashMap<>();
                if (loaded != null) {
                    for (K k : toLoad) {
                        V v = loaded.get(k);
                        if (v != null) {
                            found.put(k, v);
                        }
                    }
                }
                putEntries(found, replaceExistingValues);
                done.onCompletion();
            } catch (Exception e) {
                done.onException(e);
            }
        });
    }

    /** Returns the keys with no live entry, read in one pipelined batch. */
    private List<K> absent(List<K> keys) {
        List<byte[]> keyBytes = new ArrayList<>(keys.size());
        keys.forEach(k -> keyBytes.add(codec.keyBytes(k)));
        Map<Integer, StoredEntry> found = store.readMany(keyBytes);
        long now = now();
        List<K> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            StoredEntry e = found.get(i);
            if (e == null || e.isExpiredAt(now)) {
                out.add(keys.get(i));
            }
        }
        return out;
    }

    /** A listener for callers that pass none. */
    private enum NoOpCompletion implements CompletionListener {
        INSTANCE;

        @Override
        public void onCompletion() {
        }

        @Override
        public void onException(Exception e) {
        }
    }

    // ------------------------------------------------------------------ entry processors

    @Override
    public <T> T invoke(K key, EntryProcessor<K, V, T> processor, Object... arguments) {
        requireOpen();
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(processor, "processor");
        Object[] out = {null};
        onKey(key, Kind.READ, a -> {
            ProcessorEntry<K, V> entry = new ProcessorEntry<>(a.key, a.present() ? a.value() : null,
                    integration.readThrough() ? integration::load : null);
            T result = EntryProcessors.process(processor, entry, arguments);
            if (a.present()) {
                a.hits++;
            } else {
                a.misses++;
            }
            Object r = applyProcessed(a, entry);
            out[0] = result;
            return r;
        });
        @SuppressWarnings("unchecked")
        T result = (T) out[0];
        return result;
    }

    /** Applies what an entry processor did, with the same decisions as the plain operations. */
    private Object applyProcessed(KeyTransactions<K, V>.Attempt a, ProcessorEntry<K, V> entry) {
        return switch (entry.operation()) {
            case NONE -> DONE;
            case ACCESS -> access(a);
            case CREATE, LOAD -> {
                checkTypes(a.key, entry.newValue());
                Object r = create(a, entry.newValue(), entry.operation() == ProcessorEntry.Operation.CREATE ? Source.CALLER : Source.LOADER);
                yield r == RETRY ? RETRY : DONE;
            }
            case UPDATE -> {
                checkTypes(a.key, entry.newValue());
                yield update(a, entry.newValue(), Source.CALLER);
            }
            case REMOVE -> {
                a.deleteThrough();
                yield a.present() ? delete(a) : a.removeUnmapped() ? DONE : RETRY;
            }
        };
    }

    @Override
    public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys, EntryProcessor<K, V, T> processor,
                                                         Object... arguments) {
        requireOpen();
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(processor, "processor");
        return EntryProcessors.invokeEach(keys, k -> invoke(k, processor, arguments));
    }

    // ------------------------------------------------------------------ iteration

    @Override
    public Iterator<Cache.Entry<K, V>> iterator() {
        requireOpen();
        return new CacheIterator<>(store.scan(PAGE_SIZE), parts, this::requireOpen, this::remove);
    }

    // ------------------------------------------------------------------ listeners, config, lifecycle

    @Override
    public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
        requireOpen();
        Objects.requireNonNull(listenerConfiguration, "listenerConfiguration");
        events.register(listenerConfiguration);
        configuration.addCacheEntryListenerConfiguration(listenerConfiguration);
    }

    @Override
    public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
        requireOpen();
        Objects.requireNonNull(listenerConfiguration, "listenerConfiguration");
        configuration.removeCacheEntryListenerConfiguration(listenerConfiguration);
        events.deregister(listenerConfiguration);
    }

    /**
     * Returns an immutable snapshot for the JCache types ({@code Configuration},
     * {@code CompleteConfiguration}), or a copy with Memring's own settings (the serializer) for
     * {@link MemringConfiguration}; changing the copy does not change the cache.
     */
    @Override
    public <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
        List<CacheEntryListenerConfiguration<K, V>> listeners = new ArrayList<>();
        configuration.getCacheEntryListenerConfigurations().forEach(listeners::add);
        FrozenConfiguration<K, V> frozen = new FrozenConfiguration<>(configuration, listeners);
        if (clazz.isInstance(frozen)) {
            return clazz.cast(frozen);
        }
        if (clazz.isAssignableFrom(MemringConfiguration.class)) {
            return clazz.cast(new MemringConfiguration<>(configuration));
        }
        throw new IllegalArgumentException("the configuration is not a " + clazz.getName());
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public CacheManager getCacheManager() {
        return manager;
    }

    void setStatisticsEnabled(boolean enabled) {
        configuration.setStatisticsEnabled(enabled);
        mxBeans.enableStatistics(enabled);
    }

    void setManagementEnabled(boolean enabled) {
        configuration.setManagementEnabled(enabled);
        mxBeans.enableManagement(enabled);
    }

    /** Returns this JVM's statistics for the cache. */
    public CacheStatistics statistics() {
        return statistics;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        manager.release(this);
        CacheException failure = closeResources();
        if (failure != null) {
            log.warn("closing cache {}: some resources failed to close", name, failure);
        }
    }

    /**
     * Closes without telling the manager (the manager is closing or destroying it): JMX beans,
     * listeners, loader, writer and expiry policy, each tried. Returns the failures collected as
     * suppressed exceptions of one, or null.
     */
    CacheException closeResources() {
        closed = true;
        Closer closer = new Closer("cache " + name);
        closer.run(() -> mxBeans.enableStatistics(false));
        closer.run(() -> mxBeans.enableManagement(false));
        closer.run(events::close);
        if (store instanceof NearCacheStore near) {
            closer.run(near::close); // drops this JVM's copies at once
        }
        integration.close(closer);
        closer.close(expiry.policy());
        return closer.failure();
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        if (clazz.isInstance(this)) {
            return clazz.cast(this);
        }
        if (clazz.isInstance(store)) {
            return clazz.cast(store);
        }
        if (clazz.isInstance(events.remote())) {
            return clazz.cast(events.remote()); // RemoteEvents: counts of events from other JVMs
        }
        if (store instanceof NearCacheStore near && clazz.isInstance(near.stats())) {
            return clazz.cast(near.stats()); // cache.unwrap(NearCacheStats.class)
        }
        if (store instanceof NearCacheStore near && clazz.isInstance(near.inner())) {
            return clazz.cast(near.inner());
        }
        T backend = manager.unwrapBackend(clazz);
        if (backend != null) {
            return backend;
        }
        throw new IllegalArgumentException("cannot unwrap a Memring cache to " + clazz.getName());
    }
}
