package io.memring.server.protocol;

import io.memring.server.storage.StoreMode;
import io.netty.buffer.ByteBuf;

/**
 * Routes one command line to the command that handles it, following memcached's
 * {@code process_command_ascii}: arity checks answer {@code ERROR}, unknown commands answer
 * {@code ERROR}.
 */
final class CommandDispatcher {
    private final Connection c;
    private final TextCommands text;
    private final MetaCommands meta;
    private final AdminCommands admin;
    private final WatchCommands watch;

    CommandDispatcher(Connection c) {
        this.c = c;
        this.text = new TextCommands(c);
        this.meta = new MetaCommands(c);
        this.admin = new AdminCommands(c);
        this.watch = new WatchCommands(c);
    }

    Connection connection() {
        return c;
    }

    TextCommands text() {
        return text;
    }

    void dispatch(Tokens t, ByteBuf out) {
        int n = t.memcachedCount();
        if (n < 2 || t.length(0) < 2) {
            out.writeBytes(Replies.ERROR);
            return;
        }
        byte first = t.byteAt(0, 0);
        if (first == 'm' && t.length(0) == 2) {
            switch (t.byteAt(0, 1)) {
                case 'g' -> meta.get(t, out);
                case 's' -> meta.set(t, out);
                case 'd' -> meta.delete(t, out);
                case 'a' -> meta.arithmetic(t, out);
                case 'n' -> out.writeBytes(Replies.MN);
                case 'e' -> meta.debug(t, out);
                default -> out.writeBytes(Replies.ERROR);
            }
            return;
        }
        if (t.is(0, "get") || t.is(0, "bget")) {
            getFamily(t, out, n, false, false);
        } else if (t.is(0, "gets")) {
            getFamily(t, out, n, true, false);
        } else if (t.is(0, "gat")) {
            getFamily(t, out, n, false, true);
        } else if (t.is(0, "gats")) {
            getFamily(t, out, n, true, true);
        } else if (t.is(0, "set")) {
            update(t, out, n, StoreMode.SET);
        } else if (t.is(0, "add")) {
            update(t, out, n, StoreMode.ADD);
        } else if (t.is(0, "replace")) {
            update(t, out, n, StoreMode.REPLACE);
        } else if (t.is(0, "append")) {
            update(t, out, n, StoreMode.APPEND);
        } else if (t.is(0, "prepend")) {
            update(t, out, n, StoreMode.PREPEND);
        } else if (t.is(0, "cas")) {
            if (n == 7 || n == 8) {
                text.update(t, out, StoreMode.CAS);
            } else {
                out.writeBytes(Replies.ERROR);
            }
        } else if (t.is(0, "delete")) {
            if (n >= 3 && n <= 5) {
                text.delete(t, out);
            } else {
                out.writeBytes(Replies.ERROR);
            }
        } else if (t.is(0, "incr") || t.is(0, "decr")) {
            if (n == 4 || n == 5) {
                text.arithmetic(t, out, t.is(0, "incr"));
            } else {
                out.writeBytes(Replies.ERROR);
            }
        } else if (t.is(0, "touch")) {
            if (n == 4 || n == 5) {
                text.touch(t, out);
            } else {
                out.writeBytes(Replies.ERROR);
            }
        } else if (t.is(0, "stats")) {
            admin.stats(t, out);
        } else if (t.is(0, "flush_all")) {
            if (n >= 2 && n <= 4) {
                admin.flushAll(t, out);
            } else {
                out.writeBytes(Replies.ERROR);
            }
        } else if (t.is(0, "version")) {
            admin.version(out);
        } else if (t.is(0, "quit")) {
            c.closeRequested = true;
        } else if (t.is(0, "verbosity")) {
            if (n == 3 || n == 4) {
                admin.verbosity(t, out);
            } else {
                out.writeBytes(Replies.ERROR);
            }
        } else if (t.is(0, "refresh_certs")) {
            admin.refreshCerts(t, out);
        } else if (t.is(0, "slabs")) {
            admin.slabs(t, out);
        } else if (t.is(0, "lru_crawler")) {
            admin.lruCrawler(t, out);
        } else if (t.is(0, "mr_client")) {
            watch.client(t, out);
        } else if (t.is(0, "mr_pull")) {
            // a peer's catch-up pull (cluster.RangePuller): its mg reads are served while catching up
            if (t.count() == 2 && c.node.cluster().acceptsPuller(t.string(1))) {
                c.catchUpPull = true;
                out.writeBytes(Replies.OK);
            } else {
                Replies.writeAscii(out, "SERVER_ERROR peer handshake refused\r\n");
            }
        } else if (t.is(0, "mr_watch")) {
            watch.watch(t, out);
        } else if (looksLikeHttp(t)) {
            c.closeRequested = true; // memcached hangs up on HTTP requests instead of answering
        } else {
            out.writeBytes(Replies.ERROR);
        }
    }

    private static boolean looksLikeHttp(Tokens t) {
        int last = t.memcachedCount() - 2;
        return last >= 0 && t.length(last) >= 5 && t.string(last).startsWith("HTTP/");
    }

    private void getFamily(Tokens t, ByteBuf out, int n, boolean withCas, boolean touch) {
        if (n < 3) {
            out.writeBytes(Replies.ERROR);
            return;
        }
        text.get(t, out, withCas, touch);
    }

    private void update(Tokens t, ByteBuf out, int n, StoreMode mode) {
        if (n == 6 || n == 7) {
            text.update(t, out, mode);
        } else {
            out.writeBytes(Replies.ERROR);
        }
    }
}
