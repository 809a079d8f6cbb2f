package io.memring.jcache.store;

import io.memring.client.GetResult;
import io.memring.client.MemcacheClient;
import io.memring.client.MemcacheException;
import io.memring.client.StoreMode;
import io.memring.client.StoreResult;
import io.memring.client.protocol.Keys;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import javax.cache.CacheException;

/**
 * One cache's entries on the ring. Every method is one round trip (or a few for enumeration) and
 * either succeeds or reports a lost race ({@code false}) so that callers can re-read and retry:
 * that is what makes cache operations atomic across JVMs.
 */
public final class RemoteStore {
    private static final byte[] HASHED_MARK = {'#'};

    private final MemcacheClient client;
    private final byte[] prefix;

    public RemoteStore(MemcacheClient client, String cacheName) {
        this.client = client;
        // The name is URL-encoded so it holds no ':' and one cache's prefix never prefixes another's.
        this.prefix = ("jc:" + URLEncoder.encode(cacheName, StandardCharsets.UTF_8) + ":").getBytes(StandardCharsets.US_ASCII);
    }

    /** The server key for a serialized cache key: prefix + key, or prefix + '#' + SHA-256 when too long. */
    public byte[] serverKey(byte[] keyBytes) {
        byte[] direct = concat(prefix, keyBytes);
        if (fits(direct)) {
            return direct;
        }
        byte[] digest = sha256(keyBytes);
        return concat(concat(prefix, HASHED_MARK), Base64.getUrlEncoder().withoutPadding().encode(digest));
    }

    /** Whether the server key is the hashed form (the full key then travels in the envelope). */
    private boolean isHashed(byte[] serverKey, byte[] keyBytes) {
        return serverKey.length != prefix.length + keyBytes.length;
    }

