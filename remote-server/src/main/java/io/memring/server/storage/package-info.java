/**
 * The node's storage engine: a hash index plus per-slab-class LRU lists over off-heap pages, under a
 * hard memory limit ({@code -m}, plus at most one page per slab class: as in memcached, a class gets
 * its first page past the limit). Split by job as memcached's sources are:
 *
 * <ul>
 *   <li>{@link io.memring.server.storage.PagePool}: the node's pages, shared by all shards (memcached's
 *       {@code -m} budget, and the first pages granted past it).
 *   <li>{@link io.memring.server.storage.SlabAllocator} ({@code slabs.c}): the pages cut into chunks of
 *       one class each, and the free lists; shared by all shards, one lock per class.
 *   <li>{@link io.memring.server.storage.SlabMover} (the slab mover): empties a page so that another
 *       class can have it, evicting each item under its own shard's lock; never a class's last page.
 *   <li>{@link io.memring.server.storage.Assoc} ({@code assoc.c}): the hash index, grown incrementally,
 *       with a scan cursor that survives growth.
 *   <li>{@link io.memring.server.storage.ItemLru} ({@code items.c}'s lists): one LRU list per class,
 *       an item relinked at most once per 60 s idle, with a second chance at the tail.
 *   <li>{@link io.memring.server.storage.Shard} ({@code items.c}): the item lifecycle (find, link,
 *       unlink, bump, evict, reclaim) and the commands, under the shard's lock.
 *   <li>{@link io.memring.server.storage.Storage}: the public face; routes keys to shards, holds the
 *       pending flush ({@link io.memring.server.storage.FlushMark}) and the one
 *       {@link io.memring.server.storage.MutationListener} every change is reported to (through
 *       {@link io.memring.server.storage.Mutations}, called only from {@code Shard} and
 *       {@code Storage.flushAll}).
 *   <li>{@link io.memring.server.storage.HybridClock}: every item's version, which is its CAS (ms,
 *       counter, node id), and {@code Storage.applyReplica/applyTombstone/applyFlush}: a peer's state
 *       applied last-writer-wins by version, silent to the listener, with a bounded
 *       {@code Tombstones} record per shard (4096 keys, 120 s). An immediate flush is a version
 *       watermark ({@code FlushMark}): items at or below it are dead, on every node it reaches.
 * </ul>
 *
 * <p>Layout: an item is one chunk: a 43-byte header ({@link io.memring.server.storage.ItemLayout})
 * followed by key and value bytes. Items are addressed by 4-byte handles (page id and chunk index);
 * the hash chain and LRU links live inside the chunk, so the only on-heap cost per item is a share of
 * one {@code int} bucket slot.
 *
 * <p>Locking: keys hash to a shard; every public {@code Shard} method runs with that shard's lock
 * held for a short, bounded time (no I/O), so event loops never wait long. Methods prefixed
 * {@code do} assume the lock is held, and every method of {@code Assoc} and {@code ItemLru} does.
 * Cross-shard work (evicting another shard's item to free a chunk or a page) only ever uses
 * {@code tryLock}; the allocator's class locks are taken inside a shard lock and never wait for one,
 * so no lock order is needed. An item the running command still reads is pinned: its allocation
 * never evicts it nor moves its page.
 *
 * <p>Time is seconds relative to process start ({@link io.memring.server.storage.ServerClock}), as
 * memcached's {@code rel_time_t}; the production clock reads {@link io.memring.server.storage.CoarseNanos}
 * (the monotonic time stored every 10 ms by one daemon thread, {@code memring-clock}), so a request
 * costs no {@code clock_gettime}. Depends on nothing but the JDK, SLF4J and Netty's {@code ByteBuf}.
 */
package io.memring.server.storage;
