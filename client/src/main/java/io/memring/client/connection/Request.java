package io.memring.client.connection;

import io.memring.client.protocol.MetaResponse;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;

/**
 * One unit of the pipeline: bytes to send, the replies that belong to it, and the caller's future.
 *
 * @param <T> the result type
 */
public abstract class Request<T> {
    long deadlineNanos;
    private final CompletableFuture<T> future = new CompletableFuture<>();

    /** Appends the request bytes. */
    public abstract void encode(ByteBuf out);

    /** Takes the next reply; returns true when no more replies belong to this request. */
    public abstract boolean onResponse(MetaResponse response);

    /** Returns whether each reply that does not end the request pushes its deadline back (scans). */
    public boolean extendsDeadlineOnProgress() {
        return false;
    }

    public CompletableFuture<T> future() {
        return future;
    }

    /** Fails the request (no effect if already complete). */
    public void fail(Throwable cause) {
        future.completeExceptionally(cause);
    }

    /** Returns whether the caller already has an outcome (a reply, a failure or a timeout). */
    public boolean isDone() {
        return future.isDone();
    }
}
