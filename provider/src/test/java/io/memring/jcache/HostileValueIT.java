package io.memring.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memring.client.MemcacheClient;
import io.memring.jcache.configuration.MemringConfiguration;
import io.memring.jcache.serialization.HostileBytes;
import io.memring.jcache.serialization.HostileBytes.Gadget;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Bytes planted on real nodes under a cache's keys by someone who can write to a node: gadget-like
 * Java streams, values of the wrong class, truncated envelopes, garbage, foreign items. Each read
 * gives a CacheException naming what is wrong, or (for items that are not Memring entries at all) no
 * mapping; no refused class is ever instantiated; and the key stays writable.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileValueIT {
    private static final int JAVA = 0;
    private static final int STRING = 1;
    private static final int LONG = 3;

    private Cluster cluster;
    private CacheManager manager;
    private int counter;

    @BeforeAll
    void start() throws Exception {
        cluster = newCluster();
        manager = cluster.newManager();
    }

    /** The nodes the bytes are planted on (stock memcached in {@link HostileValueOnStockMemcachedIT}). */
    Cluster newCluster() throws Exception {
        return Cluster.memring(2);
    }

    @AfterAll
    void stop() {
        cluster.stop();
    }

    @BeforeEach
    void resetGadget() {
        Gadget.RAN.set(0);
    }

    private <K, V> Cache<K, V> cache(Class<K> k, Class<V> v) {
        return manager.createCache("hostile-" + (++counter), new MutableConfiguration<K, V>().setTypes(k, v));
    }

    private Cache<Object, Object> untyped() {
        return manager.createCache("hostile-" + (++counter), new MutableConfiguration<>());
    }

    @Test
    void serializedFile_underAStringCache_isACacheExceptionNamingTheClass() throws Exception {
        Cache<String, String> cache = cache(String.class, String.class);
        RawItems.plant(cache, "k", RawItems.envelope(HostileBytes.java(new File("/etc/passwd"))), JAVA);

        // The scan first: stock memcached's crawler skips an item a connection still holds, as the
        // reply to a get just did, so a scan right after the gets could miss it there.
        assertThatThrownBy(() -> cache.iterator().next()).isInstanceOf(CacheException.class).hasMessageContaining("java.io.File");
        assertThatThrownBy(() -> cache.get("k")).isInstanceOf(CacheException.class).hasMessageContaining("java.io.File");
        assertThatThrownBy(() -> cache.getAll(Set.of("k"))).isInstanceOf(CacheException.class).hasMessageContaining("java.io.File");
        assertThatThrownBy(() -> cache.getAndPut("k", "v")).isInstanceOf(CacheException.class);
    }

    @Test
    void serializedFile_underAnUntypedCache_isRefusedToo() throws Exception {
        Cache<Object, Object> cache = untyped();
        RawItems.plant(cache, "k", RawItems.envelope(HostileBytes.java(new File("/etc/passwd"))), JAVA);

        assertThatThrownBy(() -> cache.get("k")).isInstanceOf(CacheException.class).hasMessageContaining("java.io.File");
    }

    @Test
    void hashMapHoldingAGadget_isRefused_andTheGadgetNeverRuns() throws Exception {
        Cache<Object, Object> cache = untyped();
        Map<String, Object> map = new HashMap<>();
        map.put("payload", new Gadget("touch /tmp/pwned"));
        RawItems.plant(cache, "k", RawItems.envelope(HostileBytes.java(map)), JAVA);

        assertThatThrownBy(() -> cache.get("k")).isInstanceOf(CacheException.class).hasMessageContaining(Gadget.class.getName());
        assertThat(Gadget.RAN).hasValue(0);
    }

    @Test
    void deeplyNestedArrays_andHugeLengthHeaders_areRefused() throws Exception {
        Cache<Object, Object> cache = untyped();
        RawItems.plant(cache, "deep", RawItems.envelope(HostileBytes.nestedArrays(300)), JAVA);
        RawItems.plant(cache, "huge", RawItems.envelope(HostileBytes.hugeArrayHeader()), JAVA);
        RawItems.plant(cache, "list", RawItems.envelope(HostileBytes.hugeListSize()), JAVA);

        assertThatThrownBy(() -> cache.get("deep")).isInstanceOf(CacheException.class).hasMessageContaining("deeper than");
        assertThatThrownBy(() -> cache.get("huge")).isInstanceOf(CacheException.class).hasMessageContaining("array of");
        assertThatThrownBy(() -> cache.get("list")).isInstanceOf(CacheException.class).hasMessageContaining("array of");
    }

    @Test
    void valueOfAnotherType_isACacheExceptionNamingBothTypes() throws Exception {
        Cache<String, String> cache = cache(String.class, String.class);
        RawItems.plant(cache, "long", RawItems.envelope(ByteBuffer.allocate(8).putLong(7).array()), LONG);
        RawItems.plant(cache, "list", RawItems.envelope(HostileBytes.java(new ArrayList<>(List.of("a")))), JAVA);

        assertThatThrownBy(() -> cache.get("long")).isInstanceOf(CacheException.class)
                .hasMessageContaining("java.lang.Long").hasMessageContaining("java.lang.String");
        assertThatThrownBy(() -> cache.get("list")).isInstanceOf(CacheException.class)
                .hasMessageContaining("java.util.ArrayList");
    }

    @Test
    void malformedPayloads_inAValidEnvelope_areCacheExceptions() throws Exception {
        Cache<Object, Object> cache = untyped();
        byte[] stream = HostileBytes.java(new ArrayList<>(List.of("a", "b", "c")));
        RawItems.plant(cache, "cut", RawItems.envelope(Arrays.copyOf(stream, stream.length / 2)), JAVA);
        RawItems.plant(cache, "short", RawItems.envelope(new byte[3]), LONG);
        RawItems.plant(cache, "tag", RawItems.envelope(new byte[3]), 999);

        assertThatThrownBy(() -> cache.get("cut")).isInstanceOf(CacheException.class);
        assertThatThrownBy(() -> cache.get("short")).isInstanceOf(CacheException.class).hasMessageContaining("Long");
        assertThatThrownBy(() -> cache.get("tag")).isInstanceOf(CacheException.class).hasMessageContaining("999");
    }

    @Test
    void truncatedEnvelopes_andForeignItems_areNoMapping() throws Exception {
        Cache<String, String> cache = cache(String.class, String.class);
        byte[] envelope = RawItems.envelope("value".getBytes(StandardCharsets.UTF_8));
        for (int cut = 0; cut < 13; cut++) { // every cut inside the 13-byte header
            RawItems.plant(cache, "cut" + cut, Arrays.copyOf(envelope, cut), STRING);
        }
        RawItems.plant(cache, "foreign", "plain memcached value".getBytes(StandardCharsets.US_ASCII), STRING);

        for (int cut = 0; cut < 13; cut++) {
            assertThat(cache.get("cut" + cut)).as("cut at %d", cut).isNull();
        }
        assertThat(cache.get("foreign")).isNull();
        assertThat(cache.containsKey("foreign")).isFalse();
    }

    @Test
    void randomGarbage_inAndOutOfEnvelopes_underEveryEncoding_isACacheException_orNoMapping() throws Exception {
        Cache<Object, Object> cache = untyped();
        Random random = new Random(11_28);
        List<String> surprises = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            byte[] garbage = new byte[1 + random.nextInt(200)];
            random.nextBytes(garbage);
            byte[] stored = random.nextBoolean() ? RawItems.envelope(garbage) : garbage;
            int flags = random.nextInt(26);
            RawItems.plant(cache, "g", stored, flags);
            try {
                Object v = cache.get("g");
                // garbage can be a valid String, byte[], number...: a value, but never of an unexpected class
                if (v != null && !(v.getClass().getName().startsWith("java.") || v instanceof byte[])) {
                    surprises.add(v.getClass().getName());
                }
            } catch (CacheException expected) {
                // the only failure allowed
            } catch (RuntimeException e) {
                surprises.add(e.toString());
            }
        }
        assertThat(surprises).isEmpty();
        assertThat(Gadget.RAN).hasValue(0);
    }

    @Test
    void hostileValue_neverMakesTheKeyUnwritable() throws Exception {
        Cache<String, String> cache = manager.createCache("hostile-" + (++counter), new MutableConfiguration<String, String>()
                .setTypes(String.class, String.class)
                .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.ONE_HOUR))); // put reads the old entry
        RawItems.plant(cache, "a", RawItems.envelope(HostileBytes.java(new File("/"))), JAVA);
        RawItems.plant(cache, "b", RawItems.envelope(HostileBytes.java(new File("/"))), JAVA);

        cache.put("a", "mine");
        assertThat(cache.get("a")).isEqualTo("mine");

        assertThat(cache.remove("b")).isFalse(); // no readable mapping was there
        assertThat(RawItems.read(cache, "b")).isNull();
    }

    @Test
    void hostileKey_listedByAScan_isACacheExceptionNamingTheClass() throws Exception {
        Cache<Object, Object> cache = untyped();
        byte[] keyBytes = HostileBytes.java(new File("/"));
        byte[] serverKey = ByteBuffer.allocate(RawItems.serverKey(cache, "").length - 1 + 1 + keyBytes.length)
                .put(Arrays.copyOf(RawItems.serverKey(cache, ""), RawItems.serverKey(cache, "").length - 1))
                .put((byte) '0').put(keyBytes).array();
        cache.unwrap(MemcacheClient.class).set(serverKey, RawItems.envelope("v".getBytes(StandardCharsets.UTF_8)), STRING, 0)
                .get(5, TimeUnit.SECONDS);

        assertThatThrownBy(() -> cache.iterator().next()).isInstanceOf(CacheException.class).hasMessageContaining("java.io.File");
    }

    @Test
    void compactSerializerCache_refusesJavaSerializedValues() throws Exception {
        Cache<String, Object> cache = manager.createCache("hostile-" + (++counter),
                new MemringConfiguration<String, Object>().useCompactSerializer());
        RawItems.plant(cache, "k", RawItems.envelope(HostileBytes.java(new ArrayList<>(List.of("a")))), JAVA);

        assertThatThrownBy(() -> cache.get("k")).isInstanceOf(CacheException.class).hasMessageContaining("Java-serialized");

        cache.put("k", List.of("a", 1L));
        assertThat(cache.get("k")).isEqualTo(List.of("a", 1L));
    }

    @Test
    void allowSetting_letsTheUsersClassesThrough() throws Exception {
        CacheManager allowing = cluster.newManager("memring.serialization.allow", "io.memring.jcache.serialization.HostileBytes*");
        Cache<Object, Object> cache = allowing.createCache("hostile-" + (++counter), new MutableConfiguration<>());
        cache.put("k", new Gadget("harmless"));

        assertThat(cache.get("k")).isInstanceOf(Gadget.class);
        assertThat(Gadget.RAN).hasValue(1);
        allowing.close();
    }

    @Test
    void malformedAllowSetting_failsWhenTheManagerIsMade() {
        assertThatThrownBy(() -> cluster.newManager("memring.serialization.allow", "com.acme.*,!java.io.File"))
                .isInstanceOf(CacheException.class).hasMessageContaining("memring.serialization.allow");
        assertThatThrownBy(() -> cluster.newManager("memring.serialization.format", "kryo"))
                .isInstanceOf(CacheException.class).hasMessageContaining("memring.serialization.format");
    }
}
