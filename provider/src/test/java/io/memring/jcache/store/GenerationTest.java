package io.memring.jcache.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.client.GetResult;
import io.memring.client.MemcacheClient;
import io.memring.client.StoreResult;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The generation item's rules over a scripted client: untrusted bytes, lost and older items, bumps. */
class GenerationTest {
    private static final long NOW_MICROS = 1_700_000_000_000_000L;
    private final List<String> writes = new ArrayList<>();
    /** What the item holds on the "ring" (null: missing). */
    private byte[] item;

    private MemcacheClient client() {
        return (MemcacheClient) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {MemcacheClient.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "get" -> CompletableFuture.completedFuture(item == null ? null : new GetResult(item, 0, 7));
                    case "store", "cas" -> {
                        byte[] value = (byte[]) args[2 - (method.getName().equals("cas") ? 1 : 0)];
                        writes.add(method.getName() + " " + new String(value, StandardCharsets.US_ASCII));
                        item = value;
                        yield CompletableFuture.completedFuture(new StoreResult(StoreResult.Status.STORED, 8));
                    }
                    case "incr" -> {
                        if (item == null) {
                            yield CompletableFuture.completedFuture(null);
                        }
                        long next = Long.parseLong(new String(item, StandardCharsets.US_ASCII)) + 1;
                        item = Long.toString(next).getBytes(StandardCharsets.US_ASCII);
                        yield CompletableFuture.completedFuture(next);
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private Generation generation() {
        return new Generation(client(), "c", () -> NOW_MICROS);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void parse_acceptsOnlyShortDecimalNumbers() {
        assertThat(Generation.parse(ascii("123"))).isEqualTo(123);
        assertThat(Generation.parse(ascii("999999999999999999"))).isEqualTo(999_999_999_999_999_999L);
        assertThat(Generation.parse(ascii("9999999999999999999"))).isEqualTo(-1); // would overflow
        assertThat(Generation.parse(ascii(""))).isEqualTo(-1);
        assertThat(Generation.parse(ascii("12 "))).isEqualTo(-1);
        assertThat(Generation.parse(ascii("-5"))).isEqualTo(-1);
        assertThat(Generation.parse(new byte[] {'1', 0, '2'})).isEqualTo(-1);
        assertThat(Generation.parse(null)).isEqualTo(-1);
    }

    @Test
    void missingItem_isCreatedWithAdd_atTheCurrentTimeInMicros() {
        Generation g = generation();
        assertThat(g.refresh()).isEqualTo(NOW_MICROS);
        assertThat(writes).containsExactly("store " + NOW_MICROS);
    }

    @Test
    void itemLostAfterAHigherGenerationWasSeen_comesBackAboveIt() {
        Generation g = generation();
        item = ascii(Long.toString(NOW_MICROS + 500)); // clock of this JVM behind the item's
        assertThat(g.refresh()).isEqualTo(NOW_MICROS + 500);
        item = null; // evicted
        assertThat(g.refresh()).isEqualTo(NOW_MICROS + 501);
    }

    @Test
    void olderOrGarbledItem_isReplacedWithCas_aboveWhatWasSeen() {
        Generation g = generation();
        item = ascii(Long.toString(NOW_MICROS + 10));
        g.refresh();
        item = ascii(Long.toString(NOW_MICROS + 3)); // its node came back with an older value
        assertThat(g.refresh()).isEqualTo(NOW_MICROS + 11);
        assertThat(writes).containsExactly("cas " + (NOW_MICROS + 11));
        item = ascii("garbage");
        assertThat(g.refresh()).isEqualTo(NOW_MICROS + 12);
    }

    @Test
    void bump_movesForwardByOne_andCreatesAMissingItem() {
        Generation g = generation();
        item = ascii("400000000000000000"); // 18 digits
        long before = g.refresh();
        assertThat(g.bump()).isEqualTo(before + 1);
        item = null;
        assertThat(g.bump()).isGreaterThan(before + 1);
        assertThat(g.known()).isEqualTo(Generation.parse(item));
    }
    /** The near cache's String lookup relies on this: the plain prefix is the known generation's, and serverKey is prefix + key. */
    @Test
    void generationalStore_plainKeyPrefix_followsTheGeneration() {
        Generation g = generation();
        GenerationalStore store = new GenerationalStore(client(), "c", g);
        byte[] kb = ascii("1key");
        byte[] first = store.plainKeyPrefix();
        assertThat(concat(first, kb)).isEqualTo(store.serverKey(kb));
        item = ascii(Long.toString(NOW_MICROS + 1_000)); // another JVM cleared the cache
        g.refresh();
        assertThat(store.plainKeyPrefix()).isNotEqualTo(first);
        assertThat(concat(store.plainKeyPrefix(), kb)).isEqualTo(store.serverKey(kb));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
