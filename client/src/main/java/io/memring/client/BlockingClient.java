package io.memring.client;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Waits for each operation of a {@link MemcacheClient}; failures surface as its typed exceptions. */
public final class BlockingClient {
    private final MemcacheClient client;

    BlockingClient(MemcacheClient client) {
        this.client = client;
    }

    private static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new MemcacheException(String.valueOf(cause), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MemcacheException("interrupted", e);
        }
    }

    public GetResult get(byte[] key) {
        return await(client.get(key));
    }

    public Map<Key, GetResult> getMany(Collection<byte[]> keys) {
        return await(client.getMany(keys));
    }

    public StoreResult set(byte[] key, byte[] value, int flags, int ttlSeconds) {
        return await(client.set(key, value, flags, ttlSeconds));
    }

    public StoreResult store(StoreMode mode, byte[] key, byte[] value, int flags, int ttlSeconds) {
        return await(client.store(mode, key, value, flags, ttlSeconds));
    }

    public StoreResult cas(byte[] key, byte[] value, int flags, int ttlSeconds, long cas) {
        return await(client.cas(key, value, flags, ttlSeconds, cas));
    }

    public Map<Key, StoreResult.Status> setMany(Map<Key, byte[]> entries, int flags, int ttlSeconds) {
        return await(client.setMany(entries, flags, ttlSeconds));
    }

    public boolean delete(byte[] key) {
        return await(client.delete(key));
    }

    public StoreResult.Status deleteIfCas(byte[] key, long cas) {
        return await(client.deleteIfCas(key, cas));
    }

    public int deleteMany(Collection<byte[]> keys) {
        return await(client.deleteMany(keys));
    }

    public Map<Key, StoreResult.Status> deleteManyIfCas(Map<Key, Long> expectedCas) {
        return await(client.deleteManyIfCas(expectedCas));
    }

    /** Returns the new value, or null on a miss without {@code initial}. */
    public Long incr(byte[] key, long delta, long initial, int ttlSeconds) {
        return await(client.incr(key, delta, initial, ttlSeconds));
    }

    /** Returns the new value, or null on a miss without {@code initial}. */
    public Long decr(byte[] key, long delta, long initial, int ttlSeconds) {
        return await(client.decr(key, delta, initial, ttlSeconds));
    }

    public boolean touch(byte[] key, int ttlSeconds) {
        return await(client.touch(key, ttlSeconds));
    }

    public List<byte[]> keysWithPrefix(byte[] prefix) {
        return await(client.keysWithPrefix(prefix));
    }

    public void flushAll() {
        await(client.flushAll());
    }
}
