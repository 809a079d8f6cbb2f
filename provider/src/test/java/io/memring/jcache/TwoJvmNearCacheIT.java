package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.jcache.configuration.MemringConfiguration;
import io.memring.jcache.near.NearCacheStats;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVMs: this one holds a near copy; a write from another JVM (with a near cache of its own, so no
 * JVM-local help) reaches it as a push from the node, and the copy is dropped.
 */
class TwoJvmNearCacheIT {
    private static final long CHILD_SECONDS = 60; // a loaded 2-core machine starts a JVM slowly

    @TempDir
    Path dir;

    @Test
    void writeInAnotherJvm_invalidatesThisJvmsNearCopy() throws Exception {
        Cluster cluster = Cluster.memring(2);
        try {
            Cache<String, Long> reader = cluster.newManager().createCache("two-jvms",
                    new MemringConfiguration<>(new javax.cache.configuration.MutableConfiguration<String, Long>().setTypes(String.class, Long.class))
                            .setNearCacheMaxEntries(100).setNearCacheTtlMillis(600_000));
            NearCacheStats stats = reader.unwrap(NearCacheStats.class);
            reader.put("k", 1L);
            assertThat(reader.get("k")).isEqualTo(1L);
            assertThat(stats.getNearHits()).isEqualTo(1); // read-your-writes, from the near cache

            runChild(cluster, "k", 2);
            Awaitility.await().atMost(Duration.ofSeconds(3)).until(() -> stats.getInvalidationsReceived() >= 1);
            assertThat(reader.get("k")).isEqualTo(2L);
        } finally {
            cluster.stop();
        }
    }

    private void runChild(Cluster cluster, String key, long value) throws Exception {
        Path output = dir.resolve("child.txt");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-Xmx128m");
        command.add("-Dmemring.servers=" + cluster.nodes.serverSpec());
        command.add("-Dmemring.nearCache.maxEntries=100");
        command.add(NearWriterProgram.class.getName());
        command.add("two-jvms");
        command.add(key);
        command.add(Long.toString(value));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            boolean exited = p.waitFor(CHILD_SECONDS, TimeUnit.SECONDS);
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(exited).as("the writer JVM ends; it printed:%n%s", printed).isTrue();
            assertThat(p.exitValue()).as(printed).isZero();
            assertThat(printed).contains("wrote " + key + "=" + value);
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
