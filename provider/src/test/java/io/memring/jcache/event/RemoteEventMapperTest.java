package io.memring.jcache.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memring.jcache.serialization.ClassAllowList;
import io.memring.jcache.serialization.DefaultSerializer;
import io.memring.jcache.serialization.Serializer;
import io.memring.jcache.store.RingStore;
import io.memring.jcache.store.TestEnvelopes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.PriorityQueue;
import javax.cache.CacheException;
import javax.cache.event.EventType;
import org.junit.jupiter.api.Test;

/** What each kind of pushed change becomes, read with the cache's own namespace, envelope and serializer. */
class RemoteEventMapperTest {
    private static final long NOW = 1_800_000_000_000L;
    private static final int STRING = DefaultSerializer.STRING;

    private final RingStore store = new RingStore(null, "events cache"); // decode needs no connection
    private final Serializer serializer = new DefaultSerializer().forCache(ClassAllowList.forCache(String.class, String.class, ""));
    private final RemoteEventMapper<String, String> mapper = new RemoteEventMapper<>(store::decode,
            kb -> (String) serializer.deserialize(Arrays.copyOfRange(kb, 1, kb.length), kb[0] - '0', null),
            e -> (String) serializer.deserialize(e.value(), e.encoding(), null));

    /** The cache's key bytes for a String key: the encoding tag, then UTF-8. */
    private static byte[] keyBytes(String key) {
        byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[utf8.length + 1];
        out[0] = (byte) ('0' + STRING);
        System.arraycopy(utf8, 0, out, 1, utf8.length);
        return out;
    }

    private byte[] serverKey(String key) {
        return store.serverKey(keyBytes(key));
    }

    /** The envelope a Memring JVM stores for {@code value} under {@code key}. */
    private byte[] envelope(String key, String value, long expiry) {
        byte[] kb = keyBytes(key);
        boolean hashed = store.serverKey(kb).length != store.prefix().length + kb.length;
        return TestEnvelopes.wrap(value.getBytes(StandardCharsets.UTF_8), expiry, hashed ? kb : null);
    }

    /** A version the node made at {@code millis}. */
    private static long versionAt(long millis) {
        return (millis - RemoteEventMapper.VERSION_EPOCH_MS) << 22 | 7;
    }

    @Test
    void created_isCreatedWithTheNewValue_andNoOldValue() {
        RemoteEvent<String, String> e = mapper.created(serverKey("k"), STRING, versionAt(NOW), envelope("k", "v", 0));
        assertThat(e).isEqualTo(new RemoteEvent<>(EventType.CREATED, "k", "v", null, false));
    }

    @Test
    void updated_isUpdatedWithOldAndNewValues() {
        RemoteEvent<String, String> e = mapper.updated(serverKey("k"), STRING, STRING, versionAt(NOW), NOW,
                envelope("k", "old", 0), envelope("k", "new", 0));
        assertThat(e).isEqualTo(new RemoteEvent<>(EventType.UPDATED, "k", "new", "old", true));
    }

    @Test
    void updated_readsTheOldValueWithTheOldItemsEncoding() {
        RemoteEventMapper<Object, Object> untyped = new RemoteEventMapper<>(store::decode,
                kb -> serializer.deserialize(Arrays.copyOfRange(kb, 1, kb.length), kb[0] - '0', null),
                e -> serializer.deserialize(e.value(), e.encoding(), null));
        byte[] oldLong = TestEnvelopes.wrap(java.nio.ByteBuffer.allocate(8).putLong(42).array(), 0, null);
        RemoteEvent<Object, Object> e = untyped.updated(serverKey("k"), DefaultSerializer.LONG, STRING, versionAt(NOW), NOW,
                oldLong, envelope("k", "new", 0));
        assertThat(e).isEqualTo(new RemoteEvent<>(EventType.UPDATED, "k", "new", 42L, true));
    }

