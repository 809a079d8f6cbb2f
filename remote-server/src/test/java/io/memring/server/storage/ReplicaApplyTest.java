package io.memring.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Last-writer-wins replica applies: order- and repeat-independent, silent, and the clock follows. */
class ReplicaApplyTest {
    private final AtomicLong wall = new AtomicLong(HybridClock.EPOCH_MS + 10_000_000);
    private final FakeClock time = new FakeClock();

    private Storage storage(int nodeId) {
        return new Storage(StorageConfig.defaults().withMemoryLimit(8L << 20), time, new HybridClock(nodeId, wall::get));
    }

    /** One replicated state: a value, or a tombstone when {@code value} is null. */
    private record Op(String key, String value, long version) {
        ApplyResult applyTo(Storage s) {
            byte[] k = key.getBytes(StandardCharsets.US_ASCII);
            return value == null ? s.applyTombstone(k, version)
                    : s.applyReplica(k, value.getBytes(StandardCharsets.US_ASCII), 5, 0, version);
        }
    }

    @Test
    void anyOrderAndAnyRepeats_endInTheNewestStatePerKey() {
        Random random = new Random(42);
        HybridClock primary = new HybridClock(1, wall::get);
        List<Op> ops = new ArrayList<>();
        Map<String, Op> newest = new HashMap<>();
        for (int i = 0; i < 60; i++) {
            String key = "k" + random.nextInt(6);
            Op op = new Op(key, random.nextInt(4) == 0 ? null : "v" + i, primary.next());
            ops.add(op);
            newest.put(key, op); // versions rise with i
        }
        for (int round = 0; round < 200; round++) {
            List<Op> shuffled = new ArrayList<>(ops);
            for (int r = random.nextInt(20); r > 0; r--) {
                shuffled.add(ops.get(random.nextInt(ops.size()))); // repeats
            }
            Collections.shuffle(shuffled, random);
            Storage replica = storage(2);
            List<String> heard = new ArrayList<>();
            replica.setMutationListener(new MutationListener() {
                @Override
                public void stored(ItemView item) {
                    heard.add("stored");
                }

                @Override
                public void removed(ItemView item, Removal cause) {
                    heard.add(cause.name());
                }

                @Override
                public void flushed(long exptime) {
                    heard.add("flushed");
                }
            });
            shuffled.forEach(op -> op.applyTo(replica));
            for (Op expected : newest.values()) {
                assertThat(read(replica, expected.key)).as("round %d key %s", round, expected.key)
                        .isEqualTo(expected.value == null ? null : expected.value + "@" + expected.version);
            }
            assertThat(heard).as("replica applies are not client writes").isEmpty();
        }
    }

    @Test
    void applies_moveTheClockPastTheAppliedVersion() {
        Storage replica = storage(2);
        HybridClock ahead = new HybridClock(1, () -> wall.get() + 60_000);
        long peerVersion = ahead.next();
        assertThat(new Op("a", "x", peerVersion).applyTo(replica)).isEqualTo(ApplyResult.APPLIED);
        assertThat(HybridClockTest.set(replica, "b", "y")).isGreaterThan(peerVersion);
        long tomb = ahead.next() + (1 << 20);
        new Op("c", null, tomb).applyTo(replica);
        assertThat(replica.versions().next()).isGreaterThan(tomb);
    }

    @Test
    void sameVersionTwice_isSame_andOlderAfterNewerIsStale() {
        Storage replica = storage(2);
        assertThat(new Op("a", "new", 2000).applyTo(replica)).isEqualTo(ApplyResult.APPLIED);
        assertThat(new Op("a", "new", 2000).applyTo(replica)).isEqualTo(ApplyResult.SAME);
        assertThat(new Op("a", "old", 1000).applyTo(replica)).isEqualTo(ApplyResult.STALE);
        assertThat(new Op("a", null, 1500).applyTo(replica)).isEqualTo(ApplyResult.STALE);
        assertThat(read(replica, "a")).isEqualTo("new@2000");
    }

    @Test
    void aTombstone_refusesAnOlderSetWithinItsWindow_andIsForgottenAfter() {
        Storage replica = storage(2);
        assertThat(new Op("a", null, 2000).applyTo(replica)).isEqualTo(ApplyResult.APPLIED);
        assertThat(new Op("a", "old", 1000).applyTo(replica)).isEqualTo(ApplyResult.STALE);
        assertThat(replica.tombstones()).isEqualTo(1);
        time.advance(Tombstones.WINDOW_SECONDS + 1);
        // Documented window: past it, an older set arriving late is accepted again.
        assertThat(new Op("a", "old", 1000).applyTo(replica)).isEqualTo(ApplyResult.APPLIED);
        assertThat(replica.tombstones()).isZero();
    }

    @Test
    void flushWatermark_killsItemsAtOrBelowIt_andRefusesAppliesAtOrBelowIt() {
        Storage replica = storage(2);
        new Op("a", "x", 1000).applyTo(replica);
        new Op("b", "y", 3000).applyTo(replica);
        replica.applyFlush(2000, 0);
        assertThat(read(replica, "a")).isNull();
        assertThat(read(replica, "b")).isEqualTo("y@3000");
        assertThat(new Op("c", "z", 2000).applyTo(replica)).isEqualTo(ApplyResult.STALE);
        assertThat(new Op("c", "z", 2001).applyTo(replica)).isEqualTo(ApplyResult.APPLIED);
        assertThat(replica.versions().next()).isGreaterThan(2000);
    }

    @Test
    void unixExptime_isKeptAsTheSameAbsoluteTime() {
        Storage replica = storage(2);
        long unix = time.processStarted() + 500;
        replica.applyReplica("a".getBytes(), "x".getBytes(), 0, unix, 1000);
        int[] rel = new int[1];
        replica.peek("a".getBytes(), v -> rel[0] = v.exptime());
        assertThat(replica.toUnixExptime(rel[0])).isEqualTo(unix);
        replica.applyReplica("p".getBytes(), "x".getBytes(), 0, time.processStarted() - 5, 1001);
        assertThat(read(replica, "p")).as("already past").isNull();
    }

    private static String read(Storage s, String key) {
        String[] out = new String[1];
        s.peek(key.getBytes(StandardCharsets.US_ASCII), v -> {
            io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.buffer();
            v.copyValue(b);
            out[0] = b.toString(StandardCharsets.US_ASCII) + "@" + v.cas();
            b.release();
        });
        return out[0];
    }
}
