package io.memring.server.storage;

import static io.memring.server.storage.ArithmeticTest.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.memring.server.storage.MutationListener.Removal;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every path that changes stored data reports through the one listener, with the new state. */
class MutationListenerTest {
    private final FakeClock clock = new FakeClock();
    private final Storage s = new Storage(StorageConfig.defaults().withShards(1), clock);
    private final List<String> events = new ArrayList<>();

    @BeforeEach
    void listen() {
        s.setMutationListener(new MutationListener() {
            @Override
            public void stored(ItemView item) {
                ByteBufHolder v = new ByteBufHolder();
                item.copyValue(v.buf);
                events.add("stored " + key(item) + "=" + v + " exp=" + item.exptime() + " cas=" + item.cas());
            }

            @Override
            public void removed(ItemView item, Removal cause) {
                events.add(cause + " " + key(item));
            }

            @Override
            public void flushed(long exptime) {
                events.add("flushed " + exptime);
            }
        });
    }

    private static final class ByteBufHolder {
        final io.netty.buffer.ByteBuf buf = Unpooled.buffer();

        @Override
        public String toString() {
            return buf.toString(StandardCharsets.US_ASCII);
        }
    }

    private static String key(ItemView item) {
        return new String(item.key(), StandardCharsets.US_ASCII);
    }

    private static byte[] k(String key) {
        return key.getBytes(StandardCharsets.US_ASCII);
    }

    private StoreStatus store(StoreMode mode, String key, String value, long cas) {
        StoreRequest r = new StoreRequest().reset();
        r.mode = mode;
        r.key = k(key);
        r.data = Unpooled.copiedBuffer(value, StandardCharsets.US_ASCII);
        r.dataLength = value.length();
        r.compareCas = cas;
        return s.store(r);
    }

    private String last() {
        return events.isEmpty() ? null : events.get(events.size() - 1);
    }

    private long lastCas() {
        String e = last();
        return Long.parseLong(e.substring(e.lastIndexOf('=') + 1));
    }

    @Test
    void everyStoreCommand_reportsTheNewState() {
        assertThat(store(StoreMode.SET, "a", "1", 0)).isEqualTo(StoreStatus.STORED);
        assertThat(last()).startsWith("stored a=1 ");
        store(StoreMode.ADD, "b", "2", 0);
        assertThat(last()).startsWith("stored b=2 ");
        store(StoreMode.REPLACE, "b", "3", 0);
        assertThat(last()).startsWith("stored b=3 ");
        store(StoreMode.APPEND, "b", "4", 0);
        assertThat(last()).startsWith("stored b=34 ");
        store(StoreMode.PREPEND, "b", "2", 0);
        assertThat(last()).startsWith("stored b=234 ");
        store(StoreMode.CAS, "b", "5", lastCas());
        assertThat(last()).startsWith("stored b=5 ");
        int before = events.size();
        store(StoreMode.ADD, "b", "x", 0); // refused: nothing changed, nothing reported
        store(StoreMode.CAS, "b", "x", 1);
        store(StoreMode.REPLACE, "missing", "x", 0);
        assertThat(events).hasSize(before);
    }

    @Test
    void deletesTouchesAndArithmetic_report() {
        set(s, "a", "9");
        assertThat(s.touch(k("a"), 100)).isTrue();
        assertThat(last()).startsWith("stored a=9 exp=100 ");
        s.get(k("a"), true, 200, item -> { });
        assertThat(last()).startsWith("stored a=9 exp=200 ");
        ArithmeticRequest r = new ArithmeticRequest().reset();
        r.key = k("a");
        s.arithmetic(r); // grows to two digits: a new item
        assertThat(last()).startsWith("stored a=10 ");
        r.reset();
        r.key = k("a");
        r.incr = false;
        s.arithmetic(r); // in place
        assertThat(last()).startsWith("stored a=9  ");
        r.reset();
        r.key = k("counter");
        r.vivify = true;
        r.initial = 5;
        s.arithmetic(r);
        assertThat(last()).startsWith("stored counter=5 ");
        assertThat(s.delete(k("a"), 0, true, false, 0)).isEqualTo(StoreStatus.DELETED); // meta invalidate
        assertThat(last()).startsWith("stored a=9  ");
        assertThat(s.delete(k("a"))).isEqualTo(StoreStatus.DELETED);
        assertThat(last()).isEqualTo("DELETED a");
    }

    @Test
    void metaGet_withTouchOrVivify_reports() {
        MetaGetRequest m = new MetaGetRequest().reset();
        m.key = k("v");
        m.vivify = true;
        m.vivifyExptime = 30;
        s.metaGet(m, item -> { });
        assertThat(last()).startsWith("stored v= exp=30 ");
        m.reset();
        m.key = k("v");
        m.touch = true;
        m.touchExptime = 60;
        s.metaGet(m, item -> { });
        assertThat(last()).startsWith("stored v= exp=60 ");
        int before = events.size();
        m.reset();
        m.key = k("v");
        s.metaGet(m, item -> { }); // a plain read is no mutation
        assertThat(events).hasSize(before);
    }

    @Test
    void flushExpiryEvictionAndFailedSets_report() {
        set(s, "old", "1");
        s.flushAll(0);
        assertThat(last()).isEqualTo("flushed 0");
        s.get(k("old"), false, 0, item -> { });
        assertThat(last()).isEqualTo("FLUSHED old");

        StoreRequest r = new StoreRequest().reset();
        r.key = k("short");
        r.exptime = clock.now() + 1;
        r.data = Unpooled.wrappedBuffer(new byte[] {'x'});
        r.dataLength = 1;
        s.store(r);
        clock.advance(1);
        s.get(k("short"), false, 0, item -> { });
        assertThat(last()).isEqualTo("EXPIRED short");

        set(s, "big", "x");
        assertThat(store(StoreMode.SET, "big", "y".repeat(2 * 1024 * 1024), 0)).isEqualTo(StoreStatus.TOO_LARGE);
        assertThat(last()).isEqualTo("DELETED big");

        Storage small = new Storage(StorageConfig.defaults().withMemoryLimit(1024 * 1024).withShards(1), clock);
        List<String> evicted = new ArrayList<>();
        small.setMutationListener(new MutationListener() {
            @Override
            public void stored(ItemView item) {
            }

            @Override
            public void removed(ItemView item, Removal cause) {
                evicted.add(cause + " " + key(item));
            }

            @Override
            public void flushed(long exptime) {
            }
        });
        for (int i = 0; i < 20; i++) {
            set(small, "k" + i, "v".repeat(100_000));
        }
        assertThat(evicted).isNotEmpty().allMatch(e -> e.startsWith("EVICTED k"));
        assertThat((long) evicted.size()).isEqualTo(small.stats().evictions);
    }
}
