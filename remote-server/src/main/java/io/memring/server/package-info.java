/**
 * The Memring node: {@link io.memring.server.MemringServer} wires configuration, storage, the Netty
 * transport and the protocol handlers together, and owns their lifecycle.
 *
 * <p>Sub-packages, one concern each: {@code storage} (items, memory, LRU; depends on nothing of ours),
 * {@code protocol} (memcached text + meta; depends on storage and stats), {@code net} (connection
 * limits), {@code stats} (counters), {@code cli} (command-line flags), {@code cluster} (membership,
 * key ownership, readiness; on the client's ketama ring), {@code replication} (peer links, shipping).
 */
package io.memring.server;
