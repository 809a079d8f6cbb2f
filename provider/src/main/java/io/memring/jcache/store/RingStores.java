package io.memring.jcache.store;

import io.memring.client.MemcacheClient;
import io.memring.client.NodeStatus;
import io.memring.jcache.store.ServerKinds.Kind;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caches of one CacheManager on one ring, sharing one client. On opening it asks every node what
 * it is ({@link ServerKinds}): on Memring nodes a cache is a plain namespace ({@link RingStore}), cleared
 * by a crawl that sees every item; if any node is stock memcached, whose crawler skips items a connection
 * still holds, caches are {@linkplain GenerationalStore generational}. Every JVM on one ring must decide
 * the same, so a ring is expected to be of one kind; if no node answers, the Memring layout is used and
 * that is logged.
 */
public final class RingStores implements RemoteStores {
    private static final Logger log = LoggerFactory.getLogger(RingStores.class);
    /** How long each node has to answer {@code version} when a CacheManager opens. */
    private static final int PROBE_TIMEOUT_MILLIS = 1000;
    /** What stock memcached cannot do is said once per JVM, not per CacheManager. */
    private static final AtomicBoolean STOCK_NOTICE_GIVEN = new AtomicBoolean();

    private final MemcacheClient client;
    private final boolean generational;

    public RingStores(MemcacheClient client) {
        this(client, generational(client));
    }

    /** With the layout given (tests). */
    RingStores(MemcacheClient client, boolean generational) {
        this.client = client;
        this.generational = generational;
    }

    private static boolean generational(MemcacheClient client) {
        List<InetSocketAddress> nodes = client.nodeStatus().stream().map(NodeStatus::address).toList();
        Map<InetSocketAddress, String> versions = ServerKinds.versions(nodes, PROBE_TIMEOUT_MILLIS);
        boolean stock = versions.values().stream().anyMatch(v -> ServerKinds.kindOf(v) == Kind.STOCK);
        boolean anyAnswered = versions.values().stream().anyMatch(v -> v != null);
        if (!anyAnswered) {
            log.warn("no node of {} answered `version`: assuming Memring nodes (a plain namespace per cache); "
                    + "on stock memcached, clear() and destroyCache() would then rely on the crawler", nodes);
            return false;
        }
        if (stock) {
            String message = "stock memcached nodes ({}): each cache keeps a generation item on the ring, "
                    + "read with every operation, and clear()/destroyCache() move it on instead of deleting (the old "
                    + "entries age out under LRU). Stock memcached cannot: see every item in a crawl (iteration and "
                    + "removeAll() may miss an item a connection is sending at that moment), keep a copy when a node "
                    + "dies (its entries are lost, and a cache whose generation item it held looks cleared), or push "
                    + "changes to other JVMs; use Memring nodes for those";
            if (STOCK_NOTICE_GIVEN.compareAndSet(false, true)) {
                log.info(message, versions);
            } else {
                log.debug(message, versions);
            }
        }
        return stock;
    }

    /** Returns whether caches keep a generation on the ring (a ring with stock memcached nodes). */
    public boolean generational() {
        return generational;
    }

    @Override
    public RemoteStore forCache(String cacheName) {
        return generational
                ? new GenerationalStore(client, cacheName, new Generation(client, cacheName, RingStores::micros))
                : new RingStore(client, cacheName);
    }

    /** Memring nodes push changes; a generational (stock memcached) ring does not. */
    @Override
    public ChangeSource changes(String cacheName) {
        return generational ? null : new RingStore(client, cacheName);
    }

    private static long micros() {
        return System.currentTimeMillis() * 1000;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        return clazz.isInstance(client) ? clazz.cast(client) : null;
    }

    @Override
    public void close() {
        client.close();
    }
}
