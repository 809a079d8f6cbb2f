package io.memring.jcache;

import io.memring.client.MemcacheClient;
import io.memring.jcache.configuration.FrozenConfiguration;
import io.memring.jcache.event.EventDispatcher;
import io.memring.jcache.management.CacheConfigurationBean;
import io.memring.jcache.management.CacheStatistics;
import io.memring.jcache.management.JmxRegistration;
import io.memring.jcache.processor.ProcessorEntry;
import io.memring.jcache.processor.ProcessorResult;
import io.memring.jcache.serialization.Serializer;
import io.memring.jcache.store.RemoteStore;
import io.memring.jcache.store.StoredEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.function.LongSupplier;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;
import javax.cache.integration.CacheWriterException;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;

/**
 * A cache whose entries live on the ring. Every operation reads the key's entry, decides what the
 * spec says should happen (writer, expiry policy, events, statistics), and applies it with one
 * conditional write (memcached add, CAS set or CAS delete); if another client changed the key in
 * between, it reads again and retries, so operations are atomic across JVMs. Within this JVM a
 * striped lock keeps two threads from racing on one key (and from running side effects twice).
 */
public final class MemringCache<K, V> implements Cache<K, V> {
    private static final Object RETRY = KeyTransactions.RETRY;
    private static final Object DONE = KeyTransactions.DONE;

    private final String name;
    private final MemringCacheManager manager;
    private final MutableConfiguration<K, V> configuration;
    private final ClassLoader classLoader;
    private final RemoteStore store;
    private final MemcacheClient client;
    private final Integration<K, V> integration;
    private final Expiry expiry;
    private final EventDispatcher<K, V> events;
    private final CacheStatistics statistics = new CacheStatistics();
    private final CacheConfigurationBean configurationBean;
    private final ExecutorService loadExecutor;
    private final EntryCodec<K, V> codec;
    private final KeyTransactions<K, V> transactions;
    private final LongSupplier clock;
    private volatile boolean closed;

    MemringCache(String name, MemringCacheManager manager, MutableConfiguration<K, V> configuration, Serializer serializer,
                 MemcacheClient client, ExecutorService loadExecutor, LongSupplier clock) {
        this.clock = clock;
        this.name = name;
        this.manager = manager;
        this.configuration = configuration;
        this.classLoader = manager.getClassLoader();
        this.client = client;
        this.store = new RemoteStore(client, name);
        this.loadExecutor = loadExecutor;
        // A configured loader serves loadAll even without read-through.
        CacheLoader<K, V> loader = configuration.getCacheLoaderFactory() != null ? configuration.getCacheLoaderFactory().create() : null;
        CacheWriter<? super K, ? super V> writer = configuration.isWriteThrough() && configuration.getCacheWriterFactory() != null
                ? configuration.getCacheWriterFactory().create() : null;
        this.integration = new Integration<>(loader, writer, configuration.isReadThrough());
        this.expiry = new Expiry(configuration.getExpiryPolicyFactory().create());
        this.events = new EventDispatcher<>(this, name);
        for (CacheEntryListenerConfiguration<K, V> l : configuration.getCacheEntryListenerConfigurations()) {
            events.register(l);
        }
        this.codec = new EntryCodec<>(serializer, classLoader, configuration.getKeyType(), configuration.getValueType());
        this.transactions = new KeyTransactions<>(store, codec, events, statistics, integration, clock);
        this.configurationBean = new CacheConfigurationBean(configuration);
        setStatisticsEnabled(configuration.isStatisticsEnabled());
        setManagementEnabled(configuration.isManagementEnabled());
    }

    // ------------------------------------------------------------------ plumbing

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("cache " + name + " is closed");
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

    // ------------------------------------------------------------------ reads

