package io.memring.jcache.store;

import io.memring.client.GetResult;
import io.memring.client.Key;
import io.memring.client.MemcacheClient;
import io.memring.client.MemcacheException;
import io.memring.client.NodeUnavailableException;
import io.memring.client.RequestTimeoutException;
import io.memring.client.ServerBusyException;
import io.memring.client.StoreMode;
import io.memring.client.StoreResult;
import io.memring.client.ValueTooLargeException;
import io.memring.client.watch.MutationSink;
import io.memring.client.watch.WatchSubscription;
import io.memring.jcache.configuration.ProviderSettings;
import io.memring.jcache.configuration.SecuritySettings;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import javax.cache.CacheException;

/**
 * {@link RemoteStore} on the ring: a cache key becomes the memcached key {@code jc:<encoded cache
 * name>:<key bytes>} (or {@code jc:<name>:#<SHA-256>} when too long, with the full key kept in the
 * envelope to tell collisions apart); values travel in an {@link Envelope} with the millisecond
 * expiry; the version is memcached's CAS. Single-key methods are one round trip; many-key methods
 * send every request before waiting, so they cost one round trip per node.
 */
public final class RingStore implements RemoteStore, ChangeSource {
    private static final byte[] HASHED_MARK = {'#'};
    /** Scans that come back empty end a clear; this bounds the repeats. */
    private static final int MAX_CLEAR_SCANS = 10;
    /**
     * Stock memcached's crawler skips an item while a connection still holds it (a response just
     * sent), so one empty scan right after deleting is not proof; a clear looks again after this pause.
     */
    private static final long CONFIRM_PAUSE_MILLIS = 50;

    private final MemcacheClient client;
    private final byte[] prefix;

    public RingStore(MemcacheClient client, String cacheName) {
        this(client, namespace(cacheName));
    }

    /** A store whose server keys all start with {@code prefix} (a generation's namespace: {@link GenerationalStore}). */
    RingStore(MemcacheClient client, byte[] prefix) {
        this.client = client;
        this.prefix = prefix.clone();
    }

    /**
     * The cache's namespace {@code jc:<encoded name>:}. The name is URL-encoded so it holds no ':' and
     * one cache's prefix never prefixes another's.
     */
    static byte[] namespace(String cacheName) {
        return ("jc:" + encodedName(cacheName) + ":").getBytes(StandardCharsets.US_ASCII);
    }

    static String encodedName(String cacheName) {
        return URLEncoder.encode(cacheName, StandardCharsets.UTF_8);
    }

    /** The server key for a serialized cache key: prefix + key, or prefix + '#' + SHA-256 when too long. */
    @Override
    public byte[] serverKey(byte[] keyBytes) {
        byte[] direct = concat(prefix, keyBytes);
        if (fits(direct)) {
            return direct;
        }
        byte[] digest = sha256(keyBytes);
        return concat(concat(prefix, HASHED_MARK), Base64.getUrlEncoder().withoutPadding().encode(digest));
    }

    /** The prefix itself: {@link #serverKey} is prefix + key whenever that is a valid key, and every key up to 186 bytes is. */
    @Override
    public byte[] plainKeyPrefix() {
        return prefix;
    }

    /** Whether the server key is the hashed form (the full key then travels in the envelope). */
    private boolean isHashed(byte[] serverKey, byte[] keyBytes) {
        return serverKey.length != prefix.length + keyBytes.length;
    }

    /** Whether the client takes the key as it is (the client's rule: {@link Key#isValid}). */
    private static boolean fits(byte[] serverKey) {
        return Key.isValid(serverKey);
    }

    /** Opens a hit for {@code keyBytes}; a foreign entry if it is not a Memring envelope or is a colliding key's. */
    private StoredEntry open(byte[] serverKey, byte[] keyBytes, GetResult r) {
        Envelope.Opened e = Envelope.open(r.value());
        if (e == null || (isHashed(serverKey, keyBytes) && !Arrays.equals(e.fullKey(), keyBytes))) {
            return StoredEntry.foreign(r.cas()); // no mapping, but it occupies the key
        }
        return new StoredEntry(e.value(), r.flags(), e.expiryMillis(), r.cas(), r.node());
    }

    @Override
    public StoredEntry read(byte[] keyBytes) {
        byte[] serverKey = serverKey(keyBytes);
        GetResult r = await(client.get(serverKey));
        return r == null ? null : open(serverKey, keyBytes, r);
    }

