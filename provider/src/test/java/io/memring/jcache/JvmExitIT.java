package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program that follows the README and returns from {@code main} lets its JVM exit: the client's
 * event loops and the embedded node run on daemon threads. Before, the JVM stayed up after main
 * returned unless the provider was closed. Each program runs in a child JVM, given a bounded time.
 */
class JvmExitIT {
    private static final long EXIT_WITHIN_SECONDS = 60; // a loaded 2-core machine starts a JVM slowly

    @TempDir
    Path dir;

    @Test
    void embedded_programThatClosesNothing_exits() throws Exception {
        assertExits(List.of(), "forget");
    }

    @Test
    void embedded_programThatClosesOnlyTheCacheManager_exits() throws Exception {
        assertExits(List.of(), "manager");
    }

    @Test
    void embedded_programThatClosesTheProvider_exits() throws Exception {
        assertExits(List.of(), "provider");
    }

    @Test
    void cluster_programThatClosesNothing_exits() throws Exception {
        Cluster cluster = Cluster.memring(1);
        try {
            assertExits(List.of("-Dmemring.servers=" + cluster.nodes.serverSpec()), "forget");
        } finally {
            cluster.stop();
        }
    }

    private void assertExits(List<String> jvmOptions, String close) throws IOException, InterruptedException {
        Path output = dir.resolve("out-" + close + ".txt");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-Xmx128m");
        command.addAll(jvmOptions);
        command.add(ReadmeProgram.class.getName());
        command.add(close);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            boolean exited = p.waitFor(EXIT_WITHIN_SECONDS, TimeUnit.SECONDS);
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(exited).as("the JVM exits after main returns (closing: %s); it printed:%n%s", close, printed).isTrue();
            assertThat(p.exitValue()).as(printed).isZero();
            assertThat(printed).contains("read back 42");
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
