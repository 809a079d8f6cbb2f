package io.memring.jcache.configuration;

import io.memring.jcache.serialization.DefaultSerializer;
import io.memring.jcache.serialization.Serializer;
import java.util.Objects;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;

/**
 * A JCache configuration plus Memring's own per-cache settings: today the {@link Serializer} that
 * turns keys and values into bytes (default: {@link DefaultSerializer}). Pass it to
 * {@code createCache}; a plain {@code MutableConfiguration} gets the defaults.
 */
public class MemringConfiguration<K, V> extends MutableConfiguration<K, V> {
    private static final long serialVersionUID = 1L;

    private Factory<Serializer> serializerFactory = new FactoryBuilder.ClassFactory<>(DefaultSerializer.class.getName());

    public MemringConfiguration() {
    }

    /** Copies a JCache configuration, and Memring's settings too when it is a MemringConfiguration. */
    public MemringConfiguration(CompleteConfiguration<K, V> configuration) {
        super(configuration);
        if (configuration instanceof MemringConfiguration<K, V> m) {
            this.serializerFactory = m.serializerFactory;
        }
    }

    public Factory<Serializer> getSerializerFactory() {
        return serializerFactory;
    }

    /** Sets how keys and values become bytes; every JVM sharing the cache must use the same. */
    public MemringConfiguration<K, V> setSerializerFactory(Factory<Serializer> factory) {
        this.serializerFactory = Objects.requireNonNull(factory, "factory");
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && o instanceof MemringConfiguration<?, ?> m && serializerFactory.equals(m.serializerFactory);
    }

    @Override
    public int hashCode() {
        return super.hashCode() * 31 + serializerFactory.hashCode();
    }
}