    @Override
    public Map<Integer, StoredEntry> readMany(List<byte[]> keyBytes) {
        List<byte[]> serverKeys = new ArrayList<>(keyBytes.size());
        for (byte[] kb : keyBytes) {
            serverKeys.add(serverKey(kb));
        }
        Map<Key, GetResult> hits = await(client.getMany(serverKeys));
        Map<Integer, StoredEntry> out = new HashMap<>();
        for (int i = 0; i < keyBytes.size(); i++) {
            GetResult r = hits.get(Key.of(serverKeys.get(i)));
            StoredEntry e = r == null ? null : open(serverKeys.get(i), keyBytes.get(i), r);
            if (e != null && !e.isForeign()) {
                out.put(i, e);
            }
        }
        return out;
    }

    private byte[] envelope(byte[] serverKey, byte[] keyBytes, byte[] value, long expiryMillis) {
        return Envelope.wrap(value, expiryMillis, isHashed(serverKey, keyBytes) ? keyBytes : null);
    }

    @Override
    public void overwrite(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        overwriteVersioned(keyBytes, value, encoding, expiryMillis, nowMillis);
    }

    @Override
    public long overwriteVersioned(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return overwriteServed(keyBytes, value, encoding, expiryMillis, nowMillis).version();
    }

    @Override
    public Written overwriteServed(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        byte[] serverKey = serverKey(keyBytes);
        StoreResult r = await(client.store(StoreMode.SET, serverKey, envelope(serverKey, keyBytes, value, expiryMillis), encoding,
                ttlSeconds(expiryMillis, nowMillis)));
        if (!r.stored()) {
            throw new CacheException("the server did not store the entry: " + r.status());
        }
        return new Written(r.cas(), r.node());
    }

    @Override
    public boolean add(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return addVersioned(keyBytes, value, encoding, expiryMillis, nowMillis) != NOT_STORED;
    }

    @Override
    public long addVersioned(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return addServed(keyBytes, value, encoding, expiryMillis, nowMillis).version();
    }

    @Override
    public Written addServed(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        byte[] serverKey = serverKey(keyBytes);
        return versionOf(await(client.store(StoreMode.ADD, serverKey, envelope(serverKey, keyBytes, value, expiryMillis), encoding,
                ttlSeconds(expiryMillis, nowMillis))));
    }

    @Override
    public boolean cas(byte[] keyBytes, StoredEntry current, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return casVersioned(keyBytes, current, value, encoding, expiryMillis, nowMillis) != NOT_STORED;
    }

    @Override
    public long casVersioned(byte[] keyBytes, StoredEntry current, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        return casServed(keyBytes, current, value, encoding, expiryMillis, nowMillis).version();
    }

    @Override
    public Written casServed(byte[] keyBytes, StoredEntry current, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        byte[] serverKey = serverKey(keyBytes);
        return versionOf(await(client.cas(serverKey, envelope(serverKey, keyBytes, value, expiryMillis), encoding,
                ttlSeconds(expiryMillis, nowMillis), current.cas())));
    }

    /** The new version of a stored entry (its CAS; {@link #VERSION_UNKNOWN} if the node did not say), or {@link #NOT_STORED}. */
    private static Written versionOf(StoreResult r) {
        return new Written(r.stored() ? Math.max(VERSION_UNKNOWN, r.cas()) : NOT_STORED, r.node());
    }

    /** The cache's namespace: every server key of the cache starts with it. */
    @Override
    public List<byte[]> watchPrefixes() {
        return List.of(prefix.clone());
    }

    @Override
    public boolean remove(byte[] keyBytes, StoredEntry current) {
        return await(client.deleteIfCas(serverKey(keyBytes), current.cas())) == StoreResult.Status.STORED;
    }

    @Override
    public Set<Integer> removeMany(List<KeyedEntry> entries) {
        if (entries.isEmpty()) {
            return Set.of();
        }
        Map<Key, Long> expected = new HashMap<>();
        List<Key> keys = new ArrayList<>(entries.size());
        for (KeyedEntry e : entries) {
            Key k = Key.of(serverKey(e.keyBytes()));
            keys.add(k);
            expected.put(k, e.entry().cas());
        }
        Map<Key, StoreResult.Status> outcome = await(client.deleteManyIfCas(expected)); // one batch per node
        Set<Integer> removed = new HashSet<>();
        for (int i = 0; i < keys.size(); i++) {
            if (outcome.get(keys.get(i)) == StoreResult.Status.STORED) {
                removed.add(i);
            }
        }
        return removed;
    }

