package io.memring.jcache.near;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import io.memring.jcache.store.StoredEntry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.CacheException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The reservation rule, with each interleaving forced by latches ({@link GatedStore}): a result is
 * installed only if nothing happened to its key between the reservation and the install.
 */
class NearCacheStoreTest {
    private static final AtomicInteger RINGS = new AtomicInteger();
    private static final long TTL = 5_000;

    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;
    private final GatedStore remote = new GatedStore();
    private final FakeSource source = new FakeSource("ring-" + RINGS.incrementAndGet());
    private final NearCacheStore near = NearCacheStore.open(remote, "c", source, 100, TTL, ticker);

    @AfterEach
    void close() {
        near.close();
    }

    private static byte[] k(String s) {
        return s.getBytes(UTF_8);
    }

    private static String text(StoredEntry e) {
        return e == null ? null : new String(e.value(), UTF_8);
    }

    private void remoteWrite(String key, String value) {
        remote.store.overwrite(k(key), value.getBytes(UTF_8), 1, 0, 0); // another client: no near cache involved
    }

    private static <T> CompletableFuture<T> async(java.util.function.Supplier<T> s) {
        return CompletableFuture.supplyAsync(s);
    }

    @Test
    void read_miss_installsAndNextReadIsANearHit() {
        remoteWrite("k", "v1");
        assertThat(text(near.read(k("k")))).isEqualTo("v1");
        assertThat(text(near.read(k("k")))).isEqualTo("v1");
        assertThat(remote.store.calls("read")).isEqualTo(1);
        assertThat(near.stats().getNearHits()).isEqualTo(1);
        assertThat(near.stats().getNearMisses()).isEqualTo(1);
        assertThat(near.pendingReservations()).isZero();
    }

    @Test
    void read_invalidationArrivesWhileInFlight_installsNothing() throws Exception {
        remoteWrite("k", "v1");
        GatedStore.Gate gate = remote.holdNextRead();
        CompletableFuture<StoredEntry> reader = async(() -> near.read(k("k")));
        gate.awaitReached(); // the node answered v1; the answer is on its way
        remoteWrite("k", "v2");
        source.invalidate(k("k")); // the push for v2 overtakes the answer
        gate.open();
        assertThat(text(reader.get(10, TimeUnit.SECONDS))).isEqualTo("v1"); // the read itself may return what it read
        assertThat(text(near.read(k("k")))).isEqualTo("v2"); // but never installed it
        assertThat(remote.store.calls("read")).isEqualTo(2);
        assertThat(near.stats().getInvalidationsReceived()).isEqualTo(1);
        assertThat(near.pendingReservations()).isZero();
    }

    @Test
    void read_invalidationBeforeTheReadWasSent_installs() {
        remoteWrite("k", "v1");
        source.invalidate(k("k")); // nothing near, nothing reserved: nothing to do
        assertThat(text(near.read(k("k")))).isEqualTo("v1");
        assertThat(near.size()).isEqualTo(1);
    }

    @Test
    void read_localWriteStartsWhileInFlight_readInstallsNothingAndTheWriteWins() throws Exception {
        remoteWrite("k", "v1");
        GatedStore.Gate gate = remote.holdNextRead();
        CompletableFuture<StoredEntry> reader = async(() -> near.read(k("k")));
        gate.awaitReached();
        near.overwrite(k("k"), k("v2"), 1, 0, 0); // a local write starts (and ends) after the read's reservation
        gate.open();
        assertThat(text(reader.get(10, TimeUnit.SECONDS))).isEqualTo("v1");
        long readsBefore = remote.store.calls("read");
        assertThat(text(near.read(k("k")))).isEqualTo("v2");
        assertThat(remote.store.calls("read")).isEqualTo(readsBefore); // v2 near: the stale v1 was not installed
    }

    @Test
    void write_installsTheNewValueWithItsVersion() {
        near.overwrite(k("k"), k("v1"), 1, 0, 0);
        StoredEntry e = near.read(k("k"));
        assertThat(text(e)).isEqualTo("v1");
        assertThat(e.cas()).isEqualTo(remote.store.read(k("k")).cas());
        assertThat(remote.store.calls("read")).isEqualTo(1); // only the check just above
        assertThat(near.cas(k("k"), e, k("v2"), 1, 0, 0)).isTrue(); // the near version is good for a CAS
        assertThat(text(near.read(k("k")))).isEqualTo("v2");
    }

