package io.memring.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.testing.NodeProcess;
import io.memring.testing.RawClient;
import io.memring.testing.StockMemcached;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
        return exec(cmd);
    }

    /** Stock memcached with the same flags (plus "-u root", which it needs when tests run as root). */
    private static String memcached(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(StockMemcached.binary(), "-U", "0", "-u", "root"));
        cmd.addAll(List.of(args));
        return exec(cmd).replace(StockMemcached.binary() + ": ", "memring-server: ");
    }

    /** Runs a command that must exit by itself; returns "exit:output". */
    private static String exec(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("%s exits", cmd).isTrue();
            return p.exitValue() + ":" + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
    }

    /** Drops our log lines (the root warning), keeping what the command line printed. */
    private static String withoutLog(String out) {
        int colon = out.indexOf(':');
        return out.substring(0, colon + 1) + out.substring(colon + 1).lines()
                .filter(l -> !l.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d+ .*")).map(l -> l + "\n")
                .collect(java.util.stream.Collectors.joining());
    }

    private static boolean root() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().anyMatch(l -> l.matches("Uid:\\s+\\d+\\s+0\\s.*"));
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
        assertThat(run("-m", "0")).isEqualTo("64:Cannot set item size limit higher than memory max.\n");
    }

    @Test
    void unknownAndIncompleteFlags_answerAsMemcached() throws Exception {
        for (String[] args : List.of(new String[] {"-x"}, new String[] {"--bogus"}, new String[] {"-vx"},
                new String[] {"-dx"}, new String[] {"-p"}, new String[] {"-c", "0"}, new String[] {"-t", "0"},
                new String[] {"-c", "abc"}, new String[] {"-o", "foo=1"}, new String[] {"-o", "read_buf_mem_limit=abc"},
                new String[] {"-o", "idle_timeout"})) {
            assertThat(run(args)).as(String.join(" ", args)).isEqualTo(memcached(args)).doesNotStartWith("0:");
        }
    }

    @Test
    void itemSize_parsedAndLimitedAsMemcached() throws Exception {
        for (String size : List.of("100", "1023", "2048m", "5X", "abc", "0", "-1")) {
            assertThat(run("-I", size)).as(size).isEqualTo(memcached("-I", size))
                    .isEqualTo("64:Item max size cannot be less than 1024 bytes.\n");
        }
        assertThat(run("-I", "1025m", "-m", "8192")).isEqualTo(memcached("-I", "1025m", "-m", "8192"))
                .isEqualTo("64:Cannot set item size limit higher than a gigabyte.\n");
        // memcached reads "2g" as 2 bytes; we read gigabytes, so the refusal names the real limit.
        assertThat(run("-I", "2g")).isEqualTo("64:Cannot set item size limit higher than a gigabyte.\n");
        assertThat(memcached("-I", "2g")).startsWith("64:");
        for (String[] accepted : List.of(new String[] {"512k", "524288"}, new String[] {"2M", "2097152"},
                new String[] {"1.5m", "1048576"}, new String[] {"4096", "4096"})) {
            try (NodeProcess node = NodeProcess.start(List.of(), "-I", accepted[0], "-t", "1");
                 RawClient c = new RawClient(node.port)) {
                assertThat(c.roundTrip("stats settings\r\n", "END\r\n")).contains("STAT item_size_max " + accepted[1] + "\r\n");
            }
        }
    }

    @Test
    void busyPort_namesThePortOrInterface_asMemcached() throws Exception {
        try (StockMemcached busy = StockMemcached.start()) {
            String port = String.valueOf(busy.port);
            assertThat(withoutLog(run("-p", port))).isEqualTo("71:failed to listen on TCP port " + port + ": Address already in use\n");
            assertThat(withoutLog(run("-p", port, "-l", "127.0.0.1"))).isEqualTo(memcached("-p", port, "-l", "127.0.0.1"))
                    .isEqualTo("71:failed to listen on one of interface(s) 127.0.0.1: Address already in use\n");
        }
    }

    @Test
    void user_asRoot_checkedAsMemcached_elseIgnored() throws Exception {
        if (root()) {
            assertThat(run("-u", "no-such-user-here")).isEqualTo(memcached("-u", "no-such-user-here"))
                    .isEqualTo("67:can't find the user no-such-user-here to switch to\n");
            // The JVM cannot switch users itself: asked to, it refuses rather than run on as root.
            assertThat(run("-u", "nobody")).startsWith("71:failed to assume identity of user nobody");
        }
        try (NodeProcess node = NodeProcess.start(List.of(), "-u", root() ? "root" : "nobody", "-t", "1");
             RawClient c = new RawClient(node.port)) {
            assertThat(c.roundTrip("version\r\n", "\r\n")).startsWith("VERSION ");
        }
    }

    /**
     * bin/memring-server -d -P: returns once the node listens, the pid file names the node, SIGTERM
     * removes it. As root with -u nobody, the node runs as nobody; the launcher and jar are copied to
     * a world-readable folder first so that nobody can read them wherever the build lives.
     */
    @Test
    void launcher_daemonizesWithPidFile_andDropsToUser() throws Exception {
        Path dir = Files.createTempDirectory("memring-launcher");
        Path launcher = Files.copy(Path.of("bin", "memring-server"), dir.resolve("memring-server"));
        Path jar = Files.copy(Path.of("target", "memring-server.jar"), dir.resolve("memring-server.jar"));
        Path pidFile = dir.resolve("node.pid");
        for (Path p : List.of(dir, launcher, jar)) {
            p.toFile().setReadable(true, false);
            p.toFile().setExecutable(true, false);
        }
        dir.toFile().setWritable(true, false);
        int port = StockMemcached.freePort();
        List<String> cmd = new java.util.ArrayList<>(List.of(launcher.toString(), "-d", "-P", pidFile.toString(),
                "-p", String.valueOf(port), "-t", "1"));
        if (root()) {
            cmd.addAll(List.of("-u", "nobody"));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("MEMRING_JAR", jar.toString());
        Process launched = pb.start();
        assertThat(launched.waitFor(40, TimeUnit.SECONDS)).isTrue();
        assertThat(launched.exitValue()).as(new String(launched.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle node = ProcessHandle.of(pid).orElseThrow();
        try (RawClient c = new RawClient(port)) {
            assertThat(c.roundTrip("stats\r\n", "END\r\n")).contains("STAT pid " + pid + "\r\n");
            if (root()) {
                assertThat(node.info().user()).contains("nobody");
            }
        } finally {
            node.destroy();
            node.onExit().get(10, TimeUnit.SECONDS);
        }
        assertThat(pidFile).doesNotExist(); // removed at shutdown, as memcached does
        Files.delete(jar);
        Files.delete(launcher);
        Files.delete(dir);
    }

    @Test
    void launcher_unknownUser_refusedAsMemcached() throws Exception {
        if (root()) {
            assertThat(exec(List.of(Path.of("bin", "memring-server").toAbsolutePath().toString(), "-u", "no-such-user-here")))
                    .isEqualTo(memcached("-u", "no-such-user-here"));
        }
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
