package io.memring.jcache.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javax.cache.CacheException;

/**
 * A {@link RemoteStore} in memory, with memcached's CAS rules: every write gives the entry a new
 * version, and conditional writes fail when the version moved. Tests can make another "client"
 * interfere just before the next conditional write ({@link #interfereOnce}), count calls per method,
 * and make the store unreachable ({@link #failWith}). No physical expiry: the cache decides.
 */
public final class InMemoryStore implements RemoteStore {
    private record Item(byte[] value, int encoding, long expiryMillis, long version) {
    }

    private final ConcurrentMap<Bytes, Item> items = new ConcurrentHashMap<>();
    private final AtomicLong versions;
    private final ConcurrentMap<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final AtomicReference<Consumer<InMemoryStore>> interference = new AtomicReference<>();
    private volatile CacheException failure;
    private volatile Consumer<InMemoryStore> everyConditionalWrite;

    public InMemoryStore() {
        this(new AtomicLong());
    }

    InMemoryStore(AtomicLong versions) {
        this.versions = versions;
    }

    /** A byte[] with value equality. */
    private record Bytes(byte[] b) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes other && Arrays.equals(b, other.b);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(b);
        }
    }

    private static final byte[] NO_PREFIX = {};

    /** Server keys are the cache keys (the default {@link #serverKey}): the plain prefix is empty. */
    @Override
    public byte[] plainKeyPrefix() {
        return NO_PREFIX;
    }

    // ------------------------------------------------------------------ test controls

    /** Runs {@code action} (as another client) just before the next conditional write. */
    public void interfereOnce(Consumer<InMemoryStore> action) {
        interference.set(action);
    }

    /** Runs {@code action} before every conditional write (a client that always wins the race); null stops. */
    public void interfereAlways(Consumer<InMemoryStore> action) {
        everyConditionalWrite = action;
    }

    /** Makes every call fail with {@code e} (null: reachable again). */
    public void failWith(CacheException e) {
        failure = e;
    }

    /** Returns how often {@code method} was called. */
    public long calls(String method) {
        AtomicLong n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    public void resetCalls() {
        calls.clear();
    }

    /** Returns how many items there are, expired or not. */
    public int size() {
        return items.size();
    }

    /** Stores raw bytes as another client would, bypassing the cache (new version). */
    public void plant(byte[] keyBytes, byte[] value, int encoding, long expiryMillis) {
        items.put(new Bytes(keyBytes), new Item(value, encoding, expiryMillis, versions.incrementAndGet()));
    }

    private void call(String method) {
        calls.computeIfAbsent(method, m -> new AtomicLong()).incrementAndGet();
        CacheException e = failure;
        if (e != null) {
            throw e;
        }
    }

    private void beforeConditionalWrite() {
        Consumer<InMemoryStore> once = interference.getAndSet(null);
        if (once != null) {
            once.accept(this);
        }
        Consumer<InMemoryStore> always = everyConditionalWrite;
        if (always != null) {
            always.accept(this);
        }
    }

    private static StoredEntry entry(Item i) {
        return i == null ? null : new StoredEntry(i.value, i.encoding, i.expiryMillis, i.version);
    }

    private Item item(byte[] value, int encoding, long expiryMillis) {
        return new Item(value.clone(), encoding, expiryMillis, versions.incrementAndGet());
    }

    // ------------------------------------------------------------------ RemoteStore

    @Override
    public StoredEntry read(byte[] keyBytes) {
        call("read");
        return entry(items.get(new Bytes(keyBytes)));
    }

    @Override
    public Map<Integer, StoredEntry> readMany(List<byte[]> keyBytes) {
        call("readMany");
        Map<Integer, StoredEntry> out = new HashMap<>();
        for (int i = 0; i < keyBytes.size(); i++) {
            StoredEntry e = entry(items.get(new Bytes(keyBytes.get(i))));
            if (e != null) {
                out.put(i, e);
            }
        }
        return out;
    }

    @Override
    public void overwrite(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        overwriteVersioned(keyBytes, value, encoding, expiryMillis, nowMillis);
    }

    @Override
    public long overwriteVersioned(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        call("overwrite");
        Item i = item(value, encoding, expiryMillis);
        items.put(new Bytes(keyBytes.clone()), i);
        return i.version;
    }

    @Override
    public boolean add(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return addVersioned(keyBytes, value, encoding, expiryMillis, nowMillis) != NOT_STORED;
    }

    @Override
    public long addVersioned(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        call("add");
        beforeConditionalWrite();
        Item i = item(value, encoding, expiryMillis);
        return items.putIfAbsent(new Bytes(keyBytes.clone()), i) == null ? i.version : NOT_STORED;
    }

    @Override
    public boolean cas(byte[] keyBytes, StoredEntry current, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return casVersioned(keyBytes, current, value, encoding, expiryMillis, nowMillis) != NOT_STORED;
    }

    @Override
    public long casVersioned(byte[] keyBytes, StoredEntry current, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        call("cas");
        beforeConditionalWrite();
        long[] stored = {NOT_STORED};
        items.computeIfPresent(new Bytes(keyBytes), (k, old) -> {
            if (old.version != current.cas()) {
                return old;
            }
            Item i = item(value, encoding, expiryMillis);
            stored[0] = i.version;
            return i;
        });
        return stored[0];
    }

    @Override
    public boolean remove(byte[] keyBytes, StoredEntry current) {
        call("remove");
        beforeConditionalWrite();
        return removeIfVersion(keyBytes, current.cas());
    }

    private boolean removeIfVersion(byte[] keyBytes, long version) {
        boolean[] removed = {false};
        items.computeIfPresent(new Bytes(keyBytes), (k, old) -> {
            if (old.version != version) {
                return old;
            }
            removed[0] = true;
            return null;
        });
        return removed[0];
    }

    @Override
    public Set<Integer> removeMany(List<KeyedEntry> entries) {
        call("removeMany");
        beforeConditionalWrite();
        Set<Integer> removed = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            if (removeIfVersion(entries.get(i).keyBytes(), entries.get(i).entry().cas())) {
                removed.add(i);
            }
        }
        return removed;
    }

    @Override
    public void delete(byte[] keyBytes) {
        call("delete");
        items.remove(new Bytes(keyBytes));
    }

    @Override
    public Iterator<List<KeyedEntry>> scan(int pageSize) {
        call("scan");
        List<Bytes> keys = new ArrayList<>(items.keySet());
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < keys.size();
            }

            @Override
            public List<KeyedEntry> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                call("scanPage");
                List<KeyedEntry> page = new ArrayList<>();
                for (Bytes k : keys.subList(next, Math.min(keys.size(), next + pageSize))) {
                    StoredEntry e = entry(items.get(k));
                    if (e != null) {
                        page.add(new KeyedEntry(k.b().clone(), e));
                    }
                }
                next = Math.min(keys.size(), next + pageSize);
                return page;
            }
        };
    }

    @Override
    public void clear() {
        call("clear");
        items.clear();
    }
}
