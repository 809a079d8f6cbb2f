package io.memring.jcache.configuration;

import io.memring.jcache.serialization.CompactSerializer;
import io.memring.jcache.serialization.DefaultSerializer;
import io.memring.jcache.serialization.Serializer;
import java.util.Objects;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;

/**
 * A JCache configuration plus Memring's own per-cache settings: the {@link Serializer} that turns
 * keys and values into bytes, and the near cache's size and time to live. Unset, a cache gets the
 * CacheManager's {@code memring.serialization.format} ({@link DefaultSerializer}, {@code java}, the
 * default, or {@link CompactSerializer}, {@code compact}), {@code memring.nearCache.maxEntries} and
 * {@code memring.nearCache.ttlMillis}. Pass it to {@code createCache}; a plain
 * {@code MutableConfiguration} gets the defaults.
 */
public class MemringConfiguration<K, V> extends MutableConfiguration<K, V> {
    private static final long serialVersionUID = 1L;

    private Factory<Serializer> serializerFactory;
    /** Null: the CacheManager's {@code memring.nearCache.maxEntries}. */
    private Integer nearCacheMaxEntries;
    /** Null: the CacheManager's {@code memring.nearCache.ttlMillis}. */
    private Long nearCacheTtlMillis;
    private Boolean remoteEvents;

    public MemringConfiguration() {
    }

    /** Copies a JCache configuration, and Memring's settings too when it is a MemringConfiguration. */
    public MemringConfiguration(CompleteConfiguration<K, V> configuration) {
        super(configuration);
        if (configuration instanceof MemringConfiguration<K, V> m) {
            this.serializerFactory = m.serializerFactory;
            this.nearCacheMaxEntries = m.nearCacheMaxEntries;
            this.nearCacheTtlMillis = m.nearCacheTtlMillis;
            this.remoteEvents = m.remoteEvents;
        }
    }

    /** Returns the serializer factory, or null when the CacheManager's format decides. */
    public Factory<Serializer> getSerializerFactory() {
        return serializerFactory;
    }

    /** Sets how keys and values become bytes; every JVM sharing the cache must use the same. */
    public MemringConfiguration<K, V> setSerializerFactory(Factory<Serializer> factory) {
        this.serializerFactory = Objects.requireNonNull(factory, "factory");
        return this;
    }

    /** Uses the {@link CompactSerializer}: no Java serialization, common value types only. */
    public MemringConfiguration<K, V> useCompactSerializer() {
        return setSerializerFactory(new FactoryBuilder.ClassFactory<>(CompactSerializer.class.getName()));
    }

    /** Returns the near cache's size for this cache, or null when the CacheManager's setting decides. */
    public Integer getNearCacheMaxEntries() {
        return nearCacheMaxEntries;
    }

    /**
     * Keeps up to {@code maxEntries} of this cache's entries in this JVM (0: no near cache, whatever
     * {@code memring.nearCache.maxEntries} says). Hits are answered without a round trip; the nodes
     * push invalidations (see the provider README).
     */
    public MemringConfiguration<K, V> setNearCacheMaxEntries(int maxEntries) {
        if (maxEntries < 0 || maxEntries > ProviderSettings.NEAR_CACHE_MAX_ENTRIES_LIMIT) {
            throw new IllegalArgumentException("near cache entries must be between 0 and " + ProviderSettings.NEAR_CACHE_MAX_ENTRIES_LIMIT);
        }
        this.nearCacheMaxEntries = maxEntries;
        return this;
    }

    /** Returns the near entries' time to live for this cache, or null when the CacheManager's setting decides. */
    public Long getNearCacheTtlMillis() {
        return nearCacheTtlMillis;
    }

    /** Drops a near entry this long after it was installed where nodes cannot push invalidations (not in mode PUSH: provider README). */
    public MemringConfiguration<K, V> setNearCacheTtlMillis(long ttlMillis) {
        if (ttlMillis < 1 || ttlMillis > ProviderSettings.NEAR_CACHE_TTL_LIMIT_MILLIS) {
            throw new IllegalArgumentException("near cache TTL must be between 1 and " + ProviderSettings.NEAR_CACHE_TTL_LIMIT_MILLIS + " ms");
        }
        this.nearCacheTtlMillis = ttlMillis;
        return this;
    }

    /**
     * Returns whether this cache's listeners also hear other JVMs' changes: null when the
     * CacheManager's {@code memring.events.remote} decides.
     */
    public Boolean getRemoteEvents() {
        return remoteEvents;
    }

    /**
     * Sets whether this cache's listeners also hear other JVMs' changes (delivered asynchronously, at
     * most once; only where the nodes push changes); null lets {@code memring.events.remote} decide.
     */
    public MemringConfiguration<K, V> setRemoteEvents(Boolean enabled) {
        this.remoteEvents = enabled;
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && o instanceof MemringConfiguration<?, ?> m && Objects.equals(serializerFactory, m.serializerFactory)
                && Objects.equals(nearCacheMaxEntries, m.nearCacheMaxEntries) && Objects.equals(nearCacheTtlMillis, m.nearCacheTtlMillis)
                && Objects.equals(remoteEvents, m.remoteEvents);
    }

    @Override
    public int hashCode() {
        return ((super.hashCode() * 31 + Objects.hashCode(serializerFactory)) * 31 + Objects.hash(nearCacheMaxEntries, nearCacheTtlMillis)) * 31
                + Objects.hashCode(remoteEvents);
    }
}
