package io.memring.server.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.server.ServerConfig;
import io.memring.server.storage.StorageConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportsTest {
    private static final ServerConfig CONFIG = new ServerConfig("0.0.0.0", 11311, 77, 3, 1,
            new StorageConfig(128L << 20, 2 << 20, 1.5, 96, 8));

    private static Map<String, String> settings(ServerStats stats) {
        Map<String, String> out = new LinkedHashMap<>();
        SettingsReport.write(CONFIG, new SettingsReport.Runtime(11311, 2, 4096, 8), stats, (n, v) -> {
            assertThat(out.put(n, String.valueOf(v))).as("duplicate %s", n).isNull();
        });
        return out;
    }

    @Test
    void settings_reportTheConfiguredValues() {
        Map<String, String> s = settings(new ServerStats());
        assertThat(s.keySet()).startsWith("maxbytes", "maxconns", "tcpport", "udpport", "inter", "verbosity", "oldest",
                "evictions").endsWith("num_napi_ids", "memory_file", "memring_shards",
                "watch_buffer_bytes", "watch_total_bytes");
        assertThat(s).containsEntry("maxbytes", String.valueOf(128L << 20)).containsEntry("maxconns", "77")
                .containsEntry("tcpport", "11311").containsEntry("inter", "0.0.0.0").containsEntry("verbosity", "2")
                .containsEntry("growth_factor", "1.50").containsEntry("chunk_size", "96").containsEntry("num_threads", "3")
                .containsEntry("item_size_max", String.valueOf(2 << 20)).containsEntry("slab_chunk_max", "4096")
                .containsEntry("slab_automove", "1").containsEntry("slab_automove_ratio", "0.80")
                .containsEntry("memring_shards", "8").containsEntry("udpport", "0").containsEntry("evictions", "on")
                .containsEntry("watch_buffer_bytes", String.valueOf(4L << 20)).containsEntry("watch_total_bytes", String.valueOf(64L << 20));
        assertThat(s).hasSize(79); // memcached 1.6.18 (Debian) prints 76
    }

    @Test
    void settings_followSlabsAutomove() {
        ServerStats stats = new ServerStats();
        stats.slabAutomove = 0;
        stats.slabAutomoveRatio = 0.5;
        assertThat(settings(stats)).containsEntry("slab_automove", "0").containsEntry("slab_automove_ratio", "0.50");
    }

    @Test
    void globalPagePool_countsOnlyPagesAllocatedAndReleased() {
        io.memring.server.storage.StorageStats st = new io.memring.server.storage.Storage(CONFIG.storage(),
                io.memring.server.storage.ServerClock.system()).stats();
        // Nothing allocated yet: every free page is one never allocated, none is in the global pool.
        assertThat(st.pagesFree).isPositive();
        assertThat(GeneralReport.globalPagePool(CONFIG, st)).isZero();
    }

    @Test
    void reservedFds_countsDescriptorsOtherThanClients() {
        long none = GeneralReport.reservedFds(0);
        assertThat(none).isPositive();
        assertThat(GeneralReport.reservedFds(1)).isEqualTo(none - 1);
    }
}
