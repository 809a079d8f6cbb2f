package io.memring.jcache;

import io.memring.server.MemringServer;
import io.memring.server.ServerConfig;
import io.memring.testing.StockMemcached;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.StringJoiner;
import javax.cache.CacheManager;

/** A few servers on loopback, and CacheManagers (each with its own client) pointed at them. */
final class Cluster {
    final String name;
    final List<MemringServer> memring = new ArrayList<>();
    final List<StockMemcached> memcached = new ArrayList<>();
    final List<String> servers = new ArrayList<>();
    private final List<MemringCachingProvider> providers = new ArrayList<>();

    private Cluster(String name) {
        this.name = name;
    }

    static Cluster memring(int n) throws Exception {
        Cluster c = new Cluster(n + " memring nodes");
        for (int i = 0; i < n; i++) {
            MemringServer s = MemringServer.start(ServerConfig.defaults().withPort(0).withWorkerThreads(1));
            c.memring.add(s);
            c.servers.add("127.0.0.1:" + s.port());
        }
        return c;
    }

    static Cluster memcached(int n) throws Exception {
        Cluster c = new Cluster(n + " stock memcached nodes");
        for (int i = 0; i < n; i++) {
            StockMemcached m = StockMemcached.start("-t", "1");
            c.memcached.add(m);
            c.servers.add("127.0.0.1:" + m.port);
        }
        return c;
    }

    /** A CacheManager of its own provider, so with its own client: as another JVM would have. */
    CacheManager newManager(String... extraProperties) {
        Properties p = new Properties();
        StringJoiner j = new StringJoiner(",");
        servers.forEach(j::add);
        p.setProperty("memring.servers", j.toString());
        for (int i = 0; i + 1 < extraProperties.length; i += 2) {
            p.setProperty(extraProperties[i], extraProperties[i + 1]);
        }
        MemringCachingProvider provider = new MemringCachingProvider();
        providers.add(provider);
        return provider.getCacheManager(provider.getDefaultURI(), getClass().getClassLoader(), p);
    }

    void stop() {
        providers.forEach(MemringCachingProvider::close);
        memring.forEach(MemringServer::close);
        memcached.forEach(StockMemcached::close);
    }

    @Override
    public String toString() {
        return name;
    }
}
