/**
 * Memring's memcached client: the public API ({@link io.memring.client.MemcacheClient}, its results,
 * {@link io.memring.client.ClientConfig}, typed exceptions) and {@link io.memring.client.MemcacheClients},
 * the one place where the layers are assembled.
 *
 * <p>Layers, each its own package: {@code ketama} (the ring), {@code protocol} (meta-protocol bytes),
 * {@code connection} (one pipelined Netty connection per node, in-flight bound, timeouts, reconnect,
 * node health), {@code routing} (key to node, failover, multi-key split). Futures complete on the
 * client's I/O threads: callbacks must not block; use the {@code *Async} methods of
 * {@code CompletableFuture} with an executor for slow work, or the blocking facade.
 */
package io.memring.client;
