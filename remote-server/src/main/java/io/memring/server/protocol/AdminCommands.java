package io.memring.server.protocol;

import io.memring.server.ServerConfig;
import io.memring.server.stats.ProcessCpu;
import io.memring.server.stats.ServerStats;
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
            case "conns", "sizes", "extstore", "detail" -> out.writeBytes(Replies.END);
            default -> out.writeBytes(Replies.ERROR);
        }
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

    private void general(ByteBuf out) {
        ServerStats s = c.stats;
        StorageStats st = c.storage.stats();
        long now = c.storage.clock().now();
        double[] cpu = ProcessCpu.userAndSystemSeconds();
        stat(out, "pid", c.node.pid());
        stat(out, "uptime", now);
        stat(out, "time", now + c.storage.clock().processStarted());
        stat(out, "version", ServerConfig.VERSION);
        stat(out, "libevent", "netty");
        stat(out, "pointer_size", 64);
        stat(out, "rusage_user", String.format(java.util.Locale.ROOT, "%.6f", cpu[0]));
        stat(out, "rusage_system", String.format(java.util.Locale.ROOT, "%.6f", cpu[1]));
        stat(out, "max_connections", c.config.maxConnections());
        stat(out, "curr_connections", s.currConnections.get());
        stat(out, "total_connections", s.totalConnections.sum());
        stat(out, "rejected_connections", s.rejectedConnections.sum());
        stat(out, "cmd_get", s.cmdGet.sum());
        stat(out, "cmd_set", s.cmdSet.sum());
        stat(out, "cmd_flush", s.cmdFlush.sum());
        stat(out, "cmd_touch", s.cmdTouch.sum());
        stat(out, "cmd_meta", s.cmdMeta.sum());
        stat(out, "get_hits", s.getHits.sum());
        stat(out, "get_misses", s.getMisses.sum());
        stat(out, "get_expired", st.getExpired);
        stat(out, "get_flushed", st.getFlushed);
        stat(out, "delete_misses", s.deleteMisses.sum());
        stat(out, "delete_hits", s.deleteHits.sum());
        stat(out, "incr_misses", s.incrMisses.sum());
        stat(out, "incr_hits", s.incrHits.sum());
        stat(out, "decr_misses", s.decrMisses.sum());
        stat(out, "decr_hits", s.decrHits.sum());
        stat(out, "cas_misses", s.casMisses.sum());
        stat(out, "cas_hits", s.casHits.sum());
        stat(out, "cas_badval", s.casBadval.sum());
        stat(out, "touch_hits", s.touchHits.sum());
        stat(out, "touch_misses", s.touchMisses.sum());
        stat(out, "store_too_large", s.storeTooLarge.sum());
        stat(out, "store_no_memory", s.storeNoMemory.sum());
        stat(out, "auth_cmds", 0);
        stat(out, "auth_errors", 0);
        stat(out, "bytes_read", s.bytesRead.sum());
        stat(out, "bytes_written", s.bytesWritten.sum());
        stat(out, "limit_maxbytes", st.limitMaxbytes);
        stat(out, "accepting_conns", 1);
        stat(out, "threads", c.node.threads());
        stat(out, "conn_yields", s.connYields.sum());
        stat(out, "hash_power_level", 63 - Long.numberOfLeadingZeros(Math.max(1, st.hashBuckets)));
        stat(out, "hash_bytes", st.hashBuckets * 4);
        stat(out, "slab_reassign_evictions_nomem", st.slabReassigns);
        stat(out, "slabs_moved", st.slabReassigns);
        stat(out, "total_malloced", st.totalMalloced);
        stat(out, "bytes", st.bytes);
        stat(out, "curr_items", st.currItems);
        stat(out, "total_items", st.totalItems);
        stat(out, "expired_unfetched", st.expiredUnfetched);
        stat(out, "evicted_unfetched", st.evictedUnfetched);
        stat(out, "evictions", st.evictions);
        stat(out, "reclaimed", st.reclaimed);
        out.writeBytes(Replies.END);
    }

    private void settings(ByteBuf out) {
        ServerConfig cfg = c.config;
        stat(out, "maxbytes", cfg.storage().memoryLimitBytes());
        stat(out, "maxconns", cfg.maxConnections());
        stat(out, "tcpport", cfg.port());
        stat(out, "udpport", 0);
        stat(out, "inter", cfg.listenAddress());
        stat(out, "verbosity", c.node.verbosity());
        stat(out, "evictions", "on");
        stat(out, "growth_factor", String.format(java.util.Locale.ROOT, "%.2f", cfg.storage().growthFactor()));
        stat(out, "chunk_size", cfg.storage().minChunkSize());
        stat(out, "num_threads", c.node.threads());
        stat(out, "cas_enabled", "yes");
        stat(out, "item_size_max", cfg.storage().maxItemSize());
        stat(out, "slab_page_size", cfg.storage().pageSize());
        stat(out, "lru_crawler", "yes");
        stat(out, "flush_enabled", "yes");
        stat(out, "memring_shards", c.storage.shardCount());
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