    @Override
    public void delete(byte[] keyBytes) {
        await(client.delete(serverKey(keyBytes)));
    }

    /**
     * Returns the server keys of every item of this cache on the ring (a full scan of every node),
     * without duplicates.
     */
    List<byte[]> serverKeys() {
        LinkedHashSet<Key> unique = new LinkedHashSet<>();
        for (byte[] k : await(client.keysWithPrefix(prefix))) {
            unique.add(Key.of(k));
        }
        List<byte[]> out = new ArrayList<>(unique.size());
        unique.forEach(k -> out.add(k.bytes()));
        return out;
    }

    @Override
    public Iterator<List<KeyedEntry>> scan(int pageSize) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be positive");
        }
        List<byte[]> keys = serverKeys();
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
                List<byte[]> page = keys.subList(next, Math.min(keys.size(), next + pageSize));
                next += page.size();
                return readServerKeys(page);
            }
        };
    }

    /** Reads server keys (from an enumeration) at once; for a hashed key the cache key comes from the envelope. */
    private List<KeyedEntry> readServerKeys(List<byte[]> serverKeys) {
        Map<Key, GetResult> hits = await(client.getMany(serverKeys));
        List<KeyedEntry> out = new ArrayList<>(hits.size());
        for (byte[] serverKey : serverKeys) {
            GetResult r = hits.get(Key.of(serverKey));
            Envelope.Opened e = r == null ? null : Envelope.open(r.value());
            if (e == null) {
                continue; // gone since listed, or not a Memring entry
            }
            byte[] keyBytes = e.fullKey() != null ? e.fullKey() : Arrays.copyOfRange(serverKey, prefix.length, serverKey.length);
            out.add(new KeyedEntry(keyBytes, new StoredEntry(e.value(), r.flags(), e.expiryMillis(), r.cas())));
        }
        return out;
    }

    /**
     * Deletes what a scan lists, and scans again until a scan comes back empty: items written while a
     * node was crawled, and (on stock memcached) items a connection still held, are missed by a scan.
     * The deletes carry Memring's clear marker ({@code md ... Y}), so the nodes push them as clears
     * (kind {@code C}): they invalidate near caches, and listeners in other JVMs stay silent, as JCache's
     * {@code clear()} raises no events.
     * A key listed again after its delete went through its owner may be an orphan of a replicated
     * cluster (a copy on a node that owns none, written while every owner was down), which no delete
     * through the ring reaches: each node still listing it is asked to delete it there (a Memring node
     * drops such a copy silently; an owner refuses, and the owner's replicated delete removes its copy).
     */
    @Override
    public void clear() {
        boolean deleted = false;
        java.util.Set<Key> deletedOnce = new java.util.HashSet<>();
        for (int scan = 0; scan < MAX_CLEAR_SCANS; scan++) {
            Map<java.net.InetSocketAddress, List<byte[]>> byNode = await(client.keysWithPrefixByNode(prefix));
            List<byte[]> keys = unique(byNode);
            if (keys.isEmpty()) {
                if (!deleted || confirmedEmpty()) {
                    return;
                }
                continue;
            }
            await(client.deleteManyForClear(keys)); // marked as a clear: other JVMs' listeners hear nothing (kind C)
            for (Map.Entry<java.net.InetSocketAddress, List<byte[]>> e : byNode.entrySet()) {
                List<byte[]> again = e.getValue().stream().filter(k -> deletedOnce.contains(Key.of(k))).toList();
                if (!again.isEmpty()) {
                    await(client.deleteManyOnNode(e.getKey(), again));
                }
            }
            keys.forEach(k -> deletedOnce.add(Key.of(k)));
            deleted = true;
        }
    }

    private static List<byte[]> unique(Map<java.net.InetSocketAddress, List<byte[]>> byNode) {
        LinkedHashSet<Key> unique = new LinkedHashSet<>();
        byNode.values().forEach(list -> list.forEach(k -> unique.add(Key.of(k))));
        List<byte[]> out = new ArrayList<>(unique.size());
        unique.forEach(k -> out.add(k.bytes()));
        return out;
    }

    private boolean confirmedEmpty() {
        try {
            Thread.sleep(CONFIRM_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheException("interrupted while clearing", e);
        }
        return serverKeys().isEmpty();
    }

    /**
     * memcached's TTL for an absolute expiry: 0 = never; otherwise the remaining whole seconds rounded
     * up plus one (the item must outlive its logical expiry, never precede it), as unix time beyond 30
     * days. Never 0 for an expiring entry: 0 would mean "never" to memcached.
     */
    static int ttlSeconds(long expiryMillis, long nowMillis) {
        if (expiryMillis == 0) {
            return 0;
        }
        long remaining = Math.max(0, expiryMillis - nowMillis);
        long seconds = (remaining + 999) / 1000 + 1;
        if (seconds <= 60L * 60 * 24 * 30) {
            return (int) seconds;
        }
        return (int) Math.min(Integer.MAX_VALUE, expiryMillis / 1000 + 1);
    }

    static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (ExecutionException | CompletionException e) {
            throw translate(e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheException("interrupted", e);
        }
    }

    /** The client's typed errors as the CacheExceptions a JCache caller sees, saying what to expect. */
    private static CacheException translate(Throwable cause) {
        if (cause instanceof ServerBusyException) {
            return new CacheException("a node's crawler stayed busy with another scan (lru_crawler metadump); try again: "
                    + cause.getMessage(), cause);
        }
        if (cause instanceof RequestTimeoutException) {
            return new CacheException("memcached ring: " + cause.getMessage() + "; the request timeout is "
                    + ProviderSettings.REQUEST_TIMEOUT.key(), cause);
        }
        if (cause instanceof ValueTooLargeException) {
            return new CacheException("memcached ring: " + cause.getMessage() + "; the embedded node's is "
                    + ProviderSettings.EMBEDDED_MAX_ITEM_SIZE_KB.key(), cause);
        }
        if (cause instanceof NodeUnavailableException && cause.getCause() instanceof RequestTimeoutException) {
            return new CacheException("memcached ring: a node is down: " + cause.getMessage()
                    + "; its requests outlived the request timeout, " + ProviderSettings.REQUEST_TIMEOUT.key(), cause);
        }
        if (cause instanceof NodeUnavailableException) {
            return new CacheException("memcached ring: a node is down: " + cause.getMessage(), cause);
        }
        if (cause instanceof io.memring.client.AuthenticationException) { // the message never holds the password
            return new CacheException("memcached ring: " + cause.getMessage() + "; credentials are "
                    + SecuritySettings.AUTH_USER.key() + " and " + SecuritySettings.AUTH_PASSWORD.key(), cause);
        }
        if (cause instanceof io.memring.client.TlsException) {
            return new CacheException("memcached ring: " + cause.getMessage() + "; TLS is set by the memring.tls.* settings",
                    cause);
        }
        if (cause instanceof MemcacheException) {
            return new CacheException("memcached ring: " + cause.getMessage(), cause);
        }
        return new CacheException(String.valueOf(cause), cause);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** Subscribes in values mode to this cache's namespace (the client multiplexes one connection per node). */
    @Override
    public WatchSubscription watch(MutationSink sink) {
        return client.watch(prefix, true, sink);
    }

    /**
     * Returns the cache key and entry that an item pushed by a node stands for, or null when it is no
     * mapping of this cache: a server key outside the namespace, bytes that are not a Memring
     * envelope, or an envelope whose key does not give this server key (a hashed key's envelope naming
     * another key, or a direct key's envelope carrying a key). The bytes are untrusted; nothing is
     * deserialized here.
     *
     * @param serverKey the item's key on the node
     * @param stored the item's value (an envelope, if it is ours)
     * @param flags the item's client flags (the value's encoding)
     * @param cas the item's version
     */
    @Override
    public KeyedEntry decode(byte[] serverKey, byte[] stored, int flags, long cas) {
        if (serverKey == null || stored == null || !startsWith(serverKey, prefix)) {
            return null;
        }
        Envelope.Opened e = Envelope.open(stored);
        if (e == null) {
            return null;
        }
        byte[] keyBytes = e.fullKey() != null ? e.fullKey() : Arrays.copyOfRange(serverKey, prefix.length, serverKey.length);
        if (keyBytes.length == 0 || !Arrays.equals(serverKey(keyBytes), serverKey)) {
            return null;
        }
        return new KeyedEntry(keyBytes, new StoredEntry(e.value(), flags, e.expiryMillis(), cas));
    }

    private static boolean startsWith(byte[] bytes, byte[] start) {
        return bytes.length >= start.length && Arrays.equals(bytes, 0, start.length, start, 0, start.length);
    }

    /** Returns the namespace prefix (for tests and diagnostics). */
    public byte[] prefix() {
        return prefix.clone();
    }
}
