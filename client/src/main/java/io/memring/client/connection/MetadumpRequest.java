package io.memring.client.connection;

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
 * field, decoded) that pass a filter, until END.
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
            case BUSY -> future().completeExceptionally(new ServerErrorException("crawler busy: " + r.rest));
            default -> future().completeExceptionally(new ServerErrorException("unexpected reply to metadump: " + r));
        }
        return true;
    }

    /** Decodes the "key=" field: %XX escapes as bytes, everything else as is. */
    static byte[] decodeKey(String line) {
        int end = line.indexOf(' ');
        String enc = line.substring(4, end < 0 ? line.length() : end);
        ByteArrayOutputStream out = new ByteArrayOutputStream(enc.length());
        for (int i = 0; i < enc.length(); i++) {
            char c = enc.charAt(i);
            if (c == '%' && i + 2 < enc.length()) {
                out.write(Integer.parseInt(enc.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }
}
