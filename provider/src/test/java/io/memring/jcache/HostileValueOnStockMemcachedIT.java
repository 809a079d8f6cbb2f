package io.memring.jcache;

/** {@link HostileValueIT} on stock memcached 1.6 nodes. */
class HostileValueOnStockMemcachedIT extends HostileValueIT {

    @Override
    Cluster newCluster() throws Exception {
        return Cluster.memcached(2);
    }
}
