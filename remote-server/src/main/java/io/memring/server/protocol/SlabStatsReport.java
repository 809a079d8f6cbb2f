package io.memring.server.protocol;

import io.memring.server.storage.ClassCounters;
import io.memring.server.storage.SlabClasses;
import io.memring.server.storage.StorageStats;
import io.netty.buffer.ByteBuf;

/**
 * {@code stats items} and {@code stats slabs}: memcached 1.6.18's names, in its order, one block per
 * slab class (ids from 1). Our LRU is one list per class, not hot/warm/cold segments; its items are
 * reported as cold (where memcached evicts from), so {@code number_hot}, {@code number_warm},
 * {@code age_hot}, {@code age_warm} and {@code hits_to_hot/warm/temp} are 0. Counters of mechanisms we
 * do not have ({@code tailrepairs}, {@code evicted_active}, {@code lrutail_reflocked}, {@code
 * moves_to_cold/warm}, {@code free_chunks_end}) are 0 too.
 */
final class SlabStatsReport {
    private SlabStatsReport() {
    }

    private static void stat(ByteBuf out, int classIndex, String name, long value) {
        Replies.writeAscii(out, "STAT items:" + (classIndex + 1) + ":" + name + " " + value + "\r\n");
    }

    private static void slabStat(ByteBuf out, int classIndex, String name, long value) {
        Replies.writeAscii(out, "STAT " + (classIndex + 1) + ":" + name + " " + value + "\r\n");
    }

    /** Classes holding items, as memcached's {@code item_stats}. */
    static void items(StorageStats st, ByteBuf out) {
        ClassCounters k = st.perClass;
        for (int c = 0; c < st.itemsPerClass.length; c++) {
            if (st.itemsPerClass[c] == 0) {
                continue;
            }
            stat(out, c, "number", st.itemsPerClass[c]);
            stat(out, c, "number_hot", 0);
            stat(out, c, "number_warm", 0);
            stat(out, c, "number_cold", st.itemsPerClass[c]);
            stat(out, c, "age_hot", 0);
            stat(out, c, "age_warm", 0);
            stat(out, c, "age", st.agePerClass[c]);
            stat(out, c, "mem_requested", st.memRequestedPerClass[c]);
            stat(out, c, "evicted", k.evicted[c]);
            stat(out, c, "evicted_nonzero", k.evictedNonzero[c]);
            stat(out, c, "evicted_time", k.evictedTime[c]);
            stat(out, c, "outofmemory", k.outOfMemory[c]);
            stat(out, c, "tailrepairs", 0);
            stat(out, c, "reclaimed", k.reclaimed[c]);
            stat(out, c, "expired_unfetched", k.expiredUnfetched[c]);
            stat(out, c, "evicted_unfetched", k.evictedUnfetched[c]);
            stat(out, c, "evicted_active", 0);
            stat(out, c, "crawler_reclaimed", k.crawlerReclaimed[c]);
            stat(out, c, "crawler_items_checked", k.crawlerItemsChecked[c]);
            stat(out, c, "lrutail_reflocked", 0);
            stat(out, c, "moves_to_cold", 0);
            stat(out, c, "moves_to_warm", 0);
            stat(out, c, "moves_within_lru", k.movesWithinLru[c]);
            stat(out, c, "direct_reclaims", k.directReclaims[c]);
            stat(out, c, "hits_to_hot", 0);
            stat(out, c, "hits_to_warm", 0);
            stat(out, c, "hits_to_cold", k.getHits[c]);
            stat(out, c, "hits_to_temp", 0);
        }
        out.writeBytes(Replies.END);
    }

    /** Classes owning pages, as memcached's {@code slabs_stats}. */
    static void slabs(StorageStats st, SlabClasses classes, ByteBuf out) {
        ClassCounters k = st.perClass;
        int active = 0;
        for (int c = 0; c < classes.count(); c++) {
            if (st.pagesPerClass[c] == 0) {
                continue;
            }
            active++;
            long chunks = st.pagesPerClass[c] * classes.chunksPerPage(c);
            slabStat(out, c, "chunk_size", classes.chunkSize(c));
            slabStat(out, c, "chunks_per_page", classes.chunksPerPage(c));
            slabStat(out, c, "total_pages", st.pagesPerClass[c]);
            slabStat(out, c, "total_chunks", chunks);
            slabStat(out, c, "used_chunks", chunks - st.freeChunksPerClass[c]);
            slabStat(out, c, "free_chunks", st.freeChunksPerClass[c]);
            slabStat(out, c, "free_chunks_end", 0);
            slabStat(out, c, "get_hits", k.getHits[c]);
            slabStat(out, c, "cmd_set", k.cmdSet[c]);
            slabStat(out, c, "delete_hits", k.deleteHits[c]);
            slabStat(out, c, "incr_hits", k.incrHits[c]);
            slabStat(out, c, "decr_hits", k.decrHits[c]);
            slabStat(out, c, "cas_hits", k.casHits[c]);
            slabStat(out, c, "cas_badval", k.casBadval[c]);
            slabStat(out, c, "touch_hits", k.touchHits[c]);
        }
        Replies.writeAscii(out, "STAT active_slabs " + active + "\r\n");
        Replies.writeAscii(out, "STAT total_malloced " + st.totalMalloced + "\r\n");
        out.writeBytes(Replies.END);
    }
}
