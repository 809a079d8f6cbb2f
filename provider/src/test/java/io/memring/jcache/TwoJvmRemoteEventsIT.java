package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another JVM writes ({@link RemoteWriterProgram}, started with this test's class path); this JVM's
 * listener hears its created, updated and removed events with old values.
 */
class TwoJvmRemoteEventsIT {
    private static final long CHILD_SECONDS = 90; // a loaded 2-core machine starts a JVM slowly
    /** The writer's first requests met 4 s stalls when the machine ran at load 30 (the default timeout is 2 s). */
    private static final int REQUEST_TIMEOUT_MILLIS = 30_000;

    @TempDir
    Path dir;

    @Test
    void anotherJvmsWrites_reachThisJvmsListener() throws Exception {
        Cluster cluster = Cluster.memring(1);
        Process child = null;
        try {
            CacheManager manager = cluster.newManager("memring.requestTimeoutMillis", Integer.toString(REQUEST_TIMEOUT_MILLIS));
            Cache<String, String> cache = manager.createCache("two-jvm",
                    new MutableConfiguration<String, String>().setTypes(String.class, String.class));
            EventRecorder heard = new EventRecorder();
            cache.registerCacheEntryListener(heard.registration(false));

            Path output = dir.resolve("child.txt");
            child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "-Xmx128m",
                    "-Dmemring.servers=" + cluster.nodes.serverSpec(), "-Dmemring.requestTimeoutMillis=" + REQUEST_TIMEOUT_MILLIS,
                    RemoteWriterProgram.class.getName(), "two-jvm")
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            boolean exited = child.waitFor(CHILD_SECONDS, TimeUnit.SECONDS);
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(exited).as("the writer JVM finishes; it printed:%n%s", printed).isTrue();
            assertThat(child.exitValue()).as(printed).isZero();
            assertThat(printed).contains("done");

            List<String> expected = List.of("CREATED k=1", "UPDATED k=2 old=1", "REMOVED k=2 old=2");
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> heard.events.size() >= expected.size());
            assertThat(heard.events).containsExactlyElementsOf(expected);
        } finally {
            if (child != null) {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            cluster.stop();
        }
    }
}
