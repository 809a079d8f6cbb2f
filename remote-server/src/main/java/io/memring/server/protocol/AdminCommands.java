package io.memring.server.protocol;

import io.memring.server.ServerConfig;
import io.memring.server.stats.GeneralReport;
import io.memring.server.stats.LiveConnections;
import io.memring.server.stats.SettingsReport;
import io.memring.server.stats.StatSink;
import io.memring.server.storage.ServerClock;
import io.memring.server.storage.ItemView;
import io.memring.server.storage.SlabClasses;
import io.memring.server.storage.StorageStats;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Node commands: stats, flush_all, version, verbosity, lru_crawler. */
final class AdminCommands {
    private final Connection c;

    AdminCommands(Connection c) {
        this.c = c;
    }

    void version(ByteBuf out) {
        Replies.writeAscii(out, "VERSION " + ServerConfig.VERSION + "\r\n");
    }

    void verbosity(Tokens t, ByteBuf out) {
        boolean noreply = Arguments.noreply(t);
        long level;
        try {
            level = Arguments.uint32(t, 1);
        } catch (NumberFormatException e) {
            TextCommands.reply(out, Replies.BAD_FORMAT, noreply);
            return;
        }
        c.node.setVerbosity((int) Math.min(level, 2));
        TextCommands.reply(out, Replies.OK, noreply);
    }

    /** {@code refresh_certs [noreply]}: memcached's reply, OK or the reason the files could not be used. */
    void refreshCerts(Tokens t, ByteBuf out) {
        boolean noreply = Arguments.noreply(t);
        String reply = c.node.refreshCerts() + "\r\n";
        TextCommands.reply(out, reply.getBytes(java.nio.charset.StandardCharsets.US_ASCII), noreply);
    }

    void flushAll(Tokens t, ByteBuf out) {
        boolean noreply = Arguments.noreply(t);
        c.stats.cmdFlush.increment();
        int delay = 0;
        if (t.memcachedCount() != (noreply ? 3 : 2)) {
            try {
                delay = Arguments.int32(t, 1);
            } catch (NumberFormatException e) {
                TextCommands.reply(out, Replies.INVALID_EXPTIME, noreply);
                return;
            }
        }
        c.node.flushAll(Math.max(0, delay));
        TextCommands.reply(out, Replies.OK, noreply);
    }

    void stats(Tokens t, ByteBuf out) {
        if (t.count() == 1) {
            general(out);
            return;
        }
        String sub = t.string(1);
        switch (sub) {
            case "reset" -> {
                c.stats.reset();
                c.storage.resetStats();
                out.writeBytes(Replies.RESET);
            }
            case "settings" -> settings(out);
            case "items" -> items(out);
            case "slabs" -> slabs(out);
            case "cachedump" -> cachedump(t, out);
            case "conns" -> conns(out);
            case "extstore" -> out.writeBytes(Replies.END);
            case "sizes" -> Replies.writeAscii(out, "STAT sizes_status disabled\r\nEND\r\n");
            case "detail" -> detail(t, out);
            case "repl_state" -> replState(out);
            default -> out.writeBytes(Replies.ERROR);
        }
    }

    /** {@code stats detail on|off|dump}: accepted as memcached; per-prefix detail is not collected, so dump is empty. */
    private static void detail(Tokens t, ByteBuf out) {
        if (t.count() >= 3 && (t.is(2, "on") || t.is(2, "off"))) {
            out.writeBytes(Replies.OK);
        } else if (t.count() >= 3 && t.is(2, "dump")) {
            out.writeBytes(Replies.END);
        } else {
            Replies.writeAscii(out, "CLIENT_ERROR usage: stats detail on|off|dump\r\n");
        }
    }

