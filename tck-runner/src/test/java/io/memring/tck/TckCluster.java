package io.memring.tck;

import io.memring.testing.NodeProcess;
import io.memring.testing.StockMemcached;
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
 * processes. Without the property the provider runs its embedded node.
 */
public final class TckCluster implements LauncherSessionListener {
    private final List<AutoCloseable> nodes = new ArrayList<>();

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        int n = Integer.getInteger("memring.tck.clusterNodes", 0);
        if (n <= 0) {
            return;
        }
        boolean stock = "memcached".equals(System.getProperty("memring.tck.clusterKind"));
        StringJoiner servers = new StringJoiner(",");
        try {
            for (int i = 0; i < n; i++) {
                int port;
                if (stock) {
                    StockMemcached node = StockMemcached.start("-t", "1", "-m", "64");
                    nodes.add(node);
                    port = node.port;
                } else {
                    NodeProcess node = NodeProcess.start(List.of("-Xmx128m", "-XX:+UseSerialGC"), "-t", "1", "-m", "64");
                    nodes.add(node);
                    port = node.port;
                }
                servers.add("127.0.0.1:" + port);
            }
        } catch (Exception e) {
            launcherSessionClosed(session);
            throw new IllegalStateException("cannot start the TCK cluster", e);
        }
        System.setProperty("memring.servers", servers.toString());
        System.err.println("TCK cluster (" + (stock ? "stock memcached" : "Memring nodes") + "): memring.servers=" + servers);
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
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
