package io.memring.client.connection;

import io.memring.client.protocol.ErrorReplies;
import io.memring.client.protocol.MetaResponse;
import io.netty.buffer.ByteBuf;
import java.util.function.Consumer;
import java.util.function.Function;

/** A request answered by exactly one reply, mapped to the caller's result. */
public final class SingleRequest<T> extends Request<T> {
    private final Consumer<ByteBuf> encoder;
    private final Function<MetaResponse, T> mapper;

    public SingleRequest(Consumer<ByteBuf> encoder, Function<MetaResponse, T> mapper) {
        this.encoder = encoder;
        this.mapper = mapper;
    }

    @Override
    public void encode(ByteBuf out) {
        encoder.accept(out);
    }

    @Override
    public boolean onResponse(MetaResponse response) {
        if (response.isError()) {
            future().completeExceptionally(ErrorReplies.toException(response));
        } else {
            try {
                future().complete(mapper.apply(response));
            } catch (RuntimeException e) {
                future().completeExceptionally(e);
            }
        }
        return true;
    }
}
