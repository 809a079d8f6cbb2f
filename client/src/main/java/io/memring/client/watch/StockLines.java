package io.memring.client.watch;

import io.memring.client.ProtocolException;
import java.io.ByteArrayOutputStream;

/**
 * Stock memcached 1.6's {@code watch mutations} log lines, e.g. {@code ts=1795868632.879 gid=2
 * type=item_store key=foo%20bar status=stored cmd=set ttl=0 clsid=1 cfd=25 size=3}: keys are
 * URL-encoded; only stores are logged (memcached 1.6.18 logs no delete, touch or incr/decr here).
 */
final class StockLines {
    private static final int MAX_KEY = 250;

    private StockLines() {
    }

    static WatchLine parse(String line) {
        String type = null;
        String key = null;
        String status = null;
        String cmd = null;
        String ttl = null;
        for (String field : line.split(" ")) {
            int eq = field.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = field.substring(0, eq);
            String value = field.substring(eq + 1);
            switch (name) {
                case "type" -> type = value;
                case "key" -> key = value;
                case "status" -> status = value;
                case "cmd" -> cmd = value;
                case "ttl" -> ttl = value;
                default -> { }
            }
        }
        if (!"item_store".equals(type) || !"stored".equals(status)) {
            return new WatchLine.Ignored();
        }
        if (key == null) {
            throw new ProtocolException("stock watch store line without a key: " + WatchStreamDecoder.abbreviate(line));
        }
        int ttlSeconds = 0;
        if (ttl != null && !ttl.equals("-1")) {
            long t = WatchStreamDecoder.number(ttl, "ttl");
            ttlSeconds = (int) Math.min(Integer.MAX_VALUE, t);
        }
        MutationKind kind = "add".equals(cmd) ? MutationKind.CREATED : MutationKind.UPDATED;
        return new WatchLine.StockStore(kind, urlDecode(key, line), ttlSeconds);
    }

    /** Decodes memcached's %XX key encoding; anything else must be a printable, non-space byte. */
    static byte[] urlDecode(String s, String line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 1 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
                int lo = i + 2 < s.length() ? Character.digit(s.charAt(i + 2), 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw new ProtocolException("bad key escape: " + WatchStreamDecoder.abbreviate(line));
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else if (c > 0x20 && c < 0x7f) {
                out.write(c);
            } else {
                throw new ProtocolException("bad key byte: " + WatchStreamDecoder.abbreviate(line));
            }
        }
        if (out.size() == 0 || out.size() > MAX_KEY) {
            throw new ProtocolException("stock watch key of " + out.size() + " bytes: " + WatchStreamDecoder.abbreviate(line));
        }
        return out.toByteArray();
    }
}