    /** {@code slabs reassign <src> <dst>} and {@code slabs automove ...}, with memcached's arity rules. */
    void slabs(Tokens t, ByteBuf out) {
        int n = t.memcachedCount();
        if (n == 5 && t.is(1, "reassign")) {
            reassign(t, out);
        } else if (n >= 4 && t.is(1, "automove")) {
            automove(t, out);
        } else {
            out.writeBytes(Replies.ERROR);
        }
    }

    /**
     * {@code slabs automove 0|1|2} and {@code slabs automove ratio <r>}: stored and reported by
     * {@code stats settings}. Pages here move on demand only (a class that cannot store takes a page
     * from the class holding most), whatever the mode; README says so.
     */
    private void automove(Tokens t, ByteBuf out) {
        boolean noreply = Arguments.noreply(t);
        if (t.is(2, "ratio")) {
            double ratio;
            try {
                ratio = t.memcachedCount() < 5 ? Double.NaN : parseRatio(t.string(3));
            } catch (NumberFormatException e) {
                ratio = Double.NaN;
            }
            if (Double.isNaN(ratio)) {
                TextCommands.reply(out, Replies.ERROR, noreply);
                return;
            }
            c.stats.slabAutomoveRatio = ratio;
            TextCommands.reply(out, Replies.OK, noreply);
            return;
        }
        long level;
        try {
            level = Arguments.uint32(t, 2);
        } catch (NumberFormatException e) {
            TextCommands.reply(out, Replies.BAD_FORMAT, noreply);
            return;
        }
        if (level > 2) {
            TextCommands.reply(out, Replies.ERROR, noreply);
            return;
        }
        c.stats.slabAutomove = (int) level;
        TextCommands.reply(out, Replies.OK, noreply);
    }

    /** strtod's plain decimal forms; Java's extras ("1d", hex) are refused. */
    private static double parseRatio(String s) {
        if (!s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            throw new NumberFormatException(s);
        }
        return Double.parseDouble(s);
    }

    /**
     * {@code slabs reassign <src> <dst>}: memcached's checks and replies (class 0 is the global page
     * pool, -1 as source picks one). A request that passes them is refused with a SERVER_ERROR: pages
     * move only on demand, inside the storage engine.
     */
    private void reassign(Tokens t, ByteBuf out) {
        int src;
        int dst;
        try {
            src = Arguments.int32(t, 2);
            dst = Arguments.int32(t, 3);
        } catch (NumberFormatException e) {
            out.writeBytes(Replies.BAD_FORMAT);
            return;
        }
        if (src == dst) {
            Replies.writeAscii(out, "SAME src and dst class are identical\r\n");
            return;
        }
        StorageStats st = c.storage.stats();
        int largest = c.storage.slabClasses().count();
        if (src == -1) {
            src = pickAny(st, dst);
        }
        if (src < 0 || src > largest || dst < 0 || dst > largest) {
            Replies.writeAscii(out, "BADCLASS invalid src or dst class id\r\n");
            return;
        }
        long pages = src == 0 ? GeneralReport.globalPagePool(c.config, st) : st.pagesPerClass[src - 1];
        if (pages < 2) {
            Replies.writeAscii(out, "NOSPARE source class has no spare pages\r\n");
            return;
        }
        Replies.writeAscii(out, "SERVER_ERROR slab reassign on request is not supported\r\n");
    }

    /** As memcached's {@code slabs_reassign_pick_any}: some class other than dst with a spare page, or -1. */
    private static int pickAny(StorageStats st, int dst) {
        for (int i = 0; i < st.pagesPerClass.length; i++) {
            if (i + 1 != dst && st.pagesPerClass[i] > 1) {
                return i + 1;
            }
        }
        return -1;
    }

    /** memcached's largest slab class id is 63 (MAX_NUMBER_OF_SLAB_CLASSES 64). */
    private static final int MAX_SLAB_CLASSES = 64;
    /** memcached caps a cachedump reply at 2 MB. */
    private static final int CACHEDUMP_LIMIT_BYTES = 2 * 1024 * 1024;

