package io.memring.client.connection;

import io.memring.client.protocol.MetaResponse;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * {@code mr_client <id>}, the first line of every request connection: a Memring node answers
 * {@code OK} and tags this connection's writes with the id (so the client's own mutation stream does
 * not echo them); stock memcached answers {@code ERROR}, which is swallowed here. Completes with
 * whether the node took the id.
 */
public final class ClientHello extends Request<Boolean> {
    private final byte[] line;

    public ClientHello(long clientId) {
        this.line = String.format("mr_client %016x\r\n", clientId).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void encode(ByteBuf out) {
        out.writeBytes(line);
    }

    @Override
    public boolean onResponse(MetaResponse r) {
        future().complete(r.status == MetaResponse.Status.OK);
        return true;
    }
}
