/**
 * Transport concerns below the protocol: connection admission ({@code -c}) and the node-wide
 * {@link io.memring.server.net.MemoryBudget}s for connection buffers (data blocks in flight, large
 * replies waiting for a slow reader), and the client channels' allocator
 * ({@link io.memring.server.net.SpareReadAllocator}: one reused socket read buffer per event loop
 * thread). Depends on nothing else in the node but {@code stats}.
 */
package io.memring.server.net;
