package io.memring.server.stats;

import io.memring.server.ServerConfig;
import io.memring.server.security.TlsSettings;
import java.util.Locale;

/**
 * {@code stats settings}: memcached 1.6.18's names in its order (as Debian's build prints them, with
 * extstore and TLS compiled in), each with this node's value. Settings that do not exist here
 * (extstore, UDP, unix sockets, the segmented LRU's tunables) print memcached's value for "off" or
 * its default, as remote-server/README.md lists; our own settings follow memcached's.
 */
public final class SettingsReport {
    /** The hash the index uses (FNV-1a with murmur3's finalizer), named as memcached names its choice. */
    static final String HASH_ALGORITHM = "fnv1a_fmix32";
    /** {@code SO_BACKLOG} of the listening socket. */
    static final int TCP_BACKLOG = 1024;

    private SettingsReport() {
    }

    /**
     * The values that are not in {@link ServerConfig}.
     *
     * @param tcpPort the bound port (differs from the configured one when that was 0)
     * @param verbosity the current verbosity
     * @param largestChunk the largest slab chunk (memcached's {@code slab_chunk_max})
     * @param shards lock shards in use
     */
    public record Runtime(int tcpPort, int verbosity, int largestChunk, int shards) {
    }

    public static void write(ServerConfig cfg, Runtime rt, ServerStats stats, StatSink out) {
        out.stat("maxbytes", cfg.storage().memoryLimitBytes());
        out.stat("maxconns", cfg.maxConnections());
        out.stat("tcpport", rt.tcpPort());
        out.stat("udpport", 0);
        out.stat("inter", cfg.security().inter() != null ? cfg.security().inter() : cfg.listenAddress());
        out.stat("verbosity", rt.verbosity());
        out.stat("oldest", stats.oldestLive.getAsInt());
        out.stat("evictions", "on");
        out.stat("domain_socket", "NULL");
        out.stat("umask", "700");
        out.stat("shutdown_command", "no");
        out.stat("growth_factor", fixed(2, cfg.storage().growthFactor()));
        out.stat("chunk_size", cfg.storage().minChunkSize());
        out.stat("num_threads", cfg.workerThreads());
        out.stat("num_threads_per_udp", cfg.workerThreads());
        out.stat("stat_key_prefix", ":");
        out.stat("detail_enabled", "no");
        out.stat("reqs_per_event", 20);
        out.stat("cas_enabled", "yes");
        out.stat("tcp_backlog", TCP_BACKLOG);
        out.stat("binding_protocol", "ascii");
        out.stat("auth_enabled_sasl", "no");
        out.stat("auth_enabled_ascii", cfg.security().authFile() != null ? cfg.security().authFile().toString() : "no");
        out.stat("item_size_max", cfg.storage().maxItemSize());
        out.stat("maxconns_fast", "yes");
        out.stat("hashpower_init", 0);
        out.stat("slab_reassign", "yes");
        out.stat("slab_automove", stats.slabAutomove);
        out.stat("slab_automove_ratio", fixed(2, stats.slabAutomoveRatio));
        out.stat("slab_automove_window", 30);
        out.stat("slab_chunk_max", rt.largestChunk());
        out.stat("lru_crawler", "yes");
        out.stat("lru_crawler_sleep", 100);
        out.stat("lru_crawler_tocrawl", 0);
        out.stat("tail_repair_time", 0);
        out.stat("flush_enabled", "yes");
        out.stat("dump_enabled", "yes");
        out.stat("hash_algorithm", HASH_ALGORITHM);
        out.stat("lru_maintainer_thread", "no");
        out.stat("lru_segmented", "no");
        out.stat("hot_lru_pct", 20);
        out.stat("warm_lru_pct", 40);
        out.stat("hot_max_factor", "0.20");
        out.stat("warm_max_factor", "2.00");
        out.stat("temp_lru", "no");
        out.stat("temporary_ttl", 61);
        out.stat("idle_timeout", stats.idleTimeout);
        out.stat("watcher_logbuf_size", 262144);
        out.stat("worker_logbuf_size", 65536);
        out.stat("read_buf_mem_limit", cfg.effectiveBufferBudget());
        out.stat("track_sizes", "no");
        out.stat("inline_ascii_response", "no");
        extstoreOff(out);
        if (cfg.security().tlsEnabled()) {
            tls(cfg.security().tls(), out);
        } else {
            tlsOff(out);
        }
        out.stat("num_napi_ids", "(null)");
        out.stat("memory_file", "(null)");
        out.stat("memring_shards", rt.shards());
        out.stat("watch_buffer_bytes", cfg.watchBufferBytes());
        out.stat("watch_total_bytes", cfg.watchTotalBytes());
    }

    /** No extstore: memcached's defaults, which have no effect here. */
    private static void extstoreOff(StatSink out) {
        out.stat("ext_item_size", 512);
        out.stat("ext_item_age", 4294967295L);
        out.stat("ext_low_ttl", 0);
        out.stat("ext_recache_rate", 2000);
        out.stat("ext_wbuf_size", 4194304);
        out.stat("ext_compact_under", 0);
        out.stat("ext_drop_under", 0);
        out.stat("ext_max_sleep", 1000000);
        out.stat("ext_max_frag", "0.80");
        out.stat("slab_automove_freeratio", "0.010");
        out.stat("ext_drop_unread", "no");
    }

    /** With -Z: the files as given, the verify mode as OpenSSL's flags (2 prints 3, 3 prints 7), as memcached. */
    private static void tls(TlsSettings tls, StatSink out) {
        out.stat("ssl_enabled", "yes");
        out.stat("ssl_chain_cert", tls.chainCert().toString());
        out.stat("ssl_key", tls.key() == null ? "(null)" : tls.key().toString());
        out.stat("ssl_verify_mode", tls.verifyMode().opensslFlags());
        out.stat("ssl_keyformat", 1);
        out.stat("ssl_ciphers", "NULL");
        out.stat("ssl_ca_cert", tls.caCert() == null ? "NULL" : tls.caCert().toString());
        out.stat("ssl_wbuf_size", 16384);
        out.stat("ssl_session_cache", "no");
        out.stat("ssl_kernel_tls", "no");
        out.stat("ssl_min_version", tls.minVersion().memcachedName());
    }

    /** No TLS: what memcached prints when TLS is compiled in and not enabled. */
    private static void tlsOff(StatSink out) {
        out.stat("ssl_enabled", "no");
        out.stat("ssl_chain_cert", "(null)");
        out.stat("ssl_key", "(null)");
        out.stat("ssl_verify_mode", 0);
        out.stat("ssl_keyformat", 1);
        out.stat("ssl_ciphers", "NULL");
        out.stat("ssl_ca_cert", "NULL");
        out.stat("ssl_wbuf_size", 16384);
        out.stat("ssl_session_cache", "no");
        out.stat("ssl_kernel_tls", "no");
        out.stat("ssl_min_version", "tlsv1.2");
    }

    static String fixed(int decimals, double v) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
