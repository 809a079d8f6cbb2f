package io.memring.jcache.serialization;

import java.util.Locale;
import java.util.function.Supplier;
import javax.cache.CacheException;
import javax.cache.configuration.Factory;

/**
 * The serializer a cache gets when its configuration names none: the setting {@value #SETTING}.
 * {@code java} (the default): {@link DefaultSerializer}; {@code compact}: {@link CompactSerializer},
 * no Java serialization at all.
 */
public enum SerializationFormat {
    JAVA(DefaultSerializer::new),
    COMPACT(CompactSerializer::new);

    /** The setting that chooses the format for caches whose configuration names no serializer. */
    public static final String SETTING = "memring.serialization.format";

    private final Supplier<Serializer> maker;

    SerializationFormat(Supplier<Serializer> maker) {
        this.maker = maker;
    }

    /**
     * Returns the format a setting's value names (case-insensitive); null or blank is {@link #JAVA}.
     *
     * @throws CacheException naming the setting if the value is not a format
     */
    public static SerializationFormat parse(String value) {
        if (value == null || value.isBlank()) {
            return JAVA;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CacheException(SETTING + " must be java or compact, not '" + value + "'");
        }
    }

    /**
     * Returns one cache's serializer: the configured factory's, or this format's when the configuration
     * names none, bound to the cache's allow list ({@link Serializer#forCache}).
     */
    public Serializer serializerFor(Factory<Serializer> configured, ClassAllowList allowed) {
        Serializer s = configured == null ? maker.get() : configured.create();
        if (s == null) {
            throw new CacheException("the configured serializer factory returned null");
        }
        return s.forCache(allowed);
    }
}