    /**
     * {@code stats cachedump <class> <limit>}: "ITEM key [bytes b; exptime s]" lines for the items of
     * one slab class (all LRU segments, where memcached lists only its cold one), then END. Binary
     * keys are skipped, as memcached does. libmemcached's memcdump uses it.
     */
    private void cachedump(Tokens t, ByteBuf out) {
        if (t.memcachedCount() < 5) {
            Replies.writeAscii(out, "CLIENT_ERROR bad command line\r\n");
            return;
        }
        long id;
        long limit;
        try {
            id = Arguments.uint32(t, 2);
            limit = Arguments.uint32(t, 3);
        } catch (NumberFormatException e) {
            out.writeBytes(Replies.BAD_FORMAT);
            return;
        }
        if (id >= MAX_SLAB_CLASSES) {
            Replies.writeAscii(out, "CLIENT_ERROR Illegal slab id\r\n");
            return;
        }
        int classIndex = (int) id - 1;
        long started = c.storage.clock().processStarted();
        int budgetEnd = out.writerIndex() + CACHEDUMP_LIMIT_BYTES;
        long[] listed = {0};
        for (int shard = 0; shard < c.storage.shardCount() && classIndex >= 0; shard++) {
            int bucket = 0;
            while (bucket >= 0) {
                bucket = c.storage.crawl(shard, bucket, 1024, item -> {
                    if (item.slabClass() != classIndex || item.keyBinary() || (limit != 0 && listed[0] >= limit)
                            || out.writerIndex() >= budgetEnd) {
                        return;
                    }
                    listed[0]++;
                    out.writeCharSequence("ITEM ", StandardCharsets.US_ASCII);
                    out.writeBytes(item.key());
                    out.writeCharSequence(" [" + item.valueLength() + " b; " + (item.exptime() == 0 ? 0 : item.exptime() + started)
                            + " s]\r\n", StandardCharsets.US_ASCII);
                });
            }
        }
        out.writeBytes(Replies.END);
    }

    private static void stat(ByteBuf out, String name, Object value) {
        Replies.writeAscii(out, "STAT " + name + " " + value + "\r\n");
    }

    private StatSink sink(ByteBuf out) {
        return (name, value) -> stat(out, name, value);
    }

    private void general(ByteBuf out) {
        ServerClock clock = c.storage.clock();
        long now = clock.now();
        GeneralReport.Process process = new GeneralReport.Process(c.node.pid(), now, now + clock.processStarted(), "netty");
        GeneralReport.write(c.config, process, c.stats, c.storage.stats(), sink(out));
        c.node.clusterStats(sink(out));
        out.writeBytes(Replies.END);
    }

    /** {@code stats repl_state}: the readiness clients probe (a standalone node is always ready). */
    private void replState(ByteBuf out) {
        if (c.node.cluster().membership().clustered()) {
            c.node.cluster().stats((name, value) -> stat(out, name, value));
        } else {
            stat(out, "repl_state", "ready");
        }
        out.writeBytes(Replies.END);
    }

    private void settings(ByteBuf out) {
        SlabClasses classes = c.storage.slabClasses();
        int port = c.config.port() != 0 ? c.config.port() : c.stats.connections.listenPort();
        SettingsReport.Runtime rt = new SettingsReport.Runtime(port, c.node.verbosity(),
                classes.chunkSize(classes.count() - 1), c.storage.shardCount());
        SettingsReport.write(c.config, rt, c.stats, sink(out));
        out.writeBytes(Replies.END);
    }

    /** {@code stats conns}: memcached's per-socket lines, listeners included, ordered by descriptor. */
    private void conns(ByteBuf out) {
        for (LiveConnections.Entry e : c.stats.connections.snapshot()) {
            stat(out, e.id() + ":addr", e.addr());
            if (e.listenAddr() != null) {
                stat(out, e.id() + ":listen_addr", e.listenAddr());
            }
            stat(out, e.id() + ":state", e.state());
            stat(out, e.id() + ":secs_since_last_cmd", e.secsSinceLastCmd());
        }
        out.writeBytes(Replies.END);
    }

