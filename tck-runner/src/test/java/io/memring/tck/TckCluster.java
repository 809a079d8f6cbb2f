package io.memring.tck;

import io.memring.testing.NodeProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Starts the cluster the TCK runs against, before any test, and stops it after the last: when
 * {@code memring.tck.clusterNodes} is N > 0, N Memring nodes, each its own JVM on a loopback ephemeral
 * port, and {@code memring.servers} pointing at them (which the provider reads like any other setting).
 * Without the property the provider runs its embedded node.
 */
public final class TckCluster implements LauncherSessionListener {
    private final List<NodeProcess> nodes = new ArrayList<>();

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        int n = Integer.getInteger("memring.tck.clusterNodes", 0);
        if (n <= 0) {
            return;
        }
        StringJoiner servers = new StringJoiner(",");
        try {
            for (int i = 0; i < n; i++) {
                NodeProcess node = NodeProcess.start(List.of("-Xmx128m", "-XX:+UseSerialGC"), "-t", "1", "-m", "64");
                nodes.add(node);
                servers.add("127.0.0.1:" + node.port);
            }
        } catch (Exception e) {
            launcherSessionClosed(session);
            throw new IllegalStateException("cannot start the TCK cluster", e);
        }
        System.setProperty("memring.servers", servers.toString());
        System.err.println("TCK cluster: memring.servers=" + servers);
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        nodes.forEach(NodeProcess::close);
        nodes.clear();
    }
}
