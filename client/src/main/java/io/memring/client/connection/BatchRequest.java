package io.memring.client.connection;

import io.memring.client.ServerErrorException;
import io.memring.client.protocol.ErrorReplies;
import io.memring.client.protocol.MetaRequests;
import io.memring.client.protocol.MetaResponse;
import io.netty.buffer.ByteBuf;
import java.util.function.Supplier;

/**
 * Many quiet requests and a closing {@code mn}: replies come only for the items that have something to
 * say (hits, failures), each tagged with its item's opaque index, and {@code MN} ends the batch.
 */
public final class BatchRequest<T> extends Request<T> {
    /** Writes item {@code i} (quiet, with opaque "i"). */
    public interface ItemEncoder {
        void encode(ByteBuf out, int index);
    }

    /** Takes the reply for item {@code index}. */
    public interface ItemHandler {
        void onItem(int index, MetaResponse response);
    }

    private final int items;
    private final ItemEncoder encoder;
    private final ItemHandler handler;
    private final Supplier<T> result;
    private ServerErrorException error;

    public BatchRequest(int items, ItemEncoder encoder, ItemHandler handler, Supplier<T> result) {
        this.items = items;
        this.encoder = encoder;
        this.handler = handler;
        this.result = result;
    }

    @Override
    public void encode(ByteBuf out) {
        for (int i = 0; i < items; i++) {
            encoder.encode(out, i);
        }
        MetaRequests.noop(out);
    }

    @Override
    public boolean onResponse(MetaResponse r) {
        if (r.status == MetaResponse.Status.MN) {
            if (error != null) {
                future().completeExceptionally(error);
            } else {
                try {
                    future().complete(result.get());
                } catch (RuntimeException e) {
                    future().completeExceptionally(e);
                }
            }
            return true;
        }
        if (r.isError()) {
            // Error lines carry no opaque, so the failing item is unknown: fail the batch.
            error = ErrorReplies.toException(r);
            return false;
        }
        int index = -1;
        try {
            index = r.opaque == null ? -1 : Integer.parseInt(r.opaque);
        } catch (NumberFormatException ignored) {
            // reported below
        }
        if (index < 0 || index >= items) {
            error = new ServerErrorException("reply without a valid opaque in a batch: " + r);
            return false;
        }
        if (!future().isDone() && error == null) {
            try {
                handler.onItem(index, r);
            } catch (RuntimeException e) {
                // A reply the item cannot take (an unexpected status) fails the batch at MN; thrown out of
                // here it only closed the connection while MN, already read, completed the batch normally.
                error = e instanceof ServerErrorException se ? se : new ServerErrorException("bad reply in a batch: " + r, e);
            }
        }
        return false;
    }
}
