package io.memring.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.server.cluster.Membership;
import io.memring.server.cluster.PeerAddress;
import io.memring.testing.RawClient;
import io.memring.testing.Signals;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/memring-cluster} as users run it: start prints every node and a ready line only once all
 * answer, status shows each node's stats, stop leaves no process behind, and a taken port fails the
 * start loudly, naming the port, with no node left running.
 */
class MemringClusterIT {
    private static final Path SCRIPT = Path.of("bin", "memring-cluster").toAbsolutePath();
    private static final ExternalTool CLUSTER = new ExternalTool(SCRIPT.toString(), "(this repository)");
    private static final Pattern NODE_LINE = Pattern.compile("^node-(\\d) 127\\.0\\.0\\.1:(\\d+) pid (\\d+) 1\\.6\\.18-memring\\S*$", Pattern.MULTILINE);

    @TempDir
    Path state;

    /** The cluster's processes, found by the tag memring-cluster puts on each node's command line. */
    private List<ProcessHandle> nodesOfThisTest() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("-Dmemring.cluster.node=" + state)).orElse(false))
                .toList();
    }

    private ExternalTool.Result cluster(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--dir", state.toString(), "--wait", "90"));
        all.addAll(List.of(args));
        return CLUSTER.run(Duration.ofSeconds(120), all.toArray(String[]::new));
    }

    @AfterEach
    void noNodeLeft() throws Exception {
        cluster("stop");
        List<ProcessHandle> left = nodesOfThisTest();
        left.forEach(ProcessHandle::destroyForcibly); // so a failing test does not leak nodes either
        assertThat(left).as("nodes left after stop").isEmpty();
    }

    /** {@code --replicas 1}: the old behaviour, standalone nodes, each accepting any key. */
    @Test
    void startStatusStop_threeStandaloneNodes() throws Exception {
        ExternalTool.Result start = cluster("--replicas", "1", "start", "3");
        assertThat(start.exitCode()).as(start.output()).isZero();

        Matcher m = NODE_LINE.matcher(start.output());
        // Nodes report in the order they answer; index them by node number.
        Integer[] ports = new Integer[3];
        Long[] pids = new Long[3];
        while (m.find()) {
            int node = Integer.parseInt(m.group(1)) - 1;
            ports[node] = Integer.parseInt(m.group(2));
            pids[node] = Long.parseLong(m.group(3));
        }
        assertThat(ports).as(start.output()).doesNotContainNull().doesNotHaveDuplicates();
        String servers = Files.readString(state.resolve("servers")).strip();
        assertThat(start.output().strip()).endsWith("memring-cluster: ready: 3 node(s): " + servers);
        for (int port : ports) {
            assertThat(servers).contains("127.0.0.1:" + port);
            try (RawClient c = new RawClient(port)) {
                assertThat(c.roundTrip("set k-" + port + " 0 0 1\r\nx\r\n", "\r\n")).isEqualTo("STORED\r\n");
            }
        }

        ExternalTool.Result status = cluster("status");
        assertThat(status.exitCode()).as(status.output()).isZero();
        for (int i = 0; i < 3; i++) {
            assertThat(status.output()).containsPattern("node-" + (i + 1) + " 127\\.0\\.0\\.1:" + ports[i]
                    + " pid=" + pids[i] + " uptime=\\d+ curr_items=1 bytes=\\d+ curr_connections=\\d+\n");
        }
        assertThat(status.output()).as("standalone nodes have no replication line").doesNotContain("repl_state");

        ExternalTool.Result stop = cluster("stop");
        assertThat(stop.exitCode()).as(stop.output()).isZero();
        assertThat(stop.output()).contains("stopped 3 node(s)");
        for (long pid : pids) {
            // A node that exited stays a zombie until init reaps it, a moment after stop returns.
            Awaitility.await("pid " + pid + " gone after stop").atMost(Duration.ofSeconds(10))
                    .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        }
        assertThat(nodesOfThisTest()).isEmpty();
        ExternalTool.Result after = cluster("status");
        assertThat(after.exitCode()).as(after.output()).isEqualTo(3);
    }

    /**
     * The default for 3 nodes: every node gets the same {@code --peers} and {@code --replicas 2}; start
     * is ready only when every node says {@code repl_state ready}; a key written on its primary (found
     * by asking any node) is readable on its second owner and on no third node.
     */
    @Test
    void startStatusStop_threeReplicatedNodes() throws Exception {
        ExternalTool.Result start = cluster("start", "3");
        assertThat(start.exitCode()).as(start.output()).isZero();
        String servers = Files.readString(state.resolve("servers")).strip();
        assertThat(start.output()).contains("memring-cluster: starting 3 node(s), --replicas 2: " + servers + "\n");
        assertThat(start.output().strip()).endsWith("memring-cluster: ready: 3 node(s), --replicas 2: " + servers);
        List<Integer> ports = new ArrayList<>();
        for (String server : servers.split(",")) {
            ports.add(Integer.parseInt(server.substring(server.indexOf(':') + 1)));
        }
        assertThat(ports).hasSize(3).doesNotHaveDuplicates();
        for (int port : ports) {
            try (RawClient c = new RawClient(port)) {
                // The ready line came after every node was ready, so no waiting here.
                assertThat(c.roundTrip("stats repl_state\r\n", "END\r\n")).contains("STAT repl_state ready\r\n");
                assertThat(c.roundTrip("stats\r\n", "END\r\n")).contains("STAT repl_replicas 2\r\n");
            }
        }

        // Any node names the key's primary: either it stores the key or it answers "not owner host:port".
        String key = "replicated-key";
        int primary;
        try (RawClient c = new RawClient(ports.get(0))) {
            String reply = c.roundTrip("set " + key + " 0 0 5\r\nhello\r\n", "\r\n");
            Matcher notOwner = Pattern.compile("^SERVER_ERROR not owner 127\\.0\\.0\\.1:(\\d+)\r\n$").matcher(reply);
            if (reply.equals("STORED\r\n")) {
                primary = ports.get(0);
            } else {
                assertThat(notOwner.matches()).as(reply).isTrue();
                primary = Integer.parseInt(notOwner.group(1));
                try (RawClient p = new RawClient(primary)) {
                    assertThat(p.roundTrip("set " + key + " 0 0 5\r\nhello\r\n", "\r\n")).isEqualTo("STORED\r\n");
                }
            }
        }
        assertThat(ports).contains(primary);
        // The second owner, as the nodes compute it (the same ring from the same --peers list).
        List<PeerAddress> owners = Membership.of(servers, 2, "127.0.0.1", primary)
                .owners(key.getBytes(StandardCharsets.US_ASCII));
        assertThat(owners).hasSize(2);
        assertThat(owners.get(0).address().getPort()).isEqualTo(primary);
        int second = owners.get(1).address().getPort();
        try (RawClient c = new RawClient(second)) {
            Awaitility.await("the key replicated to its second owner " + second).atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> c.roundTrip("get " + key + "\r\n", "END\r\n"), r -> r.contains("\r\nhello\r\n"));
        }
        for (int port : ports) {
            if (port != primary && port != second) {
                try (RawClient c = new RawClient(port)) {
                    assertThat(c.roundTrip("get " + key + "\r\n", "END\r\n")).as("no copy on a non-owner").isEqualTo("END\r\n");
                }
            }
        }

        ExternalTool.Result status = cluster("status");
        assertThat(status.exitCode()).as(status.output()).isZero();
        for (int i = 0; i < 3; i++) {
            assertThat(status.output()).containsPattern("node-" + (i + 1) + " 127\\.0\\.0\\.1:" + ports.get(i)
                    + " pid=\\d+ uptime=\\d+ curr_items=\\d bytes=\\d+ curr_connections=\\d+\n"
                    + "  repl_state=ready repl_replicas=2 repl_queue_bytes=\\d+ repl_offered=\\d+ repl_sent=\\d+"
                    + " repl_applied=\\d+ .*repl_dropped=0 ");
        }
        assertThat(status.output()).containsPattern(
                "127\\.0\\.0\\.1:" + second + " .*\n  repl_state=ready repl_replicas=2 .* repl_applied=[1-9]");

        ExternalTool.Result stop = cluster("stop");
        assertThat(stop.exitCode()).as(stop.output()).isZero();
        assertThat(stop.output()).contains("stopped 3 node(s)");
        Awaitility.await("no node left after stop").atMost(Duration.ofSeconds(10)).until(() -> nodesOfThisTest().isEmpty());
    }

    @Test
    void start_portTaken_failsNamingThePort_andLeavesNoNode() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ExternalTool.Result start = cluster("--base-port", String.valueOf(taken.getLocalPort()), "start", "2");

            assertThat(start.exitCode()).as(start.output()).isEqualTo(1);
            assertThat(start.output())
                    .contains("node-1 on 127.0.0.1:" + taken.getLocalPort() + " could not bind: the port is taken")
                    .contains("Address already in use")
                    .doesNotContain("memring-cluster: ready");
            assertThat(nodesOfThisTest()).as("nodes left after a failed start").isEmpty();
            assertThat(state.resolve("servers")).doesNotExist();
        }
    }

    @Test
    void stop_nodeIgnoringTerm_isKilledAfterTheBound() throws Exception {
        ExternalTool.Result start = cluster("start", "2");
        assertThat(start.exitCode()).as(start.output()).isZero();
        long frozen = Long.parseLong(Files.readString(state.resolve("node-2.pid")).strip());
        Signals.stop(frozen); // a stopped process cannot act on TERM; only KILL ends it

        ExternalTool.Result stop = cluster("--stop-wait", "2", "stop");

        assertThat(stop.exitCode()).as(stop.output()).isZero();
        assertThat(stop.output()).contains("node-2 (pid " + frozen + ") ignored TERM for 2s; sending KILL");
        assertThat(stop.output()).doesNotContain("node-1 (pid");
        assertThat(nodesOfThisTest()).isEmpty();
    }

    @Test
    void start_whileRunning_isRefused() throws Exception {
        assertThat(cluster("start", "1").exitCode()).isZero();
        ExternalTool.Result again = cluster("start", "1");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.output()).contains("already running");
        assertThat(nodesOfThisTest()).hasSize(1);
    }

    @Test
    void usageErrors_exitTwo() throws Exception {
        assertThat(cluster("start", "0").exitCode()).isEqualTo(2);
        assertThat(cluster("frobnicate").exitCode()).isEqualTo(2);
        assertThat(cluster().exitCode()).isEqualTo(2);
    }
}
