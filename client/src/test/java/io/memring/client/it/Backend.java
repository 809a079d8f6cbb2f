package io.memring.client.it;

import io.memring.server.MemringServer;
import io.memring.server.ServerConfig;
import io.memring.testing.StockMemcached;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Servers of one kind, started in the test and stopped by {@link #stop()}. (Not AutoCloseable on
 * purpose: JUnit closes AutoCloseable arguments of a parameterized test after each invocation.)
 */
final class Backend {
    final String name;
    final List<InetSocketAddress> servers = new ArrayList<>();
    private final List<AutoCloseable> running = new ArrayList<>();

    private Backend(String name) {
        this.name = name;
    }

    static Backend memring(int nodes) throws Exception {
        Backend b = new Backend(nodes + " memring nodes");
        for (int i = 0; i < nodes; i++) {
            MemringServer s = MemringServer.start(ServerConfig.defaults().withPort(0).withWorkerThreads(1));
            b.running.add(s);
            b.servers.add(new InetSocketAddress("127.0.0.1", s.port()));
        }
        return b;
    }

    static Backend memcached(int nodes) throws Exception {
        Backend b = new Backend(nodes + " stock memcached nodes");
        for (int i = 0; i < nodes; i++) {
            StockMemcached m = StockMemcached.start("-t", "1");
            b.running.add(m);
            b.servers.add(new InetSocketAddress("127.0.0.1", m.port));
        }
        return b;
    }

    void stop() throws Exception {
        for (AutoCloseable c : running) {
            c.close();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
