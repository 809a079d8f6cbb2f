package io.memring.client.connection;

import io.memring.client.protocol.MetaResponse;
import io.netty.buffer.ByteBuf;

/** One unit of the pipeline: bytes to send and the replies that belong to it. */
public abstract class Request {
    long deadlineNanos;

    /** Appends the request bytes. */
    public abstract void encode(ByteBuf out);

    /** Takes the next reply; returns true when no more replies belong to this request. */
    public abstract boolean onResponse(MetaResponse response);

    /** Fails the request (no effect if already complete). */
    public abstract void fail(Throwable cause);

    /** Returns whether the caller already has an outcome (a reply, a failure or a timeout). */
    public abstract boolean isDone();
}
