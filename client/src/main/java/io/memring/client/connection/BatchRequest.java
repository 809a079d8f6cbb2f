package io.memring.client.connection;

import io.memring.client.NodeNotReadyException;
import io.memring.client.NotOwnerException;
import io.memring.client.ServerErrorException;
import io.memring.client.protocol.ErrorReplies;
import io.memring.client.protocol.MetaRequests;
import io.memring.client.protocol.MetaResponse;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Many requests and a closing {@code mn}; {@code MN} ends the batch. Quiet (the default): replies come
 * only for the items that have something to say (hits, failures), each tagged with its item's opaque
 * index, and an error line (which carries no opaque) fails the whole batch. {@linkplain #attributed
 * Attributed}: the items are sent without {@code q}, so every item has exactly one reply, in order, and
 * a cluster refusal ({@link NotOwnerException}, {@link NodeNotReadyException}) is recorded for the item
 * at its position ({@link #refusals()}) instead of failing the batch: the caller re-routes those keys.
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
    private final boolean attributed;
    private final List<Refusal> refusals = new ArrayList<>();
    private int position;
    private ServerErrorException error;

    /** An item a node refused as not its to take (nothing applied): the caller may send it elsewhere. */
    public record Refusal(int index, ServerErrorException cause) {
    }

    public BatchRequest(int items, ItemEncoder encoder, ItemHandler handler, Supplier<T> result) {
        this(items, encoder, handler, result, false);
    }

    private BatchRequest(int items, ItemEncoder encoder, ItemHandler handler, Supplier<T> result, boolean attributed) {
        this.items = items;
        this.encoder = encoder;
        this.handler = handler;
        this.result = result;
        this.attributed = attributed;
    }

    /**
     * A batch whose {@code encoder} writes every item without {@code q} (one reply per item, in order),
     * so a refusal is known per item. The handler sees every other reply, including HD/EN/NF.
     */
    public static <T> BatchRequest<T> attributed(int items, ItemEncoder encoder, ItemHandler handler, Supplier<T> result) {
        return new BatchRequest<>(items, encoder, handler, result, true);
    }

    /** Returns the items refused with a cluster refusal (attributed batches only); read once the future is done. */
    public List<Refusal> refusals() {
        return refusals;
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
        if (attributed) {
            return onAttributed(r);
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

    /** One reply per item, in order: the position names the item, error lines included. */
    private boolean onAttributed(MetaResponse r) {
        int index = position++;
        if (index >= items) {
            error = new ServerErrorException("more replies than items in a batch: " + r);
            return false;
        }
        if (r.isError()) {
            ServerErrorException e = ErrorReplies.toException(r);
            if (e instanceof NotOwnerException || e instanceof NodeNotReadyException) {
                refusals.add(new Refusal(index, e));
            } else if (error == null) {
                error = e;
            }
            return false;
        }
        if (r.opaque != null && !r.opaque.equals(Integer.toString(index))) {
            error = new ServerErrorException("reply out of order in a batch: item " + index + ", " + r);
            return false;
        }
        if (!future().isDone() && error == null) {
            try {
                handler.onItem(index, r);
            } catch (RuntimeException e) {
                error = e instanceof ServerErrorException se ? se : new ServerErrorException("bad reply in a batch: " + r, e);
            }
        }
        return false;
    }
}