    private void items(ByteBuf out) {
        SlabStatsReport.items(c.storage.stats(), out);
    }

    private void slabs(ByteBuf out) {
        SlabStatsReport.slabs(c.storage.stats(), c.storage.slabClasses(), out);
    }

    /** lru_crawler metadump all|&lt;classes&gt;, and the no-op crawl/enable/disable subcommands. */
    void lruCrawler(Tokens t, ByteBuf out) {
        if (t.count() < 2) {
            out.writeBytes(Replies.ERROR);
            return;
        }
        String sub = t.string(1);
        switch (sub) {
            case "metadump" -> {
                if (t.count() < 3) {
                    out.writeBytes(Replies.ERROR);
                    return;
                }
                c.stream = new Metadump(c, t.string(2));
            }
            case "crawl", "enable", "disable" -> out.writeBytes(Replies.OK);
            default -> out.writeBytes(Replies.ERROR);
        }
    }

    /**
     * Streams every live item as memcached's metadump line, a bounded slice of one shard at a time.
     * The storage cursor survives the index growing between slices: no item is listed twice.
     */
    private static final class Metadump implements ReplyStream {
        private static final int STEPS_PER_SLICE = 256;
        private final Connection c;
        private final boolean[] classFilter;
        private int shard;
        private int cursor;

        Metadump(Connection c, String classes) {
            this.c = c;
            this.classFilter = parseClasses(classes, c.storage.slabClasses().count());
        }

        private static boolean[] parseClasses(String spec, int count) {
            boolean[] filter = new boolean[count];
            if (spec.equals("all")) {
                java.util.Arrays.fill(filter, true);
                return filter;
            }
            for (String part : spec.split(",")) {
                try {
                    int id = Integer.parseInt(part.trim()) - 1;
                    if (id >= 0 && id < count) {
                        filter[id] = true;
                    }
                } catch (NumberFormatException e) {
                    // memcached ignores what it cannot parse here
                }
            }
            return filter;
        }

        @Override
        public boolean writeNext(ByteBuf out) {
            long started = c.storage.clock().processStarted();
            int end = out.writerIndex() + MemcachedFrameDecoder.OUTPUT_CHUNK;
            while (shard < c.storage.shardCount()) {
                if (out.writerIndex() >= end) {
                    return true;
                }
                int next = c.storage.crawl(shard, cursor, STEPS_PER_SLICE, item -> line(out, item, started));
                if (next < 0) {
                    shard++;
                    cursor = 0;
                } else {
                    cursor = next;
                }
            }
            out.writeBytes(Replies.END);
            return false;
        }

        private void line(ByteBuf out, ItemView item, long started) {
            if (!classFilter[item.slabClass()]) {
                return;
            }
            out.writeCharSequence("key=", StandardCharsets.US_ASCII);
            uriEncode(out, item.key());
            out.writeCharSequence(" exp=" + (item.exptime() == 0 ? -1 : item.exptime() + started)
                    + " la=" + (item.lastAccess() + started)
                    + " cas=" + Long.toUnsignedString(item.cas())
                    + " fetch=" + (item.fetched() ? "yes" : "no")
                    + " cls=" + (item.slabClass() + 1)
                    + " size=" + item.totalSize() + "\n", StandardCharsets.US_ASCII);
        }

        private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

        /** memcached's uriencode: alphanumerics and "-._~" as they are, every other byte as %XX. */
        private static void uriEncode(ByteBuf out, byte[] key) {
            for (byte b : key) {
                int u = b & 0xff;
                boolean plain = (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z')
                        || u == '-' || u == '.' || u == '_' || u == '~';
                if (plain) {
                    out.writeByte(u);
                } else {
                    out.writeByte('%').writeByte(HEX[u >> 4]).writeByte(HEX[u & 15]);
                }
            }
        }
    }
}