    private static boolean fits(byte[] serverKey) {
        try {
            Keys.check(serverKey);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Returns the entry (possibly logically expired), a {@linkplain StoredEntry#foreign foreign} entry if
     * the key holds an item that is not this key's envelope, or null if absent.
     */
    public StoredEntry read(byte[] keyBytes) {
        byte[] serverKey = serverKey(keyBytes);
        GetResult r = await(client.get(serverKey));
        if (r == null) {
            return null;
        }
        Envelope.Opened e = Envelope.open(r.value());
        if (e == null || (isHashed(serverKey, keyBytes) && !Arrays.equals(e.fullKey(), keyBytes))) {
            return StoredEntry.foreign(r.cas()); // no mapping, but it occupies the key
        }
        return new StoredEntry(e.value(), r.flags(), e.expiryMillis(), r.cas());
    }

    /**
     * Reads many keys with one pipelined batch per node. Returns the entries found, by position in
     * {@code keyBytes} (absent, foreign and colliding keys are left out).
     */
    public java.util.Map<Integer, StoredEntry> readMany(List<byte[]> keyBytes) {
        List<byte[]> serverKeys = new ArrayList<>(keyBytes.size());
        for (byte[] kb : keyBytes) {
            serverKeys.add(serverKey(kb));
        }
        java.util.Map<io.memring.client.Key, GetResult> hits = await(client.getMany(serverKeys));
        java.util.Map<Integer, StoredEntry> out = new java.util.HashMap<>();
        for (int i = 0; i < keyBytes.size(); i++) {
            GetResult r = hits.get(io.memring.client.Key.of(serverKeys.get(i)));
            if (r == null) {
                continue;
            }
            Envelope.Opened e = Envelope.open(r.value());
            if (e == null || (isHashed(serverKeys.get(i), keyBytes.get(i)) && !Arrays.equals(e.fullKey(), keyBytes.get(i)))) {
                continue;
            }
            out.put(i, new StoredEntry(e.value(), r.flags(), e.expiryMillis(), r.cas()));
        }
        return out;
    }

    /** Stores unconditionally (a plain set): for writes whose outcome does not depend on the old entry. */
    public void overwrite(byte[] keyBytes, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        byte[] serverKey = serverKey(keyBytes);
        byte[] stored = Envelope.wrap(value, expiryMillis, isHashed(serverKey, keyBytes) ? keyBytes : null);
        StoreResult r = await(client.store(StoreMode.SET, serverKey, stored, encoding, ttlSeconds(expiryMillis, nowMillis)));
        if (!r.stored()) {
            throw new CacheException("the server did not store the entry: " + r.status());
        }
    }

    /**
     * Writes a value where {@code current} was read: add if there was nothing, compare-and-set on its
     * CAS otherwise. Returns false if someone else changed the key in between.
     */
    public boolean write(byte[] keyBytes, StoredEntry current, byte[] value, int encoding, long expiryMillis, long nowMillis) {
        byte[] serverKey = serverKey(keyBytes);
        byte[] stored = Envelope.wrap(value, expiryMillis, isHashed(serverKey, keyBytes) ? keyBytes : null);
        int ttl = ttlSeconds(expiryMillis, nowMillis);
        StoreResult r = current == null
                ? await(client.store(StoreMode.ADD, serverKey, stored, encoding, ttl))
                : await(client.cas(serverKey, stored, encoding, ttl, current.cas()));
        return r.stored();
    }

    /** Deletes the key if it still holds {@code current}; false if someone else changed it. */
    public boolean remove(byte[] keyBytes, StoredEntry current) {
        StoreResult.Status s = await(client.deleteIfCas(serverKey(keyBytes), current.cas()));
        return s == StoreResult.Status.STORED;
    }

    /** Deletes unconditionally. */
    public void delete(byte[] keyBytes) {
        await(client.delete(serverKey(keyBytes)));
    }

    /**
     * Returns the server keys of every item of this cache on the ring (a full scan of every node),
     * without duplicates. A scan is not a snapshot: on stock memcached, items its LRU maintainer moves
     * during the crawl can be missed, so whole-cache deletes repeat until a scan comes back empty.
     */
    public List<byte[]> serverKeys() {
        java.util.LinkedHashSet<io.memring.client.Key> unique = new java.util.LinkedHashSet<>();
        for (byte[] k : await(client.keysWithPrefix(prefix))) {
            unique.add(io.memring.client.Key.of(k));
        }
        List<byte[]> out = new ArrayList<>(unique.size());
        unique.forEach(k -> out.add(k.bytes()));
        return out;
    }

    /** Deletes server keys (from {@link #serverKeys()}) in one pipelined batch per node. */
    public void deleteServerKeys(List<byte[]> serverKeys) {
        if (!serverKeys.isEmpty()) {
            await(client.deleteMany(serverKeys));
        }
    }

    /**
     * Reads by server key (from an enumeration); returns the cache key bytes and entry, or null. For a
     * hashed key the cache key comes from the envelope.
     */
    public KeyedEntry readServerKey(byte[] serverKey) {
        GetResult r = await(client.get(serverKey));
        if (r == null) {
            return null;
        }
        Envelope.Opened e = Envelope.open(r.value());
        if (e == null) {
            return null;
        }
        byte[] keyBytes = e.fullKey() != null ? e.fullKey() : Arrays.copyOfRange(serverKey, prefix.length, serverKey.length);
        return new KeyedEntry(keyBytes, new StoredEntry(e.value(), r.flags(), e.expiryMillis(), r.cas()));
    }

    /**
     * A cache key with its entry.
     *
     * @param keyBytes the serialized cache key
     * @param entry the stored entry
     */
    public record KeyedEntry(byte[] keyBytes, StoredEntry entry) {
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

    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof MemcacheException) {
                throw new CacheException("memcached ring: " + cause.getMessage(), cause);
            }
            throw new CacheException(String.valueOf(cause), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheException("interrupted", e);
        }
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

    /** Returns the namespace prefix (for tests and diagnostics). */
    public byte[] prefix() {
        return prefix.clone();
    }

}
