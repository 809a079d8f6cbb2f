package io.memring.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.testing.NodeProcess;
import io.memring.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The node's command line and process lifecycle, as an operator uses them. */
class CommandLineIT {

    private static String run(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "io.memring.server.cli.ServerMain"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            return p.exitValue() + ":" + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void help_listsMemcachedFlags() throws Exception {
        String out = run("--help");
        assertThat(out).startsWith("0:").contains("-p, --port", "-l, --listen", "-m, --memory-limit", "-c, --conn-limit",
                "-t, --threads", "-I, --max-item-size", "-v, --verbose", "-h, --help", "-V, --version", "127.0.0.1");
    }

    @Test
    void version_printsMemcachedCompatibleVersion() throws Exception {
        assertThat(run("-V")).startsWith("0:memring-server 1.6.18");
    }

    @Test
    void badFlags_exitNonZeroWithMessage() throws Exception {
        assertThat(run("-p", "notaport")).doesNotStartWith("0:").contains("notaport");
        assertThat(run("-U", "11211")).doesNotStartWith("0:").contains("UDP is not supported");
        assertThat(run("-m", "0")).doesNotStartWith("0:").contains("memory limit");
    }

    @Test
    void sigterm_closesConnectionsAndStops() throws Exception {
        try (NodeProcess node = NodeProcess.start(List.of(), "-vv", "-I", "2m", "-c", "10", "-t", "1")) {
            try (RawClient c = new RawClient(node.port)) {
                String settings = c.roundTrip("stats settings\r\n", "END\r\n");
                assertThat(settings).contains("STAT item_size_max 2097152\r\n", "STAT maxconns 10\r\n", "STAT num_threads 1\r\n",
                        "STAT verbosity 2\r\n", "STAT inter 127.0.0.1\r\n");
                int exit = node.terminate();
                assertThat(exit).isEqualTo(143); // killed by SIGTERM after the shutdown hook ran
                c.readFor(1000);
                assertThat(c.closedByServer()).isTrue();
            }
            assertThat(node.output()).contains("listening on /127.0.0.1:" + node.port, "new client connection",
                    "stats settings", "stopped");
        }
    }
}
