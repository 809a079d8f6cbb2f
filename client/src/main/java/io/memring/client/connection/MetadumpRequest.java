package io.memring.client.connection;

import io.memring.client.ProtocolException;
import io.memring.client.ServerBusyException;
import io.memring.client.ServerErrorException;
import io.memring.client.protocol.MetaRequests;
import io.memring.client.protocol.MetaResponse;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code lru_crawler metadump all}: collects the keys of live items (memcached's URI-encoded "key="
 * field, decoded) that pass a filter, until END. Each line is progress: the request's deadline moves
 * with it, so a long scan of a big node fails only if the node stops sending.
 */
public final class MetadumpRequest extends Request<List<byte[]>> {
    private final Predicate<byte[]> filter;
    private final List<byte[]> keys = new ArrayList<>();

    public MetadumpRequest(Predicate<byte[]> filter) {
        this.filter = filter;
    }

    @Override
    public void encode(ByteBuf out) {
        MetaRequests.metadump(out);
    }

    @Override
    public boolean extendsDeadlineOnProgress() {
        return true;
    }

    @Override
    public boolean onResponse(MetaResponse r) {
        switch (r.status) {
            case METADUMP -> {
                byte[] key = decodeKey(r.rest);
                if (key != null && filter.test(key)) {
                    keys.add(key);
                }
                return false;
            }
            case END -> future().complete(keys);
            case BUSY -> future().completeExceptionally(new ServerBusyException("crawler busy: " + r.rest));
            default -> future().completeExceptionally(new ServerErrorException("unexpected reply to metadump: " + r));
        }
        return true;
    }

    /**
     * Decodes the "key=" field: %XX escapes as bytes, everything else as is.
     *
     * @throws ProtocolException if the line has no key field or a broken escape (the connection closes)
     */
    static byte[] decodeKey(String line) {
        if (!line.startsWith("key=")) {
            throw new ProtocolException("metadump line without a key: " + abbreviate(line));
        }
        int end = line.indexOf(' ');
        String enc = line.substring(4, end < 0 ? line.length() : end);
        ByteArrayOutputStream out = new ByteArrayOutputStream(enc.length());
        for (int i = 0; i < enc.length(); i++) {
            char c = enc.charAt(i);
            if (c == '%') {
                int hi = i + 2 < enc.length() ? Character.digit(enc.charAt(i + 1), 16) : -1;
                int lo = i + 2 < enc.length() ? Character.digit(enc.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new ProtocolException("broken %-escape in metadump key: " + abbreviate(line));
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    private static String abbreviate(String line) {
        return line.length() <= 80 ? line : line.substring(0, 80) + "...";
    }
}