    @Test
    void updated_overAnEnvelopeExpiredAtTheWrite_isCreated() {
        RemoteEvent<String, String> e = mapper.updated(serverKey("k"), STRING, STRING, versionAt(NOW), NOW,
                envelope("k", "old", NOW - 1), envelope("k", "new", 0));
        assertThat(e).isEqualTo(new RemoteEvent<>(EventType.CREATED, "k", "new", null, false));
    }

    @Test
    void updated_overAnEnvelopeExpiringJustAfterTheWrite_isUpdated() {
        RemoteEvent<String, String> e = mapper.updated(serverKey("k"), STRING, STRING, versionAt(NOW), NOW,
                envelope("k", "old", NOW + 1), envelope("k", "new", 0));
        assertThat(e.type()).isEqualTo(EventType.UPDATED);
    }

    @Test
    void updated_overAForeignItem_isCreated() {
        RemoteEvent<String, String> e = mapper.updated(serverKey("k"), 0, STRING, versionAt(NOW), NOW,
                "another program's bytes".getBytes(StandardCharsets.US_ASCII), envelope("k", "new", 0));
        assertThat(e).isEqualTo(new RemoteEvent<>(EventType.CREATED, "k", "new", null, false));
    }

    @Test
    void updated_overAnEntryThisCacheCannotRead_isCreated() throws IOException {
        byte[] notAllowed = TestEnvelopes.wrap(javaSerialized(new PriorityQueue<String>()), 0, null);
        RemoteEvent<String, String> e = mapper.updated(serverKey("k"), DefaultSerializer.JAVA, STRING, versionAt(NOW), NOW,
                notAllowed, envelope("k", "new", 0));
        assertThat(e).isEqualTo(new RemoteEvent<>(EventType.CREATED, "k", "new", null, false));
    }

    @Test
    void updated_thatOnlyMovesTheExpiry_isAnAccessRewrite_noEvent() {
        assertThat(mapper.updated(serverKey("k"), STRING, STRING, versionAt(NOW), NOW,
                envelope("k", "v", NOW + 1000), envelope("k", "v", NOW + 5000))).isNull();
    }

    @Test
    void updated_toAnEqualValueWithTheSameExpiry_isAPut_updated() {
        RemoteEvent<String, String> e = mapper.updated(serverKey("k"), STRING, STRING, versionAt(NOW), NOW,
                envelope("k", "v", 0), envelope("k", "v", 0));
        assertThat(e).isEqualTo(new RemoteEvent<>(EventType.UPDATED, "k", "v", "v", true));
    }

    @Test
    void updated_toAForeignItem_isNoEvent() {
        assertThat(mapper.updated(serverKey("k"), STRING, 0, versionAt(NOW), NOW, envelope("k", "v", 0),
                "another program's bytes".getBytes(StandardCharsets.US_ASCII))).isNull();
    }

    @Test
    void deleted_isRemovedWithTheOldValue() {
        RemoteEvent<String, String> e = mapper.deleted(serverKey("k"), STRING, versionAt(NOW), NOW, envelope("k", "v", 0));
        assertThat(e).isEqualTo(new RemoteEvent<>(EventType.REMOVED, "k", "v", "v", true));
    }

    @Test
    void deleted_afterTheEnvelopeExpired_isExpired() {
        RemoteEvent<String, String> e = mapper.deleted(serverKey("k"), STRING, versionAt(NOW), NOW, envelope("k", "v", NOW - 10));
        assertThat(e).isEqualTo(new RemoteEvent<>(EventType.EXPIRED, "k", "v", "v", true));
    }

    @Test
    void deleted_foreignItem_orWithoutTheOldValue_isNoEvent() {
        assertThat(mapper.deleted(serverKey("k"), 0, versionAt(NOW), NOW, new byte[] {1, 2, 3})).isNull();
        assertThat(mapper.deleted(serverKey("k"), STRING, versionAt(NOW), NOW, null)).isNull();
    }

    @Test
    void expired_isExpiredWithTheOldValue() {
        RemoteEvent<String, String> e = mapper.expired(serverKey("k"), STRING, versionAt(NOW), envelope("k", "v", NOW - 1000));
        assertThat(e).isEqualTo(new RemoteEvent<>(EventType.EXPIRED, "k", "v", "v", true));
    }

