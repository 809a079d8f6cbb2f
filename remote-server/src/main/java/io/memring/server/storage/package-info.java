/**
 * The node's storage engine: a hash index plus per-slab-class LRU lists over off-heap pages, under a
 * hard memory limit.
 *
 * <p>Layout: memory is a pool of fixed-size pages ({@link io.memring.server.storage.PagePool}), handed
 * to shards on demand and cut into equal chunks of one slab class, as memcached does. An item is one
 * chunk: a 43-byte header ({@link io.memring.server.storage.ItemLayout}) followed by key and value
 * bytes. Items are addressed by 4-byte handles (page id and chunk index); the hash chain and LRU
 * links live inside the chunk, so the only on-heap cost per item is one {@code int} bucket slot.
 *
 * <p>Locking: keys hash to a {@link io.memring.server.storage.Shard}; every {@code Shard} method runs
 * with that shard's lock held for a short, bounded time (no I/O), so event loops never wait long.
 * Methods prefixed {@code do} assume the lock is held. Cross-shard work (stealing a page when a
 * shard has none) only ever uses {@code tryLock}, so no lock order is needed.
 *
 * <p>Time is seconds relative to process start ({@link io.memring.server.storage.ServerClock}), as
 * memcached's {@code rel_time_t}. Depends on nothing but the JDK and Netty's {@code ByteBuf}.
 */
package io.memring.server.storage;
