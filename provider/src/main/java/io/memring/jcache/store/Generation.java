package io.memring.jcache.store;

import static io.memring.jcache.store.RingStore.await;

import io.memring.client.GetResult;
import io.memring.client.MemcacheClient;
import io.memring.client.StoreMode;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.cache.CacheException;

/**
 * A cache's generation, kept on the ring in one small item {@code jcg:<encoded name>} (decimal ASCII,
 * so {@code incr} bumps it), shared by every JVM. Entries are keyed under the generation they were
 * written in; {@code clear()} and {@code destroyCache()} {@link #bump() bump} it, so the old entries are
 * unreachable at once, everywhere, without a crawl, and age out under the nodes' LRU.
 *
 * <p>The item can vanish (evicted, its node died or was flushed) or come back older (its node returns
 * with the value it had). Either way the generation must never go back to one whose entries may still
 * be on the ring: a missing item is re-created with {@code add} at a value above any this JVM has seen
 * and at least the current time in microseconds (a fresh item from a restarted JVM still starts above
 * every earlier counter, which grows by one per clear); a value below what this JVM has seen is replaced
 * the same way with a CAS. The cache then looks cleared, which a cache may always be; old entries never
 * reappear. The bytes come from a node, so anything that is not a decimal number is treated as lost.
 */
final class Generation {
    /** Creations and replacements retried after another client's won; each race means the item changed. */
    private static final int MAX_ATTEMPTS = 8;

    private final MemcacheClient client;
    private final byte[] key;
    private final LongSupplier micros;
    /** The highest generation this JVM has seen for the cache; the one its operations use. */
    private final AtomicLong known = new AtomicLong(0);

    Generation(MemcacheClient client, String cacheName, LongSupplier micros) {
        this.client = client;
        this.key = key(cacheName);
        this.micros = micros;
    }

    /** The generation item's key: outside every cache's {@code jc:} namespace, so no scan lists it. */
    static byte[] key(String cacheName) {
        return ("jcg:" + RingStore.encodedName(cacheName)).getBytes(StandardCharsets.US_ASCII);
    }

    /** Returns the generation this JVM last saw (0 before the first {@link #refresh()}). */
    long known() {
        return known.get();
    }

    /** Reads the item now and returns the current generation (creating the item if it is missing). */
    long refresh() {
        return settle(await(fetch()));
    }

    /** Sends a read of the item: to go out in the same pipelined batch as an operation's own requests. */
    CompletableFuture<GetResult> fetch() {
        return client.get(key);
    }

    /**
     * Returns the current generation given a read of the item ({@code null}: missing), repairing a
     * missing or stale item first.
     */
    long settle(GetResult read) {
        GetResult r = read;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            long value = r == null ? -1 : parse(r.value());
            long seen = known.get();
            if (value > 0 && value >= seen) {
                return known.accumulateAndGet(value, Math::max);
            }
            long fresh = Math.max(micros.getAsLong(), seen + 1);
            boolean won = r == null
                    ? await(client.store(StoreMode.ADD, key, ascii(fresh), 0, 0)).stored()
                    : await(client.cas(key, ascii(fresh), 0, 0, r.cas())).stored();
            if (won) {
                return known.accumulateAndGet(fresh, Math::max);
            }
            r = await(fetch()); // another client got there first: take what it wrote
        }
        throw new CacheException("the generation item " + new String(key, StandardCharsets.US_ASCII)
                + " kept changing while it was being re-created; try again");
    }

    /**
     * Moves the cache to a new generation (one atomic {@code incr} on the item) and returns it: every
     * entry written before is unreachable from then on, in every JVM.
     */
    long bump() {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            long seen = refresh(); // repairs a missing, stale or garbled item first: incr needs a number
            Long next = await(client.incr(key, 1, -1, 0));
            if (next != null && next > seen) {
                return known.accumulateAndGet(next, Math::max);
            }
            // vanished or went back in between: repair and bump again
        }
        throw new CacheException("could not move the generation item " + new String(key, StandardCharsets.US_ASCII)
                + " forward; try again");
    }

    /** The decimal value, or -1 if the bytes are not a decimal number of at most 18 digits. */
    static long parse(byte[] value) {
        if (value == null || value.length == 0 || value.length > 18) {
            return -1;
        }
        long v = 0;
        for (byte b : value) {
            if (b < '0' || b > '9') {
                return -1;
            }
            v = v * 10 + (b - '0');
        }
        return v;
    }

    private static byte[] ascii(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }
}
