package io.memring.jcache;

import io.memring.jcache.configuration.MemringConfiguration;
import io.memring.jcache.event.EventDispatcher;
import io.memring.jcache.event.RemoteEventMapper;
import io.memring.jcache.event.RemoteEvents;
import io.memring.jcache.management.CacheConfigurationBean;
import io.memring.jcache.management.CacheMXBeans;
import io.memring.jcache.management.CacheStatistics;
import io.memring.jcache.store.ChangeSource;
import io.memring.jcache.near.NearCacheStore;
import io.memring.jcache.store.RemoteStore;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.integration.CacheLoader;
import javax.cache.integration.CacheWriter;

/** Assembles a {@link MemringCache} from its configuration: each collaborator in its own step. */
final class CacheFactory {
    private CacheFactory() {
    }

    static <K, V> MemringCache<K, V> create(String name, MemringCacheManager manager, MemringConfiguration<K, V> configuration,
                                            RemoteStore store, Executor loadExecutor, LongSupplier clock) {
        CacheStatistics statistics = new CacheStatistics();
        EntryCodec<K, V> codec = configureCodec(configuration, manager);
        EventDispatcher<K, V> events = configureEvents(name, configuration, codec, manager.changesFor(name, configuration), clock);
        CacheMXBeans mxBeans = new CacheMXBeans(statistics, new CacheConfigurationBean(configuration), manager.getURI().toString(), name,
                store instanceof NearCacheStore near ? near.stats() : null,
                events.remote() instanceof RemoteEvents<?, ?> remote ? remote : null);
        CacheParts<K, V> parts = new CacheParts<>(store, codec, configureIntegration(configuration), configureExpiry(configuration),
                events, statistics, mxBeans, loadExecutor, clock);
        return new MemringCache<>(name, manager, configuration, parts);
    }

    /** The serializer the manager's settings give this cache; values read back are checked against the configured types. */
    private static <K, V> EntryCodec<K, V> configureCodec(MemringConfiguration<K, V> configuration, MemringCacheManager manager) {
        return new EntryCodec<>(manager.serializerFor(configuration), manager.getClassLoader(), configuration.getKeyType(),
                configuration.getValueType());
    }

    /** A configured loader serves loadAll even without read-through; a writer is used only with write-through. */
    private static <K, V> Integration<K, V> configureIntegration(MemringConfiguration<K, V> configuration) {
        CacheLoader<K, V> loader = configuration.getCacheLoaderFactory() == null ? null : configuration.getCacheLoaderFactory().create();
        CacheWriter<? super K, ? super V> writer = configuration.isWriteThrough() && configuration.getCacheWriterFactory() != null
                ? configuration.getCacheWriterFactory().create() : null;
        return new Integration<>(loader, writer, configuration.isReadThrough());
    }

    private static Expiry configureExpiry(MemringConfiguration<?, ?> configuration) {
        return new Expiry(configuration.getExpiryPolicyFactory().create());
    }

    /**
     * The cache's listeners; with {@code changes} (remote events on, on nodes that push), also what
     * other JVMs do, decoded with the cache's own codec (its serializer and allow-list).
     */
    private static <K, V> EventDispatcher<K, V> configureEvents(String name, MemringConfiguration<K, V> configuration,
                                                                EntryCodec<K, V> codec, ChangeSource changes, LongSupplier clock) {
        EventDispatcher<K, V> events = new EventDispatcher<>(name);
        if (changes != null) {
            events.remote(new RemoteEvents<>(name, events, changes,
                    new RemoteEventMapper<>(changes::decode, codec::keyOf, codec::valueOf), clock));
        }
        for (CacheEntryListenerConfiguration<K, V> l : configuration.getCacheEntryListenerConfigurations()) {
            events.register(l);
        }
        return events;
    }
}