    @Test
    void hashedKey_takesTheFullKeyFromTheEnvelope() {
        String longKey = "x".repeat(400);
        assertThat(new String(serverKey(longKey), StandardCharsets.US_ASCII)).contains(":#");
        RemoteEvent<String, String> e = mapper.created(serverKey(longKey), STRING, versionAt(NOW), envelope(longKey, "v", 0));
        assertThat(e).isEqualTo(new RemoteEvent<>(EventType.CREATED, longKey, "v", null, false));
    }

    @Test
    void hashedKey_whoseEnvelopeNamesAnotherKey_isNoEvent() {
        String longKey = "x".repeat(400);
        byte[] planted = TestEnvelopes.wrap("v".getBytes(StandardCharsets.UTF_8), 0, keyBytes("y".repeat(400)));
        assertThat(mapper.created(serverKey(longKey), STRING, versionAt(NOW), planted)).isNull();
        assertThat(mapper.deleted(serverKey(longKey), STRING, versionAt(NOW), NOW, planted)).isNull();
    }

    @Test
    void directKey_whoseEnvelopeCarriesAnotherKey_isNoEvent() {
        byte[] planted = TestEnvelopes.wrap("v".getBytes(StandardCharsets.UTF_8), 0, keyBytes("other"));
        assertThat(mapper.created(serverKey("k"), STRING, versionAt(NOW), planted)).isNull();
    }

    @Test
    void keyOutsideTheNamespace_isNoEvent() {
        byte[] otherCache = new RingStore(null, "events cache2").serverKey(keyBytes("k"));
        assertThat(mapper.created(otherCache, STRING, versionAt(NOW), envelope("k", "v", 0))).isNull();
        assertThat(mapper.created("jc:".getBytes(StandardCharsets.US_ASCII), STRING, versionAt(NOW), envelope("k", "v", 0))).isNull();
    }

    @Test
    void truncatedOrLyingEnvelopes_areNoEvent() {
        byte[] good = envelope("k", "v", 0);
        for (int n = 0; n < 13; n++) {
            assertThat(mapper.created(serverKey("k"), STRING, versionAt(NOW), Arrays.copyOf(good, n))).isNull();
        }
        byte[] lyingKeyLength = good.clone();
        lyingKeyLength[12] = 100; // claims a 100-byte key in a 14-byte item
        assertThat(mapper.created(serverKey("k"), STRING, versionAt(NOW), lyingKeyLength)).isNull();
        byte[] negativeKeyLength = good.clone();
        negativeKeyLength[9] = (byte) 0x80;
        assertThat(mapper.created(serverKey("k"), STRING, versionAt(NOW), negativeKeyLength)).isNull();
    }

    @Test
    void aValueOfAClassTheCacheDoesNotAccept_isACacheException_beforeAnyObjectOfItExists() throws IOException {
        byte[] notAllowed = TestEnvelopes.wrap(javaSerialized(new PriorityQueue<String>()), 0, null);
        assertThatThrownBy(() -> mapper.created(serverKey("k"), DefaultSerializer.JAVA, versionAt(NOW), notAllowed))
                .isInstanceOf(CacheException.class).hasMessageContaining("java.util.PriorityQueue");
    }

    @Test
    void writeTime_isTheVersionsTime_unlessImplausible() {
        assertThat(RemoteEventMapper.writeTime(versionAt(NOW - 300), NOW)).isEqualTo(NOW - 300);
        assertThat(RemoteEventMapper.writeTime(0, NOW)).isEqualTo(NOW);
        assertThat(RemoteEventMapper.writeTime(versionAt(NOW - 2 * 3_600_000L), NOW)).isEqualTo(NOW);
        assertThat(RemoteEventMapper.writeTime(Long.MAX_VALUE, NOW)).isEqualTo(NOW);
    }

    private static byte[] javaSerialized(Object o) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        return bytes.toByteArray();
    }
}
