package io.memring.jcache;

import io.memring.jcache.event.EventDispatcher;
import io.memring.jcache.management.CacheMXBeans;
import io.memring.jcache.management.CacheStatistics;
import io.memring.jcache.store.RemoteStore;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The collaborators a {@link MemringCache} coordinates, assembled by {@link CacheFactory}.
 *
 * @param store where the entries are
 * @param codec keys and values as bytes
 * @param integration loader and writer
 * @param expiry the expiry policy's rules
 * @param events listeners and event delivery
 * @param statistics this JVM's counts
 * @param mxBeans JMX registration
 * @param loadExecutor runs {@code loadAll}
 * @param clock wall-clock milliseconds for expiry decisions
 */
record CacheParts<K, V>(RemoteStore store, EntryCodec<K, V> codec, Integration<K, V> integration, Expiry expiry,
                        EventDispatcher<K, V> events, CacheStatistics statistics, CacheMXBeans mxBeans, Executor loadExecutor,
                        LongSupplier clock) {
}