    @Override
    public V get(K key) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        long start = System.nanoTime();
        V v = getValue(key);
        statistics.getTime(start);
        return v;
    }

    private V getValue(K key) {
        return transactions.run(key, a -> {
            if (a.present()) {
                V v = a.value();
                if (!a.touch(expiry.forAccess(a.now))) {
                    return RETRY;
                }
                a.hits++;
                return v;
            }
            a.misses++;
            if (!integration.readThrough()) {
                return DONE;
            }
            V loaded = integration.load(key);
            if (loaded == null) {
                return DONE;
            }
            long exp = expiry.forCreation(a.now);
            if (Expiry.isExpired(exp, a.now)) {
                return DONE;
            }
            if (!a.write(loaded, exp)) {
                return RETRY;
            }
            a.batch.created(key, loaded);
            return loaded;
        });
    }

    /**
     * One pipelined read per node for all keys; live hits are answered from it (with the access
     * expiry rule), and only misses and expired entries take the per-key path (read-through, events).
     */
    @Override
    public Map<K, V> getAll(Set<? extends K> keys) {
        checkOpen();
        Objects.requireNonNull(keys, "keys");
        for (K k : keys) {
            Objects.requireNonNull(k, "keys contains null");
        }
        long start = System.nanoTime();
        List<K> ordered = new ArrayList<>(keys);
        List<byte[]> keyBytes = new ArrayList<>(ordered.size());
        for (K k : ordered) {
            keyBytes.add(codec.keyBytes(k));
        }
        Map<Integer, StoredEntry> found = store.readMany(keyBytes);
        Map<K, V> out = new LinkedHashMap<>();
        long now = now();
        for (int i = 0; i < ordered.size(); i++) {
            K k = ordered.get(i);
            StoredEntry e = found.get(i);
            if (e == null || e.isExpiredAt(now)) {
                V v = getValue(k); // miss or expired: the full single-key rules
                if (v != null) {
                    out.put(k, v);
                }
                continue;
            }
            long exp = expiry.forAccess(now);
            if (exp != Expiry.UNCHANGED && exp != e.expiryMillis()) {
                // best effort: if another client changed the entry meanwhile, its expiry stands
                store.write(keyBytes.get(i), e, e.value(), e.encoding(), exp, now);
            }
            statistics.hits(1);
            out.put(k, codec.valueOf(e));
        }
        statistics.getTime(start);
        return out;
    }

    @Override
    public boolean containsKey(K key) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        StoredEntry e = store.read(codec.keyBytes(key));
        return e != null && e.isLiveAt(now());
    }

    // ------------------------------------------------------------------ writes

    @Override
    public void put(K key, V value) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        checkTypes(key, value);
        long start = System.nanoTime();
        if (blindPutAllowed()) {
            integration.write(key, value);
            Serializer.Serialized v = codec.serialize(value);
            store.overwrite(codec.keyBytes(key), v.bytes(), v.encoding(), 0, now());
            statistics.puts(1);
            statistics.putTime(start);
            return;
        }
        boolean[] stored = {false};
        transactions.run(key, a -> {
            Object r = putInAttempt(a, value, true);
            stored[0] = a.puts > 0;
            return r;
        });
        if (stored[0]) {
            statistics.putTime(start);
        }
    }

    /**
     * Whether a put may skip reading the old entry: it only matters for events (created vs updated)
     * and for the expiry policy (creation vs update). With no listeners and the eternal policy both
     * outcomes are the same, so a plain set (one round trip) does exactly what the read-then-write
     * would.
     */
    private boolean blindPutAllowed() {
        return !events.hasListeners() && expiry.policy() instanceof javax.cache.expiry.EternalExpiryPolicy;
    }

    /** put's decision: create or update, with writer, expiry and events. Returns DONE or RETRY. */
    private Object putInAttempt(KeyTransactions<K, V>.Attempt a, V value, boolean writeThrough) {
        if (!a.readable()) { // absent, or nothing this cache can read: a create, replacing what is there
            if (writeThrough) {
                a.writeThrough(value);
            }
            long exp = expiry.forCreation(a.now);
            if (Expiry.isExpired(exp, a.now)) {
                return DONE; // created already expired: not stored, no event
            }
            if (!a.write(value, exp)) {
                return RETRY;
            }
            a.puts++;
            a.batch.created(a.key, value);
        } else {
            V old = a.value();
            if (writeThrough) {
                a.writeThrough(value);
            }
            if (!a.write(value, a.keepOr(expiry.forUpdate(a.now)))) {
                return RETRY;
            }
            a.puts++;
            a.batch.updated(a.key, value, old);
        }
        return DONE;
    }

    @Override
    public V getAndPut(K key, V value) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        checkTypes(key, value);
        long start = System.nanoTime();
        Object[] old = {null};
        long[] counts = {0};
        transactions.run(key, a -> {
            old[0] = a.present() ? a.value() : null;
            Object r = putInAttempt(a, value, true);
            if (r != RETRY) {
                if (old[0] == null) {
                    a.misses++;
                } else {
                    a.hits++;
                }
                counts[0] = a.puts;
            }
            return r;
        });
        statistics.getTime(start);
        if (counts[0] > 0) {
            statistics.putTime(start);
        }
        @SuppressWarnings("unchecked")
        V result = (V) old[0];
        return result;
    }

    @Override
    public void putAll(Map<? extends K, ? extends V> map) {
        checkOpen();
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
        long puts = putEntries(toPut, true);
        if (puts > 0) {
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
            Object r = putInAttempt(a, v, false);
            if (r != RETRY) {
                puts[0] += a.puts;
            }
            return r;
        }));
        return puts[0];
    }

    @Override
    public boolean putIfAbsent(K key, V value) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        checkTypes(key, value);
        long start = System.nanoTime();
        Boolean stored = transactions.run(key, a -> {
            if (a.present()) {
                a.hits++;
                return Boolean.FALSE;
            }
            a.writeThrough(value);
            long exp = expiry.forCreation(a.now);
            if (Expiry.isExpired(exp, a.now)) {
                a.misses++;
                return Boolean.FALSE;
            }
            if (!a.write(value, exp)) {
                return RETRY;
            }
            a.misses++;
            a.puts++;
            a.batch.created(key, value);
            return Boolean.TRUE;
        });
        if (stored) {
            statistics.putTime(start);
        }
        return stored;
    }

    @Override
    public boolean remove(K key) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        long start = System.nanoTime();
        Boolean removed = transactions.run(key, a -> {
            a.deleteThrough();
            if (!a.readable()) {
                return a.removeUnmapped() ? Boolean.FALSE : RETRY;
            }
            V old = a.value();
            if (!a.remove()) {
                return RETRY;
            }
            a.removals++;
            a.batch.removed(key, old);
            return Boolean.TRUE;
        });
        if (removed) {
            statistics.removeTime(start);
        }
        return removed;
    }

    @Override
    public boolean remove(K key, V oldValue) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(oldValue, "oldValue");
        long start = System.nanoTime();
        Boolean removed = transactions.run(key, a -> {
            if (!a.present()) {
                a.misses++;
                return Boolean.FALSE;
            }
            V current = a.value();
            if (!current.equals(oldValue)) {
                if (!a.touch(expiry.forAccess(a.now))) {
                    return RETRY;
                }
                a.hits++;
                return Boolean.FALSE;
            }
            a.deleteThrough();
            if (!a.remove()) {
                return RETRY;
            }
            a.hits++;
            a.removals++;
            a.batch.removed(key, current);
            return Boolean.TRUE;
        });
        statistics.getTime(start);
        if (removed) {
            statistics.removeTime(start);
        }
        return removed;
    }

    @Override
    public V getAndRemove(K key) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        long start = System.nanoTime();
        V old = transactions.run(key, a -> {
            a.deleteThrough();
            if (!a.present()) {
                if (!a.removeUnmapped()) {
                    return RETRY;
                }
                a.misses++;
                return DONE;
            }
            V current = a.value();
            if (!a.remove()) {
                return RETRY;
            }
            a.hits++;
            a.removals++;
            a.batch.removed(key, current);
            return current;
        });
        statistics.getTime(start);
        if (old != null) {
            statistics.removeTime(start);
        }
        return old;
    }

    @Override
    public boolean replace(K key, V oldValue, V newValue) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(oldValue, "oldValue");
        Objects.requireNonNull(newValue, "newValue");
        checkTypes(key, newValue);
        long start = System.nanoTime();
        Boolean replaced = transactions.run(key, a -> {
            if (!a.present()) {
                a.misses++;
                return Boolean.FALSE;
            }
            V current = a.value();
            if (!current.equals(oldValue)) {
                if (!a.touch(expiry.forAccess(a.now))) {
                    return RETRY;
                }
                a.hits++;
                return Boolean.FALSE;
            }
            a.writeThrough(newValue);
            if (!a.write(newValue, a.keepOr(expiry.forUpdate(a.now)))) {
                return RETRY;
            }
            a.hits++;
            a.puts++;
            a.batch.updated(key, newValue, current);
            return Boolean.TRUE;
        });
        statistics.getTime(start);
        if (replaced) {
            statistics.putTime(start);
        }
        return replaced;
    }

    @Override
    public boolean replace(K key, V value) {
        return getAndReplaceInternal(key, value) != null;
    }

    @Override
    public V getAndReplace(K key, V value) {
        return getAndReplaceInternal(key, value);
    }

    private V getAndReplaceInternal(K key, V value) {
        checkOpen();
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        checkTypes(key, value);
        long start = System.nanoTime();
        V old = transactions.run(key, a -> {
            if (!a.present()) {
                a.misses++;
                return DONE;
            }
            V current = a.value();
            a.writeThrough(value);
            if (!a.write(value, a.keepOr(expiry.forUpdate(a.now)))) {
                return RETRY;
            }
            a.hits++;
            a.puts++;
            a.batch.updated(key, value, current);
            return current;
        });
        statistics.getTime(start);
        if (old != null) {
            statistics.putTime(start);
        }
        return old;
    }

    @Override
    public void removeAll(Set<? extends K> keys) {
        checkOpen();
        Objects.requireNonNull(keys, "keys");
        for (K k : keys) {
            Objects.requireNonNull(k, "keys contains null");
        }
        long start = System.nanoTime();
        Set<K> toRemove = new HashSet<>(keys);
        CacheWriterException failure = null;
        if (integration.writeThrough()) {
            Set<K> notDeleted = new HashSet<>(keys);
            failure = integration.deleteAll(notDeleted);
            toRemove.removeAll(notDeleted); // the writer kept what it could not delete
        }
        long removals = removeQuietly(toRemove);
        if (removals > 0) {
            statistics.removeTime(start);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Removes keys without write-through; returns how many live entries went. */
    private long removeQuietly(Iterable<K> keys) {
        long[] removed = {0};
        for (K k : keys) {
            transactions.run(k, a -> {
                if (!a.readable()) {
                    return a.removeUnmapped() ? DONE : RETRY;
                }
                V old = a.value();
                if (!a.remove()) {
                    return RETRY;
                }
                a.removals++;
                removed[0]++;
                a.batch.removed(k, old);
                return DONE;
            });
        }
        return removed[0];
    }

    /** Scans that come back empty end a whole-cache delete; this bounds the repeats. */
    private static final int MAX_SCANS = 10;

    @Override
    public void removeAll() {
        checkOpen();
        long start = System.nanoTime();
        long removals = 0;
        CacheWriterException failure = null;
        for (int scan = 0; scan < MAX_SCANS; scan++) {
            List<K> keys = new ArrayList<>();
            for (byte[] serverKey : store.serverKeys()) {
                RemoteStore.KeyedEntry e = store.readServerKey(serverKey);
                if (e != null) {
                    keys.add(codec.keyOf(e.keyBytes()));
                }
            }
            if (keys.isEmpty()) {
                if (removals == 0 || confirmedEmpty()) {
                    break;
                }
                continue;
            }
            if (integration.writeThrough()) {
                Set<K> notDeleted = new HashSet<>(keys);
                CacheWriterException f = integration.deleteAll(notDeleted);
                keys.removeAll(notDeleted);
                if (f != null) {
                    failure = f;
                    removals += removeQuietly(keys);
                    break; // the writer refused some: stop rather than ask it again
                }
            }
            removals += removeQuietly(keys);
        }
        if (removals > 0) {
            statistics.removeTime(start);
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void clear() {
        checkOpen();
        boolean deleted = false;
        for (int scan = 0; scan < MAX_SCANS; scan++) {
            List<byte[]> keys = store.serverKeys();
            if (keys.isEmpty()) {
                if (!deleted || confirmedEmpty()) {
                    return;
                }
                continue;
            }
            store.deleteServerKeys(keys);
            deleted = true;
        }
    }

    /**
     * Stock memcached's crawler skips an item while a connection still holds it (a response just
     * sent), so one empty scan right after deleting is not proof. Looks again after a short pause.
     */
    private boolean confirmedEmpty() {
        try {
            Thread.sleep(CONFIRM_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
        return store.serverKeys().isEmpty();
    }

    private static final long CONFIRM_PAUSE_MILLIS = 50;

    // ------------------------------------------------------------------ loading

    @Override
    public void loadAll(Set<? extends K> keys, boolean replaceExistingValues, CompletionListener listener) {
        checkOpen();
        Objects.requireNonNull(keys, "keys");
        for (K k : keys) {
            Objects.requireNonNull(k, "keys contains null");
        }
        CompletionListener done = listener == null ? NoOpCompletion.INSTANCE : listener;
        if (integration.loader() == null) {
            done.onCompletion();
            return;
        }
        Set<K> snapshot = new HashSet<>(keys);
        loadExecutor.execute(() -> {
            try {
                List<K> toLoad = new ArrayList<>();
                for (K k : snapshot) {
                    if (replaceExistingValues || !containsKey(k)) {
                        toLoad.add(k);
                    }
                }
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
        checkOpen();
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(processor, "processor");
        long start = System.nanoTime();
        Object[] out = {null};
        transactions.run(key, a -> {
            ProcessorEntry<K, V> entry = new ProcessorEntry<>(key, a.present() ? a.value() : null,
                    integration.readThrough() ? integration::load : null);
            T result;
            try {
                result = processor.process(entry, arguments);
            } catch (CacheException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new EntryProcessorException(e);
            }
            if (a.present()) {
                a.hits++;
            } else {
                a.misses++;
            }
            Object r = applyProcessed(a, entry);
            out[0] = result;
            return r;
        });
        statistics.getTime(start);
        @SuppressWarnings("unchecked")
        T result = (T) out[0];
        return result;
    }

    /** Applies what an entry processor did. Returns DONE or RETRY. */
    private Object applyProcessed(KeyTransactions<K, V>.Attempt a, ProcessorEntry<K, V> entry) {
        switch (entry.operation()) {
            case NONE:
                return DONE;
            case ACCESS:
                return a.touch(expiry.forAccess(a.now)) ? DONE : RETRY;
            case CREATE:
            case LOAD: {
                V v = entry.newValue();
                checkTypes(a.key, v);
                if (entry.operation() == ProcessorEntry.Operation.CREATE) {
                    a.writeThrough(v);
                }
                long exp = expiry.forCreation(a.now);
                if (Expiry.isExpired(exp, a.now)) {
                    return DONE;
                }
                if (!a.write(v, exp)) {
                    return RETRY;
                }
                if (entry.operation() == ProcessorEntry.Operation.CREATE) {
                    a.puts++;
                }
                a.batch.created(a.key, v);
                return DONE;
            }
            case UPDATE: {
                V v = entry.newValue();
                checkTypes(a.key, v);
                V old = a.value();
                a.writeThrough(v);
                if (!a.write(v, a.keepOr(expiry.forUpdate(a.now)))) {
                    return RETRY;
                }
                a.puts++;
                a.batch.updated(a.key, v, old);
                return DONE;
            }
            case REMOVE: {
                a.deleteThrough();
                if (!a.present()) {
                    return a.removeUnmapped() ? DONE : RETRY;
                }
                V old = a.value();
                if (!a.remove()) {
                    return RETRY;
                }
                a.removals++;
                a.batch.removed(a.key, old);
                return DONE;
            }
            default:
                throw new IllegalStateException("unknown operation " + entry.operation());
        }
    }

    @Override
    public <T> Map<K, EntryProcessorResult<T>> invokeAll(Set<? extends K> keys, EntryProcessor<K, V, T> processor,
                                                         Object... arguments) {
        checkOpen();
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(processor, "processor");
        Map<K, EntryProcessorResult<T>> results = new HashMap<>();
        for (K key : keys) {
            try {
                T r = invoke(key, processor, arguments);
                if (r != null) {
                    results.put(key, ProcessorResult.of(r));
                }
            } catch (RuntimeException e) {
                results.put(key, ProcessorResult.failed(e));
            }
        }
        return results;
    }

    // ------------------------------------------------------------------ iteration

    @Override
    public Iterator<Cache.Entry<K, V>> iterator() {
        checkOpen();
        return new CacheIterator<>(store.serverKeys(), store, codec, expiry, statistics, clock, this::checkOpen, this::remove);
    }

    // ------------------------------------------------------------------ listeners, config, lifecycle

    @Override
    public void registerCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
        checkOpen();
        Objects.requireNonNull(listenerConfiguration, "listenerConfiguration");
        configuration.addCacheEntryListenerConfiguration(listenerConfiguration);
        events.register(listenerConfiguration);
    }

    @Override
    public void deregisterCacheEntryListener(CacheEntryListenerConfiguration<K, V> listenerConfiguration) {
        checkOpen();
        Objects.requireNonNull(listenerConfiguration, "listenerConfiguration");
        configuration.removeCacheEntryListenerConfiguration(listenerConfiguration);
        events.deregister(listenerConfiguration);
    }

    @Override
    public <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
        List<CacheEntryListenerConfiguration<K, V>> listeners = new ArrayList<>();
        configuration.getCacheEntryListenerConfigurations().forEach(listeners::add);
        FrozenConfiguration<K, V> frozen = new FrozenConfiguration<>(configuration, listeners);
        if (clazz.isInstance(frozen)) {
            return clazz.cast(frozen);
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
        statistics.setEnabled(enabled);
        if (enabled) {
            JmxRegistration.register(statistics, JmxRegistration.name(JmxRegistration.Kind.CacheStatistics, manager.getURI().toString(), name));
        } else {
            JmxRegistration.unregister(JmxRegistration.name(JmxRegistration.Kind.CacheStatistics, manager.getURI().toString(), name));
        }
    }

    void setManagementEnabled(boolean enabled) {
        configuration.setManagementEnabled(enabled);
        if (enabled) {
            JmxRegistration.register(configurationBean, JmxRegistration.name(JmxRegistration.Kind.CacheConfiguration, manager.getURI().toString(), name));
        } else {
            JmxRegistration.unregister(JmxRegistration.name(JmxRegistration.Kind.CacheConfiguration, manager.getURI().toString(), name));
        }
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
        closeResources();
    }

    /** Closes without telling the manager (the manager is closing itself). */
    void closeResources() {
        closed = true;
        JmxRegistration.unregister(JmxRegistration.name(JmxRegistration.Kind.CacheStatistics, manager.getURI().toString(), name));
        JmxRegistration.unregister(JmxRegistration.name(JmxRegistration.Kind.CacheConfiguration, manager.getURI().toString(), name));
        events.close();
        integration.close();
        io.memring.jcache.event.ListenerRegistration.closeQuietly(expiry.policy());
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
        if (clazz.isInstance(client)) {
            return clazz.cast(client);
        }
        throw new IllegalArgumentException("cannot unwrap a Memring cache to " + clazz.getName());
    }
}
