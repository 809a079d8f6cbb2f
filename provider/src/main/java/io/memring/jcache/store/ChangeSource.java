package io.memring.jcache.store;

import io.memring.client.watch.MutationSink;
import io.memring.client.watch.WatchSubscription;

/**
 * Where one cache hears what the nodes accepted from other clients (Memring nodes push it; see
 * {@link RemoteStores#changes}): a subscription to the cache's namespace, and the rule that turns a
 * pushed item back into one of the cache's entries.
 */
public interface ChangeSource {

    /** Subscribes to every change under the cache's namespace, with old and new values. */
    WatchSubscription watch(MutationSink sink);

    /**
     * Returns the cache key and entry a pushed item stands for, or null when it is no mapping of the
     * cache ({@link RingStore#decode}).
     */
    RemoteStore.KeyedEntry decode(byte[] serverKey, byte[] stored, int flags, long version);
}
