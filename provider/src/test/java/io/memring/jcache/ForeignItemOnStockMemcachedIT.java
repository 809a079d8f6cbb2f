package io.memring.jcache;

/** {@link ForeignItemIT} on stock memcached 1.6 nodes, where other programs' items are most likely. */
class ForeignItemOnStockMemcachedIT extends ForeignItemIT {

    @Override
    Cluster newCluster() throws Exception {
        return Cluster.memcached(2);
    }
}
