package io.memring.server.protocol;

import io.netty.buffer.ByteBuf;

/** A long reply produced in bounded pieces, so one command cannot fill the connection's memory. */
interface ReplyStream {
    /** Writes the next piece into {@code out}; returns false when the reply is complete. */
    boolean writeNext(ByteBuf out);
}
