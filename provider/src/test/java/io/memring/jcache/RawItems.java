package io.memring.jcache;

import io.memring.client.GetResult;
import io.memring.client.MemcacheClient;
import io.memring.jcache.store.GenerationalStore;
import io.memring.jcache.store.RemoteStore;
import io.memring.jcache.store.RingStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;

/**
 * Plants and reads raw items under a cache's keys, as another program writing to the nodes would,
 * through the cache's own client (so the item lands on the node the key hashes to). Knows the layout
 * documented in {@code store/package-info}: {@code jc:<url-encoded name>:<tag><key>}, String keys
 * tagged {@code '1'}, values wrapped in {@code [1][expiry 8][key length 4][key][value]}.
 */
final class RawItems {
    private static final long TIMEOUT_SECONDS = 5;

    private RawItems() {
    }

    /** The server key of a String cache key (short enough not to be hashed). */
    static byte[] serverKey(Cache<?, ?> cache, String key) {
        byte[] keyBytes = ("1" + key).getBytes(StandardCharsets.UTF_8);
        RemoteStore store = cache.unwrap(RemoteStore.class);
        // on stock memcached the key also carries the cache's generation
        return store instanceof GenerationalStore g ? g.serverKey(keyBytes) : ((RingStore) store).serverKey(keyBytes);
    }

    /** A Memring envelope around {@code payload}: never expires, no full key. */
    static byte[] envelope(byte[] payload) {
        return ByteBuffer.allocate(13 + payload.length).put((byte) 1).putLong(0).putInt(0).put(payload).array();
    }

    /** Stores {@code value} with client {@code flags} under the cache's String key, as a plain set. */
    static void plant(Cache<?, ?> cache, String key, byte[] value, int flags) throws Exception {
        MemcacheClient client = cache.unwrap(MemcacheClient.class);
        client.set(serverKey(cache, key), value, flags, 0).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** Returns the raw item under the cache's String key, or null. */
    static GetResult read(Cache<?, ?> cache, String key) throws Exception {
        return cache.unwrap(MemcacheClient.class).get(serverKey(cache, key)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
