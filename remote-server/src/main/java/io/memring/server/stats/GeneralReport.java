package io.memring.server.stats;

import io.memring.server.ServerConfig;
import io.memring.server.storage.StorageStats;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code stats}: memcached 1.6.18's general names in its order, then our own ({@code total_malloced},
 * {@code memring_*}). Counters of mechanisms this node does not have (segmented LRU, response
 * object caches, the log watcher, NAPI ids, item rescue during page moves) are 0, as
 * remote-server/README.md lists.
 */
public final class GeneralReport {
    private GeneralReport() {
    }

    /**
     * The values that come from the running process.
     *
     * @param pid process id
     * @param uptime seconds since start
     * @param unixTime current unix time
     * @param libevent the event library reported as {@code libevent}
     */
    public record Process(long pid, long uptime, long unixTime, String libevent) {
    }

    public static void write(ServerConfig cfg, Process p, ServerStats s, StorageStats st, StatSink out) {
        double[] cpu = ProcessCpu.userAndSystemSeconds();
        long clients = s.currConnections.get();
        out.stat("pid", p.pid());
        out.stat("uptime", p.uptime());
        out.stat("time", p.unixTime());
        out.stat("version", ServerConfig.VERSION);
        out.stat("libevent", p.libevent());
        out.stat("pointer_size", 64);
        out.stat("rusage_user", String.format(Locale.ROOT, "%.6f", cpu[0]));
        out.stat("rusage_system", String.format(Locale.ROOT, "%.6f", cpu[1]));
        out.stat("max_connections", cfg.maxConnections());
        out.stat("curr_connections", clients);
        out.stat("total_connections", s.totalConnections.sum());
        out.stat("rejected_connections", s.rejectedConnections.sum());
        out.stat("connection_structures", s.connections.structures());
        out.stat("response_obj_oom", s.responseObjOom.sum());
        out.stat("response_obj_count", 0);
        out.stat("response_obj_bytes", 0);
        out.stat("read_buf_count", 0);
        out.stat("read_buf_bytes", s.bufferBytes.getAsLong());
        out.stat("read_buf_bytes_free", 0);
        out.stat("read_buf_oom", s.readBufOom.sum());
        out.stat("reserved_fds", reservedFds(clients));
        out.stat("cmd_get", s.cmdGet.sum());
        out.stat("cmd_set", s.cmdSet.sum());
        out.stat("cmd_flush", s.cmdFlush.sum());
        out.stat("cmd_touch", s.cmdTouch.sum());
        out.stat("cmd_meta", s.cmdMeta.sum());
        out.stat("get_hits", s.getHits.sum());
        out.stat("get_misses", s.getMisses.sum());
        out.stat("get_expired", st.getExpired);
        out.stat("get_flushed", st.getFlushed);
        out.stat("delete_misses", s.deleteMisses.sum());
        out.stat("delete_hits", s.deleteHits.sum());
        out.stat("incr_misses", s.incrMisses.sum());
        out.stat("incr_hits", s.incrHits.sum());
        out.stat("decr_misses", s.decrMisses.sum());
        out.stat("decr_hits", s.decrHits.sum());
        out.stat("cas_misses", s.casMisses.sum());
        out.stat("cas_hits", s.casHits.sum());
        out.stat("cas_badval", s.casBadval.sum());
        out.stat("touch_hits", s.touchHits.sum());
        out.stat("touch_misses", s.touchMisses.sum());
        out.stat("store_too_large", s.storeTooLarge.sum());
        out.stat("store_no_memory", s.storeNoMemory.sum());
        out.stat("auth_cmds", s.authCmds.sum());
        out.stat("auth_errors", s.authErrors.sum());
        if (s.idleTimeout > 0) { // memcached prints it only with an idle timeout set
            out.stat("idle_kicks", s.idleKicks.sum());
        }
        out.stat("bytes_read", s.bytesRead.sum());
        out.stat("bytes_written", s.bytesWritten.sum());
        out.stat("limit_maxbytes", st.limitMaxbytes);
        out.stat("accepting_conns", 1);
        out.stat("listen_disabled_num", s.listenDisabled.sum());
        out.stat("time_in_listen_disabled_us", s.listenDisabledMicros.sum());
        out.stat("threads", cfg.workerThreads());
        out.stat("conn_yields", s.connYields.sum());
        out.stat("hash_power_level", 63 - Long.numberOfLeadingZeros(Math.max(1, st.hashBuckets)));
        out.stat("hash_bytes", st.hashBuckets * 4);
        out.stat("hash_is_expanding", st.hashExpanding > 0 ? 1 : 0);
        out.stat("slab_reassign_rescues", 0);
        out.stat("slab_reassign_chunk_rescues", 0);
        out.stat("slab_reassign_evictions_nomem", st.slabReassigns);
        out.stat("slab_reassign_inline_reclaim", 0);
        out.stat("slab_reassign_busy_items", 0);
        out.stat("slab_reassign_busy_deletes", 0);
        out.stat("slab_reassign_running", 0);
        out.stat("slabs_moved", st.slabReassigns);
        out.stat("lru_crawler_running", s.crawlersRunning.get() > 0 ? 1 : 0);
        out.stat("lru_crawler_starts", s.crawlerStarts.sum());
        out.stat("lru_maintainer_juggles", 0);
        out.stat("malloc_fails", st.mallocFails);
        out.stat("log_worker_dropped", 0);
        out.stat("log_worker_written", 0);
        out.stat("log_watcher_skipped", 0);
        out.stat("log_watcher_sent", 0);
        out.stat("log_watchers", 0);
        if (cfg.security().tlsEnabled()) { // memcached prints these two only with -Z
            out.stat("ssl_handshake_errors", s.sslHandshakeErrors.sum());
            out.stat("time_since_server_cert_refresh", s.secondsSinceCertRefresh.getAsLong());
        }
        out.stat("unexpected_napi_ids", 0);
        out.stat("round_robin_fallback", 0);
        out.stat("bytes", st.bytes);
        out.stat("curr_items", st.currItems);
        out.stat("total_items", st.totalItems);
        out.stat("slab_global_page_pool", globalPagePool(cfg, st));
        out.stat("expired_unfetched", st.expiredUnfetched);
        out.stat("evicted_unfetched", st.evictedUnfetched);
        out.stat("evicted_active", 0);
        out.stat("evictions", st.evictions);
        out.stat("reclaimed", st.reclaimed);
        out.stat("crawler_reclaimed", st.crawlerReclaimed);
        out.stat("crawler_items_checked", st.crawlerItemsChecked);
        out.stat("lrutail_reflocked", 0);
        out.stat("moves_to_cold", 0);
        out.stat("moves_to_warm", 0);
        out.stat("moves_within_lru", 0);
        out.stat("direct_reclaims", st.evictions);
        out.stat("lru_bumps_dropped", 0);
        out.stat("total_malloced", st.totalMalloced);
        if (cfg.security().authFile() != null) {
            out.stat("memring_auth_throttled", s.authThrottled.sum());
        }
        if (cfg.security().tlsEnabled()) {
            out.stat("memring_ssl_handshake_timeouts", s.sslHandshakeTimeouts.sum());
            out.stat("memring_ssl_handshakes_refused", s.sslHandshakesRefused.sum());
        }
    }

    /** Pages allocated and handed back, free for any class: memcached's global page pool. */
    public static long globalPagePool(ServerConfig cfg, StorageStats st) {
        long page = cfg.storage().pageSize();
        long neverAllocated = st.limitMaxbytes / page - st.totalMalloced / page;
        return Math.max(0, st.pagesFree - neverAllocated);
    }

    /**
     * memcached's {@code reserved_fds} counts descriptors kept for its own use; here, the descriptors
     * the process holds that are not client connections (listener, epoll, JVM files), from /proc.
     */
    static long reservedFds(long clients) {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return 0;
        }
        long open = 0;
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(fds)) {
            for (Path ignored : dir) {
                open++;
            }
        } catch (IOException e) {
            return 0;
        }
        return Math.max(0, open - 1 - clients); // minus the descriptor of the listing itself
    }
}
