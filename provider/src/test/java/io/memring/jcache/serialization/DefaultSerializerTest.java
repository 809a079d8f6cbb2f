package io.memring.jcache.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memring.jcache.serialization.HostileBytes.Gadget;
import java.io.File;
import java.io.Serializable;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.cache.CacheException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DefaultSerializerTest {
    private static final ClassLoader LOADER = DefaultSerializerTest.class.getClassLoader();
    private final Serializer untyped = new DefaultSerializer().forCache(ClassAllowList.forCache(Object.class, Object.class, null));

    /** A user's value type. */
    record Order(String id, BigDecimal total, LocalDate day, List<String> lines) implements Serializable {
    }

    @BeforeEach
    void resetGadget() {
        Gadget.RAN.set(0);
    }

    private static Object read(Serializer s, byte[] javaBytes) {
        return s.deserialize(javaBytes, DefaultSerializer.JAVA, LOADER);
    }

    @Test
    void deserialize_file_isRefusedNamingTheClass() {
        assertThatThrownBy(() -> read(untyped, HostileBytes.java(new File("/etc/passwd"))))
                .isInstanceOf(CacheException.class)
                .hasMessageContaining("java.io.File")
                .hasMessageContaining(ClassAllowList.SETTING);
    }

    @Test
    void deserialize_hashMapHoldingAGadget_isRefusedBeforeTheGadgetRuns() {
        Map<String, Object> map = new HashMap<>();
        map.put("x", new Gadget("rm -rf /"));

        assertThatThrownBy(() -> read(untyped, HostileBytes.java(map)))
                .isInstanceOf(CacheException.class)
                .hasMessageContaining(Gadget.class.getName());
        assertThat(Gadget.RAN).hasValue(0);
    }

    @Test
    void deserialize_deeplyNestedArrays_isRefused() {
        assertThatThrownBy(() -> read(untyped, HostileBytes.nestedArrays(300)))
                .isInstanceOf(CacheException.class)
                .hasMessageContaining("deeper than");
    }

    @Test
    void deserialize_sharedNestedSets_isRefusedBeforeHashingExponentially() {
        // 1.5 KB; read with a depth limit of 64 it took 10 s of CPU (each further level doubles that)
        byte[] serialDos = HostileBytes.sharedNestedSets(26);

        assertThatThrownBy(() -> read(untyped, serialDos))
                .isInstanceOf(CacheException.class)
                .hasMessageContaining("deeper than");
    }

    @Test
    void deserialize_hugeArrayLengthHeader_isRefusedWithoutAllocating() {
        assertThatThrownBy(() -> read(untyped, HostileBytes.hugeArrayHeader()))
                .isInstanceOf(CacheException.class)
                .hasMessageContaining("array of " + Integer.MAX_VALUE);
    }

    @Test
    void deserialize_listClaimingHugeSize_isRefused() {
        assertThatThrownBy(() -> read(untyped, HostileBytes.hugeListSize()))
                .isInstanceOf(CacheException.class)
                .hasMessageContaining("array of");
    }

    @Test
    void deserialize_truncatedStream_isACacheException() {
        byte[] whole = HostileBytes.java(new ArrayList<>(List.of("a", "b", "c")));
        byte[] half = java.util.Arrays.copyOf(whole, whole.length / 2);

        assertThatThrownBy(() -> read(untyped, half)).isInstanceOf(CacheException.class);
    }

    @Test
    void deserialize_jdkValueTypes_areReadByAnUntypedCache() {
        Map<String, Object> value = new TreeMap<>();
        value.put("list", new ArrayList<>(List.of(1L, "two", new BigDecimal("3.5"))));
        value.put("ids", List.of(UUID.randomUUID()));
        value.put("when", java.time.ZonedDateTime.now());
        value.put("set", java.util.Set.of(java.time.DayOfWeek.MONDAY));
        value.put("unmodifiable", java.util.Collections.unmodifiableMap(new HashMap<>(Map.of("k", 1))));
        value.put("array", new int[] {1, 2});

        Object back = read(untyped, HostileBytes.java(value));

        assertThat(back).isInstanceOf(TreeMap.class);
        assertThat(((Map<?, ?>) back).keySet()).isEqualTo(value.keySet());
    }

    @Test
    void deserialize_userTypeOfAnUntypedCache_isRefusedUntilListed() {
        Order order = new Order("o1", BigDecimal.TEN, LocalDate.of(2026, 1, 2), List.of("x"));
        byte[] bytes = HostileBytes.java(order);

        assertThatThrownBy(() -> read(untyped, bytes)).hasMessageContaining(Order.class.getName());

        Serializer listed = new DefaultSerializer().forCache(ClassAllowList.forCache(Object.class, Object.class,
                "io.memring.jcache.serialization.*"));
        assertThat(read(listed, bytes)).isEqualTo(order);
    }

    @Test
    void deserialize_configuredValueType_isAllowed_butNotOtherClasses() {
        Serializer typed = new DefaultSerializer().forCache(ClassAllowList.forCache(String.class, Order.class, null));
        Order order = new Order("o1", BigDecimal.ONE, LocalDate.of(2026, 1, 2), List.of("x"));

        assertThat(read(typed, HostileBytes.java(order))).isEqualTo(order);
        assertThatThrownBy(() -> read(typed, HostileBytes.java(new Gadget("x")))).hasMessageContaining("Gadget");
        assertThat(Gadget.RAN).hasValue(0);
    }

    @Test
    void noArgSerializer_readsJdkValueTypesOnly() {
        Serializer bare = new DefaultSerializer();

        assertThat(read(bare, HostileBytes.java(new ArrayList<>(List.of("a"))))).isEqualTo(List.of("a"));
        assertThatThrownBy(() -> read(bare, HostileBytes.java(new File("x")))).hasMessageContaining("java.io.File");
    }

    @Test
    void deserialize_fastPathsWithWrongLengths_areCacheExceptions() {
        Serializer s = new DefaultSerializer();
        assertThatThrownBy(() -> s.deserialize(new byte[3], DefaultSerializer.LONG, LOADER)).isInstanceOf(CacheException.class);
        assertThatThrownBy(() -> s.deserialize(new byte[0], DefaultSerializer.BOOLEAN, LOADER)).isInstanceOf(CacheException.class);
        assertThatThrownBy(() -> s.deserialize(new byte[5], DefaultSerializer.INTEGER, LOADER)).isInstanceOf(CacheException.class);
        assertThatThrownBy(() -> s.deserialize(new byte[1], 999, LOADER)).hasMessageContaining("unknown value encoding 999");
    }

    @Test
    void serialize_fastPathsAreUnchanged() {
        Serializer s = new DefaultSerializer();
        assertThat(s.serialize("x").encoding()).isEqualTo(DefaultSerializer.STRING);
        assertThat(s.serialize(1L).encoding()).isEqualTo(DefaultSerializer.LONG);
        assertThat(s.serialize(1).encoding()).isEqualTo(DefaultSerializer.INTEGER);
        assertThat(s.serialize(true).encoding()).isEqualTo(DefaultSerializer.BOOLEAN);
        assertThat(s.serialize(new byte[1]).encoding()).isEqualTo(DefaultSerializer.BYTES);
        assertThat(s.serialize(UUID.randomUUID()).encoding()).isEqualTo(DefaultSerializer.JAVA);
    }
}
