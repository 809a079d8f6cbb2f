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
 * A JCache configuration plus Memring's own per-cache settings: today the {@link Serializer} that
 * turns keys and values into bytes. Unset, a cache gets the CacheManager's
 * {@code memring.serialization.format}: {@link DefaultSerializer} ({@code java}, the default) or
 * {@link CompactSerializer} ({@code compact}). Pass it to {@code createCache}; a plain
 * {@code MutableConfiguration} gets the defaults.
 */
public class MemringConfiguration<K, V> extends MutableConfiguration<K, V> {
    private static final long serialVersionUID = 1L;

    private Factory<Serializer> serializerFactory;
    private Boolean remoteEvents;

    public MemringConfiguration() {
    }

    /** Copies a JCache configuration, and Memring's settings too when it is a MemringConfiguration. */
    public MemringConfiguration(CompleteConfiguration<K, V> configuration) {
        super(configuration);
        if (configuration instanceof MemringConfiguration<K, V> m) {
            this.serializerFactory = m.serializerFactory;
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
                && Objects.equals(remoteEvents, m.remoteEvents);
    }

    @Override
    public int hashCode() {
        return (super.hashCode() * 31 + Objects.hashCode(serializerFactory)) * 31 + Objects.hashCode(remoteEvents);
    }
}
