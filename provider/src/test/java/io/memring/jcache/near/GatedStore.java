package io.memring.jcache.near;

import io.memring.jcache.store.InMemoryStore;
import io.memring.jcache.store.RemoteStore;
import io.memring.jcache.store.StoredEntry;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An {@link InMemoryStore} whose next read or write can be held after it happened on the "node" and
 * before its answer returns: a test forces an interleaving there with latches.
 */
final class GatedStore implements RemoteStore {
    /** One held call: {@code reached} opens when the call has done its work, {@code proceed} lets it return. */
    static final class Gate {
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch proceed = new CountDownLatch(1);

        void awaitReached() throws InterruptedException {
            if (!reached.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the gated call never came");
            }
        }

        void open() {
            proceed.countDown();
        }
    }

    final InMemoryStore store = new InMemoryStore();
    /** The node every answer says served it (a failover, a retry on a replica); null = the store cannot tell. */
    volatile InetSocketAddress servedBy;
    private final AtomicReference<Gate> nextRead = new AtomicReference<>();
    private final AtomicReference<Gate> nextWrite = new AtomicReference<>();

    Gate holdNextRead() {
        Gate g = new Gate();
        nextRead.set(g);
        return g;
    }

    Gate holdNextWrite() {
        Gate g = new Gate();
        nextWrite.set(g);
        return g;
    }

    private static void pass(AtomicReference<Gate> slot) {
        Gate g = slot.getAndSet(null);
        if (g == null) {
            return;
        }
        g.reached.countDown();
        try {
            if (!g.proceed.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the gate was never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private StoredEntry served(StoredEntry e) {
        InetSocketAddress node = servedBy;
        return e == null || node == null ? e : new StoredEntry(e.value(), e.encoding(), e.expiryMillis(), e.cas(), node);
    }

    @Override
    public StoredEntry read(byte[] keyBytes) {
        StoredEntry e = served(store.read(keyBytes));
        pass(nextRead);
        return e;
    }

    @Override
    public Map<Integer, StoredEntry> readMany(List<byte[]> keyBytes) {
        Map<Integer, StoredEntry> m = new HashMap<>();
        store.readMany(keyBytes).forEach((i, e) -> m.put(i, served(e)));
        pass(nextRead);
        return m;
    }

    @Override
    public Written overwriteServed(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return new Written(overwriteVersioned(keyBytes, value, encoding, expiryMillis, nowMillis), servedBy);
    }

    @Override
    public Written addServed(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return new Written(addVersioned(keyBytes, value, encoding, expiryMillis, nowMillis), servedBy);
    }

    @Override
    public Written casServed(byte[] keyBytes, StoredEntry current, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return new Written(casVersioned(keyBytes, current, value, encoding, expiryMillis, nowMillis), servedBy);
    }

    @Override
    public void overwrite(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        overwriteVersioned(keyBytes, value, encoding, expiryMillis, nowMillis);
    }

    @Override
    public long overwriteVersioned(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        long v = store.overwriteVersioned(keyBytes, value, encoding, expiryMillis, nowMillis);
        pass(nextWrite);
        return v;
    }

    @Override
    public boolean add(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return addVersioned(keyBytes, value, encoding, expiryMillis, nowMillis) != NOT_STORED;
    }

    @Override
    public long addVersioned(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        long v = store.addVersioned(keyBytes, value, encoding, expiryMillis, nowMillis);
        pass(nextWrite);
        return v;
    }

    @Override
    public boolean cas(byte[] keyBytes, StoredEntry current, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return casVersioned(keyBytes, current, value, encoding, expiryMillis, nowMillis) != NOT_STORED;
    }

    @Override
    public long casVersioned(byte[] keyBytes, StoredEntry current, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        long v = store.casVersioned(keyBytes, current, value, encoding, expiryMillis, nowMillis);
        pass(nextWrite);
        return v;
    }

    @Override
    public boolean remove(byte[] keyBytes, StoredEntry current) {
        boolean r = store.remove(keyBytes, current);
        pass(nextWrite);
        return r;
    }

    @Override
    public Set<Integer> removeMany(List<KeyedEntry> entries) {
        return store.removeMany(entries);
    }

    @Override
    public void delete(byte[] keyBytes) {
        store.delete(keyBytes);
        pass(nextWrite);
    }

    @Override
    public Iterator<List<KeyedEntry>> scan(int pageSize) {
        return store.scan(pageSize);
    }

    @Override
    public void clear() {
        store.clear();
    }

    /** A store with watch prefixes (server keys = cache keys), to show what a change under each means. */
    static final class Prefixed implements RemoteStore {
        private final RemoteStore delegate;
        private final List<byte[]> prefixes;

        Prefixed(RemoteStore delegate, List<byte[]> prefixes) {
            this.delegate = delegate;
            this.prefixes = prefixes;
        }

        @Override
        public List<byte[]> watchPrefixes() {
            return prefixes;
        }

        @Override
        public StoredEntry read(byte[] keyBytes) {
            return delegate.read(keyBytes);
        }

        @Override
        public Map<Integer, StoredEntry> readMany(List<byte[]> keyBytes) {
            return delegate.readMany(keyBytes);
        }

        @Override
        public void overwrite(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
            delegate.overwrite(keyBytes, value, encoding, expiryMillis, nowMillis);
        }

        @Override
        public boolean add(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
            return delegate.add(keyBytes, value, encoding, expiryMillis, nowMillis);
        }

        @Override
        public boolean cas(byte[] keyBytes, StoredEntry current, byte[] value, int encoding, long expiryMillis, long nowMillis) {
            return delegate.cas(keyBytes, current, value, encoding, expiryMillis, nowMillis);
        }

        @Override
        public boolean remove(byte[] keyBytes, StoredEntry current) {
            return delegate.remove(keyBytes, current);
        }

        @Override
        public Set<Integer> removeMany(List<KeyedEntry> entries) {
            return delegate.removeMany(entries);
        }

        @Override
        public void delete(byte[] keyBytes) {
            delegate.delete(keyBytes);
        }

        @Override
        public Iterator<List<KeyedEntry>> scan(int pageSize) {
            return delegate.scan(pageSize);
        }

        @Override
        public void clear() {
            delegate.clear();
        }
    }
}