    @Test
    void concurrentLocalWrites_invalidateInsteadOfGuessingTheOrder() throws Exception {
        GatedStore.Gate gate = remote.holdNextWrite();
        CompletableFuture<Long> first = async(() -> near.overwriteVersioned(k("k"), k("v1"), 1, 0, 0));
        gate.awaitReached(); // v1 is on the node, its answer held
        near.overwrite(k("k"), k("v2"), 1, 0, 0); // a second local write overtakes it and installs v2
        gate.open();
        first.get(10, TimeUnit.SECONDS);
        assertThat(near.size()).isZero(); // the first cannot tell whose value is on the node: it invalidates
        assertThat(text(near.read(k("k")))).isEqualTo("v2");
        assertThat(near.pendingReservations()).isZero();
    }

    @Test
    void write_invalidationArrivesWhileInFlight_invalidates() throws Exception {
        GatedStore.Gate gate = remote.holdNextWrite();
        CompletableFuture<Long> writer = async(() -> near.overwriteVersioned(k("k"), k("v1"), 1, 0, 0));
        gate.awaitReached();
        remoteWrite("k", "v2"); // another client's write lands after ours
        source.invalidate(k("k"));
        gate.open();
        writer.get(10, TimeUnit.SECONDS);
        assertThat(near.size()).isZero();
        assertThat(text(near.read(k("k")))).isEqualTo("v2");
    }

    @Test
    void cas_lostRace_invalidates() {
        remoteWrite("k", "v1");
        StoredEntry e = near.read(k("k"));
        remoteWrite("k", "v2"); // its push has not arrived yet
        assertThat(near.cas(k("k"), e, k("v3"), 1, 0, 0)).isFalse();
        assertThat(near.size()).isZero();
        assertThat(text(near.read(k("k")))).isEqualTo("v2");
    }

    @Test
    void add_lostRace_invalidates() {
        remoteWrite("k", "v1");
        assertThat(near.add(k("k"), k("v2"), 1, 0, 0)).isFalse();
        assertThat(near.size()).isZero();
    }

    @Test
    void remove_dropsTheNearCopy() {
        near.overwrite(k("k"), k("v1"), 1, 0, 0);
        StoredEntry e = near.read(k("k"));
        assertThat(near.remove(k("k"), e)).isTrue();
        assertThat(near.size()).isZero();
        assertThat(near.read(k("k"))).isNull();
    }

    @Test
    void remoteFailure_givesTheReservationUpAndInstallsNothing() {
        remote.store.failWith(new CacheException("node down"));
        assertThatThrownBy(() -> near.read(k("k"))).isInstanceOf(CacheException.class);
        assertThatThrownBy(() -> near.overwrite(k("k"), k("v"), 1, 0, 0)).isInstanceOf(CacheException.class);
        assertThat(near.pendingReservations()).isZero();
        assertThat(near.size()).isZero();
    }

    @Test
    void push_ownerNotLive_installsNothing() {
        remoteWrite("b", "v1"); // 'b' belongs to A
        source.live.remove(FakeSource.NODE_A);
        assertThat(text(near.read(k("b")))).isEqualTo("v1");
        near.overwrite(k("b2"), k("v"), 1, 0, 0);
        assertThat(near.size()).isZero();
        assertThat(near.pendingReservations()).isZero();
    }

    @Test
    void read_reservedWhileTheOwnersStreamWasDown_installsNothingThoughTheStreamIsBackBeforeTheAnswer() throws Exception {
        remoteWrite("b", "v1"); // 'b' belongs to A
        source.live.remove(FakeSource.NODE_A); // A's stream broke (its reset came and went)
        GatedStore.Gate gate = remote.holdNextRead();
        CompletableFuture<StoredEntry> reader = async(() -> near.read(k("b")));
        gate.awaitReached(); // A answered v1
        remoteWrite("b", "v2"); // another client's write while the stream is down: its push is lost
        source.live.add(FakeSource.NODE_A); // resubscribed (same boot: no reset) before the answer is back
        gate.open();
        assertThat(text(reader.get(10, TimeUnit.SECONDS))).isEqualTo("v1");
        assertThat(near.size()).isZero();
        assertThat(text(near.read(k("b")))).isEqualTo("v2"); // never the v1 read across the broken stream
        assertThat(near.pendingReservations()).isZero();
    }

