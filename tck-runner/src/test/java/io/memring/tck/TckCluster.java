package io.memring.tck;

import io.memring.testing.NodeProcess;
import io.memring.testing.RawClient;
import io.memring.testing.StockMemcached;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts the cluster the TCK runs against, before any test, and stops it after the last: when
 * {@code memring.tck.clusterNodes} is N > 0, N nodes on loopback ephemeral ports, and
 * {@code memring.servers} pointing at them (which the provider reads like any other setting). The nodes
 * are Memring nodes, each its own JVM, or with {@code memring.tck.clusterKind=memcached} stock memcached
 * processes. With {@code memring.tck.replicas} R > 1 the Memring nodes replicate: each gets
 * {@code --peers} (the same list, in the same order, as {@code memring.servers}) and {@code --replicas R},
 * and the TCK starts only once every node reports {@code repl_state ready} and its peer links up.
 * Without {@code memring.tck.clusterNodes} the provider runs its embedded node.
 */
public final class TckCluster implements LauncherSessionListener {
    /** A brand-new cluster is ready at once; the bound covers JVM starts on a loaded 2-core machine. */
    private static final long READY_WAIT_MS = 60_000;
    private final List<AutoCloseable> nodes = new ArrayList<>();
    private final List<Integer> replicatedPorts = new ArrayList<>();

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        int n = Integer.getInteger("memring.tck.clusterNodes", 0);
        if (n <= 0) {
            return;
        }
        boolean stock = "memcached".equals(System.getProperty("memring.tck.clusterKind"));
        int replicas = Integer.getInteger("memring.tck.replicas", 1);
        String servers;
        try {
            servers = stock ? startStock(n) : startNodes(n, replicas);
        } catch (Exception e) {
            launcherSessionClosed(session);
            throw new IllegalStateException("cannot start the TCK cluster", e);
        }
        System.setProperty("memring.servers", servers);
        System.err.println("TCK cluster (" + (stock ? "stock memcached" : "Memring nodes, replicas " + replicas)
                + "): memring.servers=" + servers);
    }

    private String startStock(int n) throws IOException, InterruptedException {
        StringJoiner servers = new StringJoiner(",");
        for (int i = 0; i < n; i++) {
            StockMemcached node = StockMemcached.start("-t", "1", "-m", "64");
            nodes.add(node);
            servers.add("127.0.0.1:" + node.port);
        }
        return servers.toString();
    }

    private String startNodes(int n, int replicas) throws IOException, InterruptedException {
        // every node must know the whole member list at start, so the ports are chosen first
        int[] ports = new int[n];
        StringJoiner servers = new StringJoiner(",");
        for (int i = 0; i < n; i++) {
            ports[i] = StockMemcached.freePort();
            servers.add("127.0.0.1:" + ports[i]);
        }
        List<String> jvm = List.of("-Xmx128m", "-XX:+UseSerialGC");
        for (int port : ports) {
            NodeProcess node = replicas > 1
                    ? NodeProcess.start(port, jvm, "-l", "127.0.0.1", "-t", "1", "-m", "64",
                            "--peers", servers.toString(), "--replicas", String.valueOf(replicas))
                    : NodeProcess.start(port, jvm, "-t", "1", "-m", "64");
            nodes.add(node);
        }
        if (replicas > 1) {
            for (int port : ports) {
                awaitReady(port, n);
                replicatedPorts.add(port);
            }
        }
        return servers.toString();
    }

    /**
     * Waits, bounded, until the node serves its ranges ({@code repl_state ready}) and its link to every
     * other node is up: a change made while a link is still connecting is dropped for that peer and
     * left to a resync, which the TCK's first tests should not depend on.
     */
    private static void awaitReady(int port, int nodes) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + READY_WAIT_MS * 1_000_000;
        String last = "";
        try (RawClient c = new RawClient(port)) {
            while (System.nanoTime() < deadline) {
                last = c.roundTrip("stats\r\n", "END\r\n");
                long linksUp = last.lines().filter(l -> l.matches("STAT repl_peer_\\d+_up 1")).count();
                if (last.contains("STAT repl_state ready\r\n") && linksUp == nodes - 1) {
                    return;
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("node on port " + port + " not ready with all peer links up after "
                + READY_WAIT_MS + " ms: " + last);
    }

    /** Prints a node's replication counters, so the run shows that copies were shipped and applied. */
    private static void reportReplication(int port) {
        StringJoiner line = new StringJoiner(" ", "TCK cluster node " + port + ": ", "");
        try (RawClient c = new RawClient(port)) {
            for (String stat : c.roundTrip("stats\r\n", "END\r\n").split("\r\n")) {
                String[] f = stat.split(" ");
                if (f.length == 3 && f[1].matches("repl_(state|sent|applied|dropped|resyncs|not_owner|not_ready)")) {
                    line.add(f[1] + "=" + f[2]);
                }
            }
        } catch (IOException e) {
            line.add("stats failed: " + e);
        }
        System.err.println(line);
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        for (int port : replicatedPorts) {
            reportReplication(port);
        }
        replicatedPorts.clear();
        for (AutoCloseable node : nodes) {
            try {
                node.close();
            } catch (Exception e) {
                System.err.println("TCK cluster: stopping a node failed: " + e);
            }
        }
        nodes.clear();
    }
}
