package io.memring.jcache.serialization;

/**
 * A serializer with no Java serialization at all, for caches whose keys and values are common value
 * types: String, the boxed primitives, byte[], UUID, BigInteger, BigDecimal, Instant, Duration,
 * LocalDate, LocalTime, LocalDateTime, OffsetDateTime, ZonedDateTime, and lists, sets and maps of
 * these (nested up to {@value CompactCodec#MAX_DEPTH} levels). Writing any other type is a
 * {@link javax.cache.CacheException}; so is reading a Java-serialized value, so bytes planted on a
 * node can never reach an {@code ObjectInputStream} through this cache.
 *
 * <p>Lists read back as {@code ArrayList}, sets as {@code LinkedHashSet} and maps as
 * {@code LinkedHashMap} (equal to what was written, not necessarily the same class). String, byte[],
 * Long, Integer and Boolean are encoded as {@link DefaultSerializer} encodes them; other types differ
 * (the default serializer writes them with Java serialization), so every JVM sharing a cache must
 * choose the same serializer.
 */
public final class CompactSerializer implements Serializer {

    @Override
    public Serialized serialize(Object o) {
        Serialized s = CompactCodec.encode(o);
        if (s == null) {
            throw CompactCodec.unsupported(o);
        }
        return s;
    }

    @Override
    public Object deserialize(byte[] bytes, int encoding, ClassLoader classLoader) {
        return CompactCodec.decode(bytes, encoding);
    }
}
