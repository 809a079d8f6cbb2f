package io.memring.jcache.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import javax.cache.CacheException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CompactSerializerTest {
    private static final ClassLoader LOADER = CompactSerializerTest.class.getClassLoader();
    private final Serializer compact = new CompactSerializer();

    static Stream<Object> values() {
        return Stream.of("héllo", "", new byte[] {0, -1, 7}, 42L, -7, true, (short) 3, (byte) -2, 'λ', 1.5f, -2.25d,
                UUID.fromString("0f2d2c1e-5b9a-4d3c-8e7f-112233445566"), new BigInteger("-123456789012345678901234567890"),
                new BigDecimal("-3.14159"), Instant.ofEpochSecond(1_700_000_000L, 123), Duration.ofMillis(-1500),
                LocalDate.of(2026, 11, 28), LocalTime.of(9, 45, 1, 5), LocalDateTime.of(2026, 11, 28, 9, 45),
                OffsetDateTime.of(2026, 11, 28, 9, 45, 0, 0, ZoneOffset.ofHours(-5)),
                ZonedDateTime.of(2026, 11, 1, 1, 30, 0, 0, ZoneId.of("America/New_York")).withLaterOffsetAtOverlap(),
                List.of("a", 1L, List.of(UUID.randomUUID())), Arrays.asList("x", null),
                new LinkedHashSet<>(List.of(3, 1, 2)), Map.of("k", List.of(1, 2), "m", Map.of(1, "one")));
    }

    @ParameterizedTest
    @MethodSource("values")
    void roundTrip_givesAnEqualValue(Object value) {
        Serializer.Serialized s = compact.serialize(value);

        Object back = compact.deserialize(s.bytes(), s.encoding(), LOADER);

        if (value instanceof byte[] b) {
            assertThat((byte[]) back).isEqualTo(b);
        } else {
            assertThat(back).isEqualTo(value);
        }
        assertThat(s.encoding()).isNotEqualTo(DefaultSerializer.JAVA);
    }

    @Test
    void equalSetsAndMaps_giveEqualBytes_whateverTheirIterationOrder() {
        Map<String, Integer> a = new HashMap<>();
        Map<String, Integer> b = new TreeMap<>(java.util.Comparator.reverseOrder());
        for (int i = 0; i < 50; i++) {
            a.put("k" + i, i);
            b.put("k" + i, i);
        }
        assertThat(compact.serialize(a).bytes()).isEqualTo(compact.serialize(b).bytes());
        assertThat(compact.serialize(new LinkedHashSet<>(List.of(1, 2, 3))).bytes())
                .isEqualTo(compact.serialize(new LinkedHashSet<>(List.of(3, 2, 1))).bytes());
    }

    @Test
    void fastPaths_areTheDefaultSerializersEncodings() {
        Serializer java = new DefaultSerializer();
        for (Object v : new Object[] {"s", 1L, 2, false}) {
            assertThat(compact.serialize(v).bytes()).isEqualTo(java.serialize(v).bytes());
            assertThat(compact.serialize(v).encoding()).isEqualTo(java.serialize(v).encoding());
        }
    }

    @Test
    void serialize_otherType_isACacheExceptionNamingIt() {
        assertThatThrownBy(() -> compact.serialize(new java.io.File("x")))
                .isInstanceOf(CacheException.class)
                .hasMessageContaining("java.io.File");
        assertThatThrownBy(() -> compact.serialize(List.of(new Object())))
                .isInstanceOf(CacheException.class)
                .hasMessageContaining("java.lang.Object");
    }

    @Test
    void deserialize_javaSerializedBytes_isRefused() {
        byte[] gadget = HostileBytes.java(new HostileBytes.Gadget("x"));
        HostileBytes.Gadget.RAN.set(0);

        assertThatThrownBy(() -> compact.deserialize(gadget, DefaultSerializer.JAVA, LOADER))
                .isInstanceOf(CacheException.class)
                .hasMessageContaining("Java-serialized");
        assertThat(HostileBytes.Gadget.RAN).hasValue(0);
    }

    @Test
    void deserialize_collectionClaimingMoreElementsThanItsBytes_isRefused() {
        byte[] claim = ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array();

        for (int tag : new int[] {CompactCodec.LIST, CompactCodec.SET, CompactCodec.MAP}) {
            assertThatThrownBy(() -> compact.deserialize(claim, tag, LOADER))
                    .isInstanceOf(CacheException.class)
                    .hasMessageContaining(String.valueOf(Integer.MAX_VALUE));
        }
    }

    @Test
    void deserialize_deeplyNestedLists_isRefused() {
        byte[] inner = ByteBuffer.allocate(4).putInt(0).array();
        for (int i = 0; i < 100; i++) {
            inner = ByteBuffer.allocate(9 + inner.length).putInt(1).put((byte) CompactCodec.LIST).putInt(inner.length).put(inner).array();
        }
        byte[] deep = inner;

        assertThatThrownBy(() -> compact.deserialize(deep, CompactCodec.LIST, LOADER))
                .isInstanceOf(CacheException.class)
                .hasMessageContaining("deeper than");
    }

    @Test
    void deserialize_everyTruncationOfEveryValue_isACacheException_orAValue() {
        for (Object v : values().toList()) {
            Serializer.Serialized s = compact.serialize(v);
            for (int cut = 0; cut < s.bytes().length; cut++) {
                byte[] truncated = Arrays.copyOf(s.bytes(), cut);
                try {
                    compact.deserialize(truncated, s.encoding(), LOADER); // String, byte[], BigInteger: any length is a value
                } catch (CacheException expected) {
                    // the only failure allowed
                }
            }
        }
    }

    @Test
    void deserialize_randomGarbage_underEveryTag_isACacheException_orAValue() {
        Random random = new Random(20261128);
        List<Throwable> others = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            byte[] garbage = new byte[random.nextInt(64)];
            random.nextBytes(garbage);
            int tag = random.nextInt(30);
            try {
                compact.deserialize(garbage, tag, LOADER);
            } catch (CacheException expected) {
                // fine
            } catch (RuntimeException e) {
                others.add(e);
            }
        }
        assertThat(others).isEmpty();
    }

    @Test
    void format_parsesTheSetting_andRefusesOthersNamingIt() {
        assertThat(SerializationFormat.parse(null)).isEqualTo(SerializationFormat.JAVA);
        assertThat(SerializationFormat.parse(" Compact ")).isEqualTo(SerializationFormat.COMPACT);
        assertThatThrownBy(() -> SerializationFormat.parse("kryo")).hasMessageContaining(SerializationFormat.SETTING);
        assertThat(SerializationFormat.COMPACT.serializerFor(null, ClassAllowList.jdkValueTypes())).isInstanceOf(CompactSerializer.class);
    }

    @Test
    void fixedLengthTypes_withWrongLengths_areRefused() {
        for (int tag : new int[] {CompactCodec.UUID_TAG, CompactCodec.INSTANT, CompactCodec.LOCAL_DATE, CompactCodec.DOUBLE}) {
            assertThatThrownBy(() -> compact.deserialize(new byte[3], tag, LOADER)).isInstanceOf(CacheException.class);
        }
        assertThatThrownBy(() -> compact.deserialize(new byte[0], CompactCodec.BIG_INTEGER, LOADER))
                .isInstanceOf(CacheException.class);
    }
}
