package io.memring.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.server.MemringServer;
import io.memring.server.ServerConfig;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libmemcached's command-line tools (Debian {@code libmemcached-tools}, installed by {@code .ci/run}),
 * C clients we did not write, against our node unchanged.
 */
class LibmemcachedToolsIT {
    private static MemringServer node;
    private static String servers;

    @BeforeAll
    static void start() throws Exception {
        node = MemringServer.start(ServerConfig.defaults().withPort(0).withWorkerThreads(1));
        servers = "--servers=127.0.0.1:" + node.port();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    /** Runs a tool and returns "exit:output". */
    private static String run(String... command) throws Exception {
        String tool = "/usr/bin/" + command[0];
        if (!new File(tool).canExecute()) {
            throw new IllegalStateException(tool + " is missing: apt-get install -y libmemcached-tools (.ci/run does)");
        }
        List<String> cmd = new ArrayList<>(List.of(command));
        cmd.set(0, tool);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
            return p.exitValue() + ":" + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void copyCatExistTouchDumpRemoveFlush(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("greeting.txt");
        Files.writeString(file, "hello from libmemcached\n");
        assertThat(run("memccp", servers, file.toString())).startsWith("0:");
        assertThat(run("memccat", servers, "greeting.txt")).startsWith("0:hello from libmemcached\n");
        assertThat(run("memcexist", servers, "greeting.txt")).startsWith("0:");
        assertThat(run("memctouch", servers, "--expire=100", "greeting.txt")).startsWith("0:");
        assertThat(run("memcdump", servers)).startsWith("0:").contains("greeting.txt");
        assertThat(run("memcstat", servers)).startsWith("0:").contains("curr_items:", "version: 1.6.18");
        assertThat(run("memcrm", servers, "greeting.txt")).startsWith("0:");
        assertThat(run("memcexist", servers, "greeting.txt")).doesNotStartWith("0:");
        assertThat(run("memcping", servers)).startsWith("0:");
        assertThat(run("memcflush", servers)).startsWith("0:");
    }

    @Test
    void memcslap_loadRunsClean() throws Exception {
        String out = run("memcslap", servers, "--concurrency=4", "--execute-number=500");
        assertThat(out).startsWith("0:").contains("Time total");
    }
}
