package io.memring.server.protocol;

import io.memring.server.watch.WatchHub;
import io.memring.server.watch.WriteOrigin;
import io.netty.buffer.ByteBuf;
import java.util.Base64;

/**
 * Memring's mutation-stream commands (issue 11, {@code NEARCACHE.md}): {@code mr_client <id>} tags the
 * connection's writes with the client's id; {@code mr_watch <id> <keys|values> <prefixB64>...} makes it
 * a subscription (again: replaces the prefix set and mode). Every argument is checked before anything
 * changes; a refused line leaves the connection as it was.
 */
final class WatchCommands {
    static final String WATCH_PREFIX = "mr_watch ";
    static final int MAX_PREFIXES = 64;
    static final int MAX_PREFIX_BYTES = 250;
    static final byte[] LINE_TOO_LONG = Replies.ascii("CLIENT_ERROR line too long\r\n");
    private static final byte[] BAD_ID = Replies.ascii("CLIENT_ERROR bad client id\r\n");
    private static final byte[] BAD_MODE = Replies.ascii("CLIENT_ERROR bad watch mode\r\n");
    private static final byte[] BAD_PREFIX = Replies.ascii("CLIENT_ERROR bad watch prefix\r\n");
    private static final byte[] TOO_MANY = Replies.ascii("CLIENT_ERROR too many watch prefixes\r\n");
    private static final byte[] OK = Replies.ascii("OK\r\n");
    /** Longest base64 token of a {@value #MAX_PREFIX_BYTES}-byte prefix. */
    private static final int MAX_PREFIX_TOKEN = (MAX_PREFIX_BYTES + 2) / 3 * 4;

    private final Connection c;

    WatchCommands(Connection c) {
        this.c = c;
    }

    /** {@code mr_client <16 lowercase hex digits, not 0>}: answers OK; later writes carry the id. */
    void client(Tokens t, ByteBuf out) {
        if (t.count() != 2) {
            out.writeBytes(Replies.ERROR);
            return;
        }
        long id = clientId(t, 1);
        if (id == 0) {
            out.writeBytes(BAD_ID);
            return;
        }
        c.origin = id;
        WriteOrigin.set(id); // the rest of this read batch runs on this thread too
        out.writeBytes(OK);
    }

    /** {@code mr_watch <id> <keys|values> [<prefixB64> ...]}: answers {@code MW <bootId> <seq>}. */
    void watch(Tokens t, ByteBuf out) {
        WatchHub hub = c.node.watches();
        if (hub == null || c.channel == null) {
            out.writeBytes(Replies.ERROR);
            return;
        }
        int n = t.count();
        if (n < 3) {
            out.writeBytes(Replies.ERROR);
            return;
        }
        if (t.end(n - 1) > MemcachedFrameDecoder.MAX_BUFFERED_LINE) {
            out.writeBytes(LINE_TOO_LONG);
            return;
        }
        long id = clientId(t, 1);
        if (id == 0) {
            out.writeBytes(BAD_ID);
            return;
        }
        boolean values;
        if (t.is(2, "values")) {
            values = true;
        } else if (t.is(2, "keys")) {
            values = false;
        } else {
            out.writeBytes(BAD_MODE);
            return;
        }
        if (n - 3 > MAX_PREFIXES) {
            out.writeBytes(TOO_MANY);
            return;
        }
        byte[][] prefixes = new byte[n - 3][];
        for (int i = 3; i < n; i++) {
            byte[] p = prefix(t, i);
            if (p == null) {
                out.writeBytes(BAD_PREFIX);
                return;
            }
            prefixes[i - 3] = p;
        }
        c.watch = hub.watch(c.channel, c.watch, id, values, prefixes, out);
    }

    private static byte[] prefix(Tokens t, int i) {
        if (t.length(i) > MAX_PREFIX_TOKEN) {
            return null;
        }
        try {
            byte[] p = Base64.getDecoder().decode(t.bytes(i));
            return p.length == 0 || p.length > MAX_PREFIX_BYTES ? null : p;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Returns the id in token {@code i} (exactly 16 lowercase hex digits), or 0 when it is not one. */
    private static long clientId(Tokens t, int i) {
        if (t.length(i) != 16) {
            return 0;
        }
        long v = 0;
        for (int k = 0; k < 16; k++) {
            int b = t.byteAt(i, k);
            int d;
            if (b >= '0' && b <= '9') {
                d = b - '0';
            } else if (b >= 'a' && b <= 'f') {
                d = b - 'a' + 10;
            } else {
                return 0;
            }
            v = (v << 4) | d;
        }
        return v;
    }
}
