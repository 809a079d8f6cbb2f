package io.memring.jcache;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.cache.CacheManager;

/**
 * Nodes from the shared integration fixture ({@link io.memring.integration.Cluster}), and
 * CacheManagers pointed at them, each of its own provider (so with its own client, as another JVM
 * would have).
 */
final class Cluster {
    final io.memring.integration.Cluster nodes;
    private final List<MemringCachingProvider> providers = new ArrayList<>();

    private Cluster(io.memring.integration.Cluster nodes) {
        this.nodes = nodes;
    }

    static Cluster memring(int n) throws Exception {
        return new Cluster(io.memring.integration.Cluster.memring(n));
    }

    /** {@code n} Memring nodes, each its own JVM (they can be paused with SIGSTOP). */
    static Cluster memringProcesses(int n, String... serverArgs) throws Exception {
        return new Cluster(io.memring.integration.Cluster.memringProcesses(n, serverArgs));
    }

    /** {@code n} Memring node processes replicating each key to {@code replicas} owners. */
    static Cluster memringReplicated(int n, String replicas) throws Exception {
        return new Cluster(io.memring.integration.Cluster.memringReplicated(n, replicas));
    }

    static Cluster memcached(int n, String... extraArgs) throws Exception {
        return new Cluster(io.memring.integration.Cluster.memcached(n, extraArgs));
    }

    InetSocketAddress address(int i) {
        return nodes.address(i);
    }

    /** A CacheManager of its own provider, with {@code memring.servers} and the given key/value pairs. */
    CacheManager newManager(String... extraProperties) {
        Properties p = new Properties();
        p.setProperty("memring.servers", nodes.serverSpec());
        for (int i = 0; i + 1 < extraProperties.length; i += 2) {
            p.setProperty(extraProperties[i], extraProperties[i + 1]);
        }
        MemringCachingProvider provider = new MemringCachingProvider();
        providers.add(provider);
        return provider.getCacheManager(provider.getDefaultURI(), getClass().getClassLoader(), p);
    }

    /** Closes the managers, then stops the nodes. */
    void stop() {
        providers.forEach(MemringCachingProvider::close);
        nodes.stop();
    }

    @Override
    public String toString() {
        return nodes.toString();
    }
}
