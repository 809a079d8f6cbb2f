package io.memring.jcache;

import io.memring.client.ClientConfig;
import io.memring.client.MemcacheClients;
import io.memring.client.MemcacheClient;
import io.memring.jcache.configuration.MemringConfiguration;
import io.memring.jcache.configuration.ProviderSettings;
import io.memring.jcache.configuration.SecuritySettings;
import io.memring.jcache.near.InvalidationSource;
import io.memring.jcache.near.NearCaches;
import io.memring.jcache.near.WatchInvalidationSource;
import io.memring.jcache.serialization.ClassAllowList;
import io.memring.jcache.serialization.Serializer;
import io.memring.jcache.store.ChangeSource;
import io.memring.jcache.store.RemoteStore;
import io.memring.jcache.store.RemoteStores;
import io.memring.jcache.store.RingStores;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.LongSupplier;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.spi.CachingProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CacheManager over one ring: its caches share one client (and, with no servers configured, the
 * provider's embedded node). Caches are per-JVM views; their entries are on the ring, shared by every
 * JVM that uses the same cache names on the same nodes.
 */
public final class MemringCacheManager implements CacheManager {
    private static final Logger log = LoggerFactory.getLogger(MemringCacheManager.class);

    private final MemringCachingProvider provider;
    private final URI uri;
    private final ClassLoader classLoader;
    private final Properties properties;
    private final RemoteStores stores;
    private final ProviderSettings settings;
    private final LongSupplier clock;
    private final ConcurrentMap<String, MemringCache<?, ?>> caches = new ConcurrentHashMap<>();
    private final ExecutorService loadExecutor;
    private final NearCaches nearCaches;
    private volatile boolean closed;

    MemringCacheManager(MemringCachingProvider provider, URI uri, ClassLoader classLoader, Properties properties) {
        this(provider, uri, classLoader, properties, System::currentTimeMillis);
    }

    /** With an injected wall clock (milliseconds) for expiry decisions: tests use a fake one. */
    MemringCacheManager(MemringCachingProvider provider, URI uri, ClassLoader classLoader, Properties properties, LongSupplier clock) {
        this(provider, uri, classLoader, ProviderSettings.effective(uri, properties, classLoader),
                settings -> connect(provider, uri, settings), clock);
    }

    /** Over given stores (tests use in-memory ones). */
    MemringCacheManager(MemringCachingProvider provider, URI uri, ClassLoader classLoader, Properties properties,
                        RemoteStores stores, LongSupplier clock) {
        this(provider, uri, classLoader, ProviderSettings.effective(uri, properties, classLoader), settings -> stores, clock);
    }

    /** {@code effective}: the file, given and system properties merged, as {@link #getProperties()} returns them. */
    private MemringCacheManager(MemringCachingProvider provider, URI uri, ClassLoader classLoader, Properties effective,
                                Function<ProviderSettings, RemoteStores> storesFor, LongSupplier clock) {
        ProviderSettings settings = ProviderSettings.of(effective);
        this.settings = settings;
        this.provider = provider;
        this.uri = uri;
        this.classLoader = classLoader;
        this.properties = effective;
        this.stores = storesFor.apply(settings);
        this.clock = clock;
        this.nearCaches = new NearCaches(settings.nearCacheMaxEntries(), settings.nearCacheTtlMillis(), this::invalidationSource,
                com.github.benmanes.caffeine.cache.Ticker.systemTicker());
        this.loadExecutor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "memring-loader");
            t.setDaemon(true);
            return t;
        });
    }

    /** Connects to the ring the settings name (or to the provider's embedded node). */
    private static RemoteStores connect(MemringCachingProvider provider, URI uri, ProviderSettings settings) {
        List<InetSocketAddress> servers = settings.embedded()
                ? List.of(provider.embeddedNode(settings.embeddedMemoryMb(), settings.embeddedMaxItemSizeKb()).address())
                : ClientConfig.parseServers(settings.servers());
        log.info("CacheManager {} uses {} ({})", uri, servers, settings.embedded() ? "embedded node" : ProviderSettings.SERVERS.key());
        SecuritySettings security = settings.security();
        if (settings.embedded() && !security.plain()) {
            log.warn("CacheManager {}: the memring.tls/memring.auth settings apply to memring.servers; the embedded node"
                    + " (loopback, inside this JVM) is used without them", uri);
            security = new SecuritySettings(null, null);
        } else if (!security.plain()) {
            log.info("CacheManager {}: {}", uri, security); // the password is never shown
        }
        MemcacheClient client;
        try {
            client = MemcacheClients.create(ClientConfig.builder()
                    .servers(servers)
                    .requestTimeout(settings.requestTimeout())
                    .connectTimeout(settings.connectTimeout())
                    .failover(settings.failover())
                    .ioThreads(2)
                    .tls(security.tls())
                    .credentials(security.credentials())
                    .build());
        } catch (io.memring.client.TlsException e) { // a certificate, key or store that cannot be read
            throw new javax.cache.CacheException(e.getMessage() + " (memring.tls.* settings)", e);
        }
        // A node that cannot be reached is marked down by its first connect attempt: waiting for those
        // attempts means the first request already fails over (or fails naming the cause) instead of
        // failing on a connection still being tried.
        if (!client.awaitFirstConnect(settings.connectTimeout().plusSeconds(1))) {
            log.warn("CacheManager {}: not every node of {} answered or refused within {} ms ({}); going on",
                    uri, servers, settings.connectTimeout().toMillis(), ProviderSettings.CONNECT_TIMEOUT.key());
        }
        return new RingStores(client);
    }

    /** Where this manager's near caches subscribe: the client's mutation stream, or none for stores off a ring. */
    private InvalidationSource invalidationSource() {
        MemcacheClient client = stores.unwrap(MemcacheClient.class);
        return client != null ? new WatchInvalidationSource(client)
                : InvalidationSource.none("stores@" + Integer.toHexString(System.identityHashCode(stores)));
    }

    /**
     * Returns a cache's serializer: its configuration's, or the one {@code memring.serialization.format}
     * names, bound to what the cache may deserialize (its key and value types, JDK value types and
     * {@code memring.serialization.allow}).
     */
    Serializer serializerFor(MemringConfiguration<?, ?> configuration) {
        return settings.serializationFormat().serializerFor(configuration.getSerializerFactory(),
                ClassAllowList.forCache(configuration.getKeyType(), configuration.getValueType(), settings.serializationAllow()));
    }

    /**
     * Returns where the cache hears other JVMs' changes, or null: remote events off (the cache's
     * {@code MemringConfiguration.setRemoteEvents}, else {@code memring.events.remote}) or nodes that
     * push none.
     */
    ChangeSource changesFor(String cacheName, MemringConfiguration<?, ?> configuration) {
        Boolean perCache = configuration.getRemoteEvents();
        return (perCache != null ? perCache : settings.remoteEvents()) ? stores.changes(cacheName) : null;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("CacheManager " + uri + " is closed");
        }
    }

    @Override
    public CachingProvider getCachingProvider() {
        return provider;
    }

    @Override
    public URI getURI() {
        return uri;
    }

    @Override
    public ClassLoader getClassLoader() {
        return classLoader;
    }

    @Override
    public Properties getProperties() {
        return properties;
    }

    @Override
    public <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(String cacheName, C configuration) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        Objects.requireNonNull(configuration, "configuration");
        MemringConfiguration<K, V> copy = configuration instanceof CompleteConfiguration<K, V> complete
                ? new MemringConfiguration<>(complete)
                : (MemringConfiguration<K, V>) new MemringConfiguration<K, V>().setTypes(configuration.getKeyType(), configuration.getValueType())
                        .setStoreByValue(configuration.isStoreByValue());
        if (!copy.isStoreByValue()) {
            throw new UnsupportedOperationException("Memring caches are store-by-value: store-by-reference is not supported");
        }
        synchronized (caches) {
            if (caches.containsKey(cacheName)) {
                throw new CacheException("cache " + cacheName + " already exists");
            }
            RemoteStore store = nearCaches.wrap(cacheName, stores.forCache(cacheName), copy.getNearCacheMaxEntries(),
                    copy.getNearCacheTtlMillis());
            MemringCache<K, V> cache = CacheFactory.create(cacheName, this, copy, store, loadExecutor, clock);
            caches.put(cacheName, cache);
            return cache;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> Cache<K, V> getCache(String cacheName, Class<K> keyType, Class<V> valueType) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(valueType, "valueType");
        MemringCache<?, ?> cache = caches.get(cacheName);
        if (cache == null) {
            return null;
        }
        CompleteConfiguration<?, ?> c = cache.getConfiguration(CompleteConfiguration.class);
        if (!c.getKeyType().equals(keyType)) {
            throw new ClassCastException("cache " + cacheName + " has keys of " + c.getKeyType().getName() + ", not " + keyType.getName());
        }
        if (!c.getValueType().equals(valueType)) {
            throw new ClassCastException("cache " + cacheName + " has values of " + c.getValueType().getName() + ", not " + valueType.getName());
        }
        return (Cache<K, V>) cache;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> Cache<K, V> getCache(String cacheName) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        return (Cache<K, V>) caches.get(cacheName);
    }

    @Override
    public Iterable<String> getCacheNames() {
        checkOpen();
        return Collections.unmodifiableSet(new LinkedHashSet<>(caches.keySet()));
    }

    @Override
    public void destroyCache(String cacheName) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        MemringCache<?, ?> cache = caches.remove(cacheName);
        if (cache != null) {
            try {
                cache.clear();
            } finally {
                CacheException failure = cache.closeResources();
                if (failure != null) {
                    log.warn("destroying cache {}: some resources failed to close", cacheName, failure);
                }
            }
        }
    }

    @Override
    public void enableManagement(String cacheName, boolean enabled) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        MemringCache<?, ?> cache = caches.get(cacheName);
        if (cache != null) {
            cache.setManagementEnabled(enabled);
        }
    }

    @Override
    public void enableStatistics(String cacheName, boolean enabled) {
        checkOpen();
        Objects.requireNonNull(cacheName, "cacheName");
        MemringCache<?, ?> cache = caches.get(cacheName);
        if (cache != null) {
            cache.setStatisticsEnabled(enabled);
        }
    }

    /** Returns the underlying client if it is a {@code clazz}, else null. */
    <T> T unwrapBackend(Class<T> clazz) {
        return stores.unwrap(clazz);
    }

    void release(MemringCache<?, ?> cache) {
        caches.remove(cache.getName(), cache);
    }

    /**
     * Closes every cache, the loader threads and the connections, each even if an earlier one failed;
     * failures are logged as one exception with the others suppressed.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        provider.release(this);
        Closer closer = new Closer("CacheManager " + uri);
        for (MemringCache<?, ?> cache : caches.values()) {
            closer.run(() -> {
                CacheException failure = cache.closeResources();
                if (failure != null) {
                    throw failure;
                }
            });
        }
        caches.clear();
        closer.run(loadExecutor::shutdownNow);
        closer.run(stores::close);
        if (closer.failure() != null) {
            log.warn("closing CacheManager {}: some resources failed to close", uri, closer.failure());
        }
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public <T> T unwrap(Class<T> clazz) {
        if (clazz.isInstance(this)) {
            return clazz.cast(this);
        }
        T backend = stores.unwrap(clazz);
        if (backend != null) {
            return backend;
        }
        throw new IllegalArgumentException("cannot unwrap a Memring CacheManager to " + clazz.getName());
    }
}
