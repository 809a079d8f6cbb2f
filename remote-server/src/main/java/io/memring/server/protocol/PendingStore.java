package io.memring.server.protocol;

import io.netty.buffer.ByteBuf;

/** A storage command waiting for its data block. */
interface PendingStore {
    /**
     * Completes the command with {@code data[index, index + length)}, where length excludes the CRLF
     * that the framing layer already verified.
     */
    void complete(ByteBuf data, int index, int length, ByteBuf out);

    /** The block did not end in CRLF: reply accordingly (memcached: {@code CLIENT_ERROR bad data chunk}). */
    void badChunk(ByteBuf out);

    /**
     * The node-wide budget for data blocks in flight cannot hold this block: reply as memcached does
     * when it cannot allocate the item. The framing layer then discards the block unread.
     *
     * @param chunked the block is larger than memcached's largest slab chunk: memcached stores such a
     *     value in chunks allocated while it reads, so it fails with {@code SERVER_ERROR Out of memory
     *     during read} and keeps the old item; a smaller one fails at once with {@code SERVER_ERROR
     *     out of memory storing object}
     */
    void outOfMemory(ByteBuf out, boolean chunked);
}