    @Test
    void write_reservedWhileTheOwnersStreamWasDown_installsNothingThoughTheStreamIsBackBeforeTheAnswer() throws Exception {
        source.live.remove(FakeSource.NODE_A);
        GatedStore.Gate gate = remote.holdNextWrite();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> near.overwrite(k("b"), k("mine"), 1, 0, 0));
        gate.awaitReached();
        remoteWrite("b", "theirs"); // after ours on the node, pushed while our stream is down: lost
        source.live.add(FakeSource.NODE_A);
        gate.open();
        writer.get(10, TimeUnit.SECONDS);
        assertThat(near.size()).isZero();
        assertThat(text(near.read(k("b")))).isEqualTo("theirs");
    }

    @Test
    void read_servedByANodeOtherThanTheOwner_installsNothing() throws Exception {
        // 'b' belongs to A. Case 1: the read timed out on A and was retried on replica B, which had not
        // applied v2 yet while A's push for v2 came before the reservation. Case 2: the router held A
        // down and read B; A's stream is live, so a reset of B would not drop an entry tagged A.
        remoteWrite("b", "v1");
        remote.servedBy = FakeSource.NODE_B;
        assertThat(text(near.read(k("b")))).isEqualTo("v1");
        assertThat(near.size()).isZero();
        assertThat(near.readMany(List.of(k("b")))).hasSize(1);
        assertThat(near.size()).as("getMany answered by B: nothing installed either").isZero();
        assertThat(near.pendingReservations()).isZero();

        remote.servedBy = FakeSource.NODE_A; // the owner answers: installed as before
        near.read(k("b"));
        assertThat(near.holds(k("b"))).isTrue();
        source.reset(FakeSource.NODE_A);
        assertThat(near.holds(k("b"))).isFalse();
    }

    @Test
    void write_appliedByANodeOtherThanTheOwner_installsNothing() throws Exception {
        remote.servedBy = FakeSource.NODE_B; // 'b' belongs to A; the write failed over to B
        near.overwrite(k("b"), k("mine"), 1, 0, 0);
        assertThat(near.add(k("b2"), k("mine"), 1, 0, 0)).isTrue(); // 'b2' belongs to A too
        assertThat(near.size()).isZero();
        StoredEntry current = remote.store.read(k("b"));
        assertThat(near.cas(k("b"), current, k("again"), 1, 0, 0)).isTrue();
        assertThat(near.size()).isZero();
        assertThat(near.pendingReservations()).isZero();

        remote.servedBy = FakeSource.NODE_A;
        near.overwrite(k("b"), k("mine"), 1, 0, 0);
        assertThat(near.holds(k("b"))).isTrue();
    }

    @Test
    void bestEffort_installsRegardlessAndTheTtlBoundsStaleness() {
        source.mode = InvalidationFeed.Mode.BEST_EFFORT;
        source.live.clear();
        remoteWrite("k", "v1");
        near.read(k("k"));
        remoteWrite("k", "v2"); // lost: no push
        assertThat(text(near.read(k("k")))).isEqualTo("v1"); // stale, within the TTL
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(TTL));
        assertThat(text(near.read(k("k")))).isEqualTo("v2"); // never beyond it
    }

    @Test
    void push_entryOutlivesTheTtl_untilInvalidated() {
        remoteWrite("k", "v1");
        near.read(k("k"));
        near.overwrite(k("w"), k("mine"), 1, 0, 0);
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(10 * TTL)); // pushes are trusted: no TTL
        assertThat(text(near.read(k("k")))).isEqualTo("v1");
        assertThat(text(near.read(k("w")))).isEqualTo("mine");
        assertThat(remote.store.calls("read")).isEqualTo(1);
        remoteWrite("k", "v2");
        source.invalidate(k("k"));
        assertThat(text(near.read(k("k")))).isEqualTo("v2");
    }

    @Test
    void push_entryDiesAtTheSafetyNet() {
        remoteWrite("k", "v1");
        near.read(k("k"));
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(NearCacheStore.PUSH_SAFETY_NET_MILLIS) - 1);
        assertThat(near.holds(k("k"))).isTrue();
        nanos.addAndGet(1);
        assertThat(near.holds(k("k"))).isFalse();
    }

    @Test
    void bestEffort_entryDoesNotOutliveTheTtl_aWriteNeither() {
        source.mode = InvalidationFeed.Mode.BEST_EFFORT;
        near.overwrite(k("w"), k("mine"), 1, 0, 0);
        assertThat(near.holds(k("w"))).isTrue();
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(TTL));
        assertThat(near.holds(k("w"))).isFalse();
    }

    @Test
    void none_entryDoesNotOutliveTheTtl_evenAfterTheModeBecamePush() {
        source.mode = InvalidationFeed.Mode.NONE;
        remoteWrite("k", "v1");
        near.read(k("k"));
        source.mode = InvalidationFeed.Mode.PUSH; // installed untrusted: keeps its TTL
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(TTL) - 1);
        assertThat(near.holds(k("k"))).isTrue();
        nanos.addAndGet(1);
        assertThat(near.holds(k("k"))).isFalse();
    }

    @Test
    void bestEffortWhenReserved_pushWhenInstalled_keepsTheTtl() throws Exception {
        source.mode = InvalidationFeed.Mode.BEST_EFFORT;
        source.live.clear(); // the owner's stream is down: a push lost now is never replayed
        remoteWrite("k", "v1");
        GatedStore.Gate gate = remote.holdNextRead();
        CompletableFuture<StoredEntry> reader = async(() -> near.read(k("k")));
        gate.awaitReached();
        source.mode = InvalidationFeed.Mode.PUSH; // the stream came up before the answer arrived
        source.live.add(FakeSource.NODE_A);
        source.live.add(FakeSource.NODE_B);
        gate.open();
        assertThat(text(reader.get(10, TimeUnit.SECONDS))).isEqualTo("v1");
        assertThat(near.holds(k("k"))).isTrue(); // installed under the TTL, not as pushed
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(TTL));
        assertThat(near.holds(k("k"))).isFalse();
    }

    @Test
    void reset_dropsThatNodesEntriesOnly() {
        remoteWrite("a", "on B");
        remoteWrite("b", "on A");
        near.read(k("a"));
        near.read(k("b"));
        source.reset(FakeSource.NODE_A);
        assertThat(near.size()).isEqualTo(1);
        long reads = remote.store.calls("read");
        near.read(k("a"));
        assertThat(remote.store.calls("read")).isEqualTo(reads); // B's entry stayed
        near.read(k("b"));
        assertThat(remote.store.calls("read")).isEqualTo(reads + 1);
        assertThat(near.stats().getResets()).isEqualTo(1);
    }

    @Test
    void reset_whileAReadIsInFlight_installsNothing() throws Exception {
        remoteWrite("b", "v1");
        GatedStore.Gate gate = remote.holdNextRead();
        CompletableFuture<StoredEntry> reader = async(() -> near.read(k("b")));
        gate.awaitReached();
        source.reset(FakeSource.NODE_A); // events for the key may have been lost in between
        gate.open();
        reader.get(10, TimeUnit.SECONDS);
        assertThat(near.size()).isZero();
        assertThat(near.pendingReservations()).isZero();
    }

    @Test
    void clear_whileAReadIsInFlight_installsNothing() throws Exception {
        remoteWrite("k", "v1");
        GatedStore.Gate gate = remote.holdNextRead();
        CompletableFuture<StoredEntry> reader = async(() -> near.read(k("k")));
        gate.awaitReached();
        near.clear();
        gate.open();
        reader.get(10, TimeUnit.SECONDS);
        assertThat(near.size()).isZero();
        assertThat(near.read(k("k"))).isNull();
    }

    @Test
    void readMany_servesNearHitsAndInstallsTheRest() {
        remoteWrite("x", "1");
        remoteWrite("y", "2");
        near.read(k("x"));
        Map<Integer, StoredEntry> got = near.readMany(List.of(k("x"), k("y"), k("z")));
        assertThat(got).containsOnlyKeys(0, 1);
        assertThat(text(got.get(1))).isEqualTo("2");
        assertThat(near.size()).isEqualTo(2);
        assertThat(remote.store.calls("readMany")).isEqualTo(1);
        assertThat(near.pendingReservations()).isZero();
    }

    @Test
    void otherNearCacheOfTheSameCacheInThisJvm_isInvalidatedBeforeTheWriteReturns() {
        try (NearCacheStore other = NearCacheStore.open(remote, "c", source, 100, TTL, ticker)) {
            remoteWrite("k", "v1");
            other.read(k("k"));
            near.overwrite(k("k"), k("v2"), 1, 0, 0);
            assertThat(other.size()).isZero();
            assertThat(text(other.read(k("k")))).isEqualTo("v2");
            near.clear();
            assertThat(other.size()).isZero();
            assertThat(other.stats().getClears()).isEqualTo(1);
        }
    }

    @Test
    void otherCacheName_isNotInvalidated() {
        try (NearCacheStore other = NearCacheStore.open(remote, "d", source, 100, TTL, ticker)) {
            remoteWrite("k", "v1");
            other.read(k("k"));
            near.overwrite(k("k"), k("v2"), 1, 0, 0);
            assertThat(other.size()).isEqualTo(1);
        }
    }

    @Test
    void close_dropsEverythingAndUnsubscribes() {
        remoteWrite("k", "v1");
        near.read(k("k"));
        near.close();
        assertThat(near.size()).isZero();
        assertThat(source.closed).isEqualTo(1);
        assertThat(source.listeners).isEmpty();
    }

    @Test
    void maxEntries_bounded() {
        for (int i = 0; i < 500; i++) {
            near.overwrite(k("key" + i), k("v"), 1, 0, 0);
        }
        assertThat(near.size()).isLessThanOrEqualTo(100);
    }

    @Test
    void changeUnderAnotherWatchedPrefix_clearsTheNearCache() {
        GatedStore.Prefixed prefixed = new GatedStore.Prefixed(remote, List.of(k("jc:c:"), k("jcg:c")));
        try (NearCacheStore gen = NearCacheStore.open(prefixed, "g", source, 100, TTL, ticker)) {
            remoteWrite("jc:c:k", "v1");
            gen.read(k("jc:c:k"));
            source.invalidate(k("jc:c:other")); // another entry: this one stays
            assertThat(gen.size()).isEqualTo(1);
            source.invalidate(k("jcg:c")); // the generation moved: a clear in another JVM
            assertThat(gen.size()).isZero();
            assertThat(gen.stats().getClears()).isEqualTo(1);
        }
    }

    @Test
    void generationItemOfACacheWhoseNameExtendsThisOne_doesNotClearTheNearCache() {
        // stock rings: cache "c" watches its generation key jcg:c as a prefix, so it also hears jcg:cd
        GatedStore.Prefixed prefixed = new GatedStore.Prefixed(remote, List.of(k("jc:c:"), k("jcg:c")));
        try (NearCacheStore gen = NearCacheStore.open(prefixed, "g", source, 100, TTL, ticker)) {
            remoteWrite("jc:c:k", "v1");
            gen.read(k("jc:c:k"));
            source.invalidate(k("jcg:cd")); // cache "cd" was cleared: nothing to do with "c"
            source.invalidate(k("jcg:c%3Ax"));
            assertThat(gen.size()).isEqualTo(1);
            assertThat(gen.stats().getClears()).isZero();
        }
    }

    @Test
    void hit_handsOutItsOwnBytes_soACallerCannotChangeTheNearCopy() {
        remoteWrite("k", "v1");
        near.read(k("k"));
        StoredEntry hit = near.read(k("k"));
        hit.value()[0] = 'X';
        assertThat(text(near.read(k("k")))).isEqualTo("v1");
    }
}
