package io.memring.server.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.server.MemringServer;
import io.memring.server.ServerConfig;
import io.memring.testing.RawClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The node's side of the mutation stream ({@code mr_client}, {@code mr_watch}, ME/MH/MW) over real sockets. */
class MutationStreamIT {
    static final String A = "00000000000000a1";
    static final String B = "00000000000000b2";
    static final Pattern MW = Pattern.compile("MW ([0-9a-f]{16}) (\\d+)\r\n");

    MemringServer node;

    @BeforeEach
    void start() throws Exception {
        node = MemringServer.start(ServerConfig.defaults().withPort(0).withWorkerThreads(2));
    }

    @AfterEach
    void stop() {
        node.close();
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Subscribes and returns the socket once MW arrived. */
    RawClient watch(String id, String mode, String... prefixes) throws Exception {
        RawClient w = new RawClient(node.port());
        StringBuilder line = new StringBuilder("mr_watch " + id + " " + mode);
        for (String p : prefixes) {
            line.append(' ').append(b64(p));
        }
        String reply = w.roundTrip(line + "\r\n", "\r\n");
        assertThat(reply).matches(MW.pattern());
        return w;
    }

    RawClient writer(String id) throws Exception {
        RawClient c = new RawClient(node.port());
        assertThat(c.roundTrip("mr_client " + id + "\r\n", "\r\n")).isEqualTo("OK\r\n");
        return c;
    }

    /** One parsed ME line (and its data block). */
    record Event(long seq, char kind, String key, long version, long origin, int flags, long exptime, String oldValue,
                 String newValue, String oldFlags) {
    }

    static final Pattern ME = Pattern.compile("ME (\\d+) ([NUDCXEF]) (\\S+) (\\d+) (\\d+) (\\d+) (\\d+) (-|\\d+) (-|\\d+) (-|\\d+)\r\n");

    static List<Event> events(String text) {
        List<Event> out = new ArrayList<>();
        Matcher m = ME.matcher(text);
        int at = 0;
        while (m.find(at)) {
            int end = m.end();
            String o = null;
            String n = null;
            if (!m.group(8).equals("-") || !m.group(9).equals("-")) {
                int ol = m.group(8).equals("-") ? 0 : Integer.parseInt(m.group(8));
                int nl = m.group(9).equals("-") ? 0 : Integer.parseInt(m.group(9));
                if (!m.group(8).equals("-")) {
                    o = text.substring(end, end + ol);
                }
                if (!m.group(9).equals("-")) {
                    n = text.substring(end + ol, end + ol + nl);
                }
                end += ol + nl + 2;
            }
            String key = m.group(3).equals("-") ? "-" : new String(Base64.getDecoder().decode(m.group(3)), StandardCharsets.ISO_8859_1);
            out.add(new Event(Long.parseLong(m.group(1)), m.group(2).charAt(0), key, Long.parseUnsignedLong(m.group(4)),
                    Long.parseUnsignedLong(m.group(5)), Integer.parseInt(m.group(6)), Long.parseLong(m.group(7)), o, n, m.group(10)));
            at = end;
        }
        return out;
    }

    @Test
    void valuesMode_setUpdateDelete_areCreatedUpdatedDeletedWithValues() throws Exception {
        try (RawClient w = watch(A, "values", "jc:c1:"); RawClient b = writer(B)) {
            assertThat(b.roundTrip("set jc:c1:k 7 0 2\r\nv1\r\n", "\r\n")).isEqualTo("STORED\r\n");
            assertThat(b.roundTrip("set jc:c1:k 8 0 2\r\nv2\r\n", "\r\n")).isEqualTo("STORED\r\n");
            assertThat(b.roundTrip("set other:k 0 0 1\r\nx\r\n", "\r\n")).isEqualTo("STORED\r\n");
            assertThat(b.roundTrip("delete jc:c1:k\r\n", "\r\n")).isEqualTo("DELETED\r\n");
            List<Event> ev = events(w.readUntilCount("ME ", 3, 5000));
            assertThat(ev).extracting(Event::kind).containsExactly('N', 'U', 'D');
            assertThat(ev).extracting(Event::seq).containsExactly(1L, 2L, 3L);
            assertThat(ev).extracting(Event::key).containsOnly("jc:c1:k");
            assertThat(ev).extracting(Event::origin).containsOnly(0xb2L);
            assertThat(ev.get(0).newValue()).isEqualTo("v1");
            assertThat(ev.get(0).oldValue()).isNull();
            assertThat(ev.get(1).oldValue()).isEqualTo("v1");
            assertThat(ev.get(1).newValue()).isEqualTo("v2");
            assertThat(ev.get(1).flags()).isEqualTo(8);
            assertThat(ev.get(1).oldFlags()).as("the replaced item's flags").isEqualTo("7");
            assertThat(ev.get(0).oldFlags()).isEqualTo("-");
            assertThat(ev.get(2).oldFlags()).isEqualTo("8");
            assertThat(ev.get(2).oldValue()).isEqualTo("v2");
            assertThat(ev.get(2).newValue()).isNull();
            assertThat(ev.get(1).version()).isGreaterThan(ev.get(0).version());
            assertThat(ev.get(2).version()).isGreaterThan(ev.get(1).version());
        }
    }

    @Test
    void ownWrites_areNotEchoed_othersAndUntaggedAre() throws Exception {
        try (RawClient w = watch(A, "keys", "k"); RawClient own = writer(A); RawClient untagged = new RawClient(node.port())) {
            assertThat(own.roundTrip("set k1 0 0 1\r\n1\r\n", "\r\n")).isEqualTo("STORED\r\n");
            assertThat(untagged.roundTrip("set k2 0 0 1\r\n1\r\n", "\r\n")).isEqualTo("STORED\r\n");
            List<Event> ev = events(w.readUntilCount("ME ", 1, 5000));
            assertThat(ev).extracting(Event::key).containsExactly("k2");
            assertThat(ev.get(0).origin()).isZero();
            assertThat(ev.get(0).oldValue()).isNull();
            assertThat(ev.get(0).newValue()).isNull();
            // the echo would have come first: the next heartbeat shows nothing else was sent
            assertThat(w.readUntil("MH 1\r\n", 3000)).doesNotContain("k1").endsWith("MH 1\r\n");
        }
    }

    static String stat(RawClient c, String name) throws Exception {
        String reply = c.roundTrip("stats\r\n", "END\r\n");
        Matcher m = Pattern.compile("STAT " + name + " (\\S+)\r\n").matcher(reply);
        assertThat(m.find()).as(name).isTrue();
        return m.group(1);
    }

    @Test
    void everyKind_inApplyOrder() throws Exception {
        try (RawClient w = watch(A, "values", "k"); RawClient b = writer(B)) {
            b.roundTrip("add k1 0 0 1\r\na\r\n", "\r\n");                  // N
            b.roundTrip("append k1 0 0 1\r\nb\r\n", "\r\n");               // U ab
            b.roundTrip("set k2 0 0 1\r\n5\r\n", "\r\n");                  // N
            assertThat(b.roundTrip("incr k2 2\r\n", "\r\n")).isEqualTo("7\r\n"); // U, old value 5
            assertThat(b.roundTrip("touch k1 100\r\n", "\r\n")).isEqualTo("TOUCHED\r\n"); // U, value unchanged
            assertThat(b.roundTrip("md k1 q Y\r\nmn\r\n", "MN\r\n")).isEqualTo("MN\r\n"); // C
            b.roundTrip("set k3 0 -1 1\r\nx\r\n", "\r\n");                 // N (already expired)
            assertThat(b.roundTrip("get k3\r\n", "END\r\n")).isEqualTo("END\r\n"); // X, found by the read
            assertThat(b.roundTrip("delete k2\r\n", "\r\n")).isEqualTo("DELETED\r\n"); // D
            assertThat(b.roundTrip("flush_all\r\n", "\r\n")).isEqualTo("OK\r\n");     // F
            List<Event> ev = events(w.readUntilCount("ME ", 10, 5000));
            assertThat(ev).extracting(e -> e.kind() + e.key())
                    .containsExactly("Nk1", "Uk1", "Nk2", "Uk2", "Uk1", "Ck1", "Nk3", "Xk3", "Dk2", "F-");
            assertThat(ev).extracting(Event::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(ev.get(1).oldValue()).isEqualTo("a");
            assertThat(ev.get(1).newValue()).isEqualTo("ab");
            assertThat(ev.get(3).oldValue()).isEqualTo("5");
            assertThat(ev.get(3).newValue()).isEqualTo("7");
            assertThat(ev.get(4).oldValue()).isEqualTo("ab");
            assertThat(ev.get(4).newValue()).isEqualTo("ab");
            assertThat(ev.get(4).exptime()).isGreaterThan(System.currentTimeMillis() / 1000);
            assertThat(ev.get(5).oldValue()).isEqualTo("ab");
            assertThat(ev.get(7).origin()).as("expiry has no writer").isZero();
            assertThat(ev.get(8).oldValue()).isEqualTo("7");
            assertThat(ev.get(9).origin()).isEqualTo(0xb2L);
            assertThat(ev.get(9).version()).as("the flush watermark").isGreaterThan(ev.get(8).version());
        }
    }

    @Test
    void incrDecr_inValuesMode_carryTheOldCount_asStoredWithItsFlags() throws Exception {
        try (RawClient w = watch(A, "values", "n"); RawClient keysOnly = watch("00000000000000c3", "keys", "n"); RawClient b = writer(B)) {
            b.roundTrip("set n1 9 0 2\r\n10\r\n", "\r\n");                                    // N
            assertThat(b.roundTrip("decr n1 1\r\n", "\r\n")).isEqualTo("9\r\n");            // in place: "9 "
            assertThat(b.roundTrip("incr n1 1\r\n", "\r\n")).isEqualTo("10\r\n");           // in place again
            b.roundTrip("set n2 0 0 2\r\n99\r\n", "\r\n");                                    // N
            assertThat(b.roundTrip("incr n2 1\r\n", "\r\n")).isEqualTo("100\r\n");          // grows: a new item
            assertThat(b.roundTrip("ma n2 MD D5 v\r\n", "95\r\n")).isEqualTo("VA 2\r\n95\r\n");      // meta decr
            assertThat(b.roundTrip("ma n3 N0 J7 v\r\n", "7\r\n")).isEqualTo("VA 1\r\n7\r\n");      // vivified: created
            List<Event> ev = events(w.readUntilCount("ME ", 7, 5000));
            assertThat(ev).extracting(e -> e.kind() + e.key()).containsExactly("Nn1", "Un1", "Un1", "Nn2", "Un2", "Un2", "Nn3");
            assertThat(ev).extracting(Event::oldValue).containsExactly(null, "10", "9 ", null, "99", "100", null);
            assertThat(ev).extracting(Event::newValue).containsExactly("10", "9 ", "10", "99", "100", "95 ", "7");
            assertThat(ev.get(1).oldFlags()).as("the count's own flags").isEqualTo("9");
            assertThat(ev.get(1).flags()).isEqualTo(9);
            assertThat(ev.get(6).oldFlags()).isEqualTo("-");
            List<Event> keys = events(keysOnly.readUntilCount("ME ", 7, 5000));
            assertThat(keys).extracting(Event::oldValue).containsOnlyNulls();
            assertThat(keys).extracting(Event::newValue).containsOnlyNulls();
        }
    }

    @Test
    void delayedFlush_isAnnouncedWhenItTakesEffect_andOnceMoreWhenItsSecondIsOver_notWhenAccepted() throws Exception {
        try (RawClient w = watch(A, "keys", "f"); RawClient b = writer(B)) {
            b.roundTrip("set f1 0 0 1\r\n1\r\n", "\r\n");
            // oldest_live = now + 3: the flush takes effect 2 to 3 s from now, not before
            assertThat(b.roundTrip("flush_all 4\r\n", "\r\n")).isEqualTo("OK\r\n");
            b.roundTrip("set f2 0 0 1\r\n2\r\n", "\r\n");
            List<Event> before = events(w.readUntilCount("ME ", 2, 5000));
            assertThat(before).as("nothing announced when the flush was accepted").extracting(e -> e.kind() + e.key())
                    .containsExactly("Nf1", "Nf2");
            String text = w.readUntilCount(" F - ", 1, 10_000);
            assertThat(b.roundTrip("get f1\r\n", "END\r\n")).as("dead once announced").isEqualTo("END\r\n");
            assertThat(b.roundTrip("get f2\r\n", "END\r\n")).isEqualTo("END\r\n");
            text = w.readUntilCount(" F - ", 2, 5000);
            assertThat(text).contains("ME 4 F - ");
            List<Event> ev = events(text);
            assertThat(ev).extracting(e -> e.kind() + e.key()).containsExactly("Nf1", "Nf2", "F-", "F-");
            assertThat(ev).extracting(Event::seq).containsExactly(1L, 2L, 3L, 4L);
            assertThat(ev.get(2).version()).as("a version taken when it took effect").isGreaterThan(ev.get(1).version());
            assertThat(ev.get(3).version()).isGreaterThan(ev.get(2).version());
            assertThat(ev.get(2).exptime()).isZero();
            assertThat(ev.get(2).origin()).isEqualTo(0xb2L);
            // written after the second one: lives on
            b.roundTrip("set f3 0 0 1\r\n3\r\n", "\r\n");
            assertThat(b.roundTrip("get f3\r\n", "END\r\n")).startsWith("VALUE f3 ");
        }
    }

    @Test
    void delayedFlush_replacedBeforeItTakesEffect_isNeverAnnounced() throws Exception {
        try (RawClient w = watch(A, "keys", "g"); RawClient b = writer(B)) {
            assertThat(b.roundTrip("flush_all 3\r\n", "\r\n")).isEqualTo("OK\r\n");
            assertThat(b.roundTrip("flush_all 0\r\n", "\r\n")).isEqualTo("OK\r\n"); // now, and the delayed one is off
            List<Event> ev = events(w.readUntilCount("ME ", 1, 5000));
            assertThat(ev).extracting(Event::kind).containsExactly('F');
            assertThat(ev.get(0).version()).as("the immediate flush's watermark").isPositive();
            // heartbeats past the time the delayed flush would have taken effect (and its second after) carry seq 1
            String text = w.readUntilCount("MH 1\r\n", 4, 10_000);
            assertThat(occurrences(text, "MH 1\r\n")).isGreaterThanOrEqualTo(4);
            assertThat(events(text)).hasSize(1);
        }
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }

    @Test
    void evictions_areEvents_withoutAWriter() throws Exception {
        node.close();
        node = MemringServer.start(ServerConfig.defaults().withPort(0).withWorkerThreads(1)
                .withStorage(io.memring.server.storage.StorageConfig.defaults().withMemoryLimit(2 << 20)));
        try (RawClient w = watch(A, "keys", "e"); RawClient b = writer(B)) {
            String value = "x".repeat(50_000);
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                batch.append("set e").append(i).append(" 0 0 ").append(value.length()).append(" noreply\r\n").append(value).append("\r\n");
            }
            b.send(batch.toString());
            assertThat(b.roundTrip("mn\r\n", "MN\r\n")).isEqualTo("MN\r\n");
            String text = w.readUntil("E ", 5000);
            assertThat(text).contains(" E ");
            Event evicted = events(text).stream().filter(e -> e.kind() == 'E').findFirst().orElseThrow();
            assertThat(evicted.origin()).isZero();
        }
    }

    @Test
    void mrWatchAgain_replacesPrefixesAndMode_inStreamOrder() throws Exception {
        try (RawClient w = watch(A, "keys", "a:"); RawClient b = writer(B)) {
            b.roundTrip("set a:1 0 0 1\r\n1\r\n", "\r\n");
            w.readUntilCount("ME ", 1, 5000);
            String reply = w.roundTrip("mr_watch " + A + " values " + b64("b:") + "\r\n", "\r\n");
            assertThat(reply).matches("MW [0-9a-f]{16} 1\r\n"); // seq so far: one event
            b.roundTrip("set a:2 0 0 1\r\n2\r\n", "\r\n"); // no longer watched
            b.roundTrip("set b:1 0 0 1\r\n3\r\n", "\r\n");
            List<Event> ev = events(w.readUntilCount("ME ", 1, 5000));
            assertThat(ev).hasSize(1);
            assertThat(ev.get(0).key()).isEqualTo("b:1");
            assertThat(ev.get(0).seq()).isEqualTo(2);
            assertThat(ev.get(0).newValue()).isEqualTo("3");
            // zero prefixes: nothing but heartbeats
            assertThat(w.roundTrip("mr_watch " + A + " keys\r\n", "\r\n")).matches("MW [0-9a-f]{16} 2\r\n");
            b.roundTrip("set b:2 0 0 1\r\n4\r\n", "\r\n");
            assertThat(w.readUntil("MH 2\r\n", 3000)).as("no event for b:2").matches("MW [0-9a-f]{16} 2\r\nMH 2\r\n");
        }
    }

    @Test
    void replicaApplies_areSilent_butAPeersFlushIsAnnounced() throws Exception {
        try (RawClient w = watch(A, "keys", "r"); RawClient b = writer(B)) {
            long version = node.storage().versions().next();
            assertThat(node.storage().applyReplica("r1".getBytes(StandardCharsets.US_ASCII), new byte[] {1}, 0, 0, version))
                    .isEqualTo(io.memring.server.storage.ApplyResult.APPLIED);
            node.storage().applyTombstone("r1".getBytes(StandardCharsets.US_ASCII), node.storage().versions().next());
            b.roundTrip("set r2 0 0 1\r\n1\r\n", "\r\n");
            List<Event> ev = events(w.readUntilCount("ME ", 1, 5000));
            assertThat(ev).extracting(Event::key).containsExactly("r2");
            assertThat(ev.get(0).seq()).as("no event before the client write").isEqualTo(1);
            // a peer's flush killed this node's items too (every near copy from here): announced, origin 0
            long watermark = node.storage().versions().next();
            node.storage().applyFlush(watermark, 0);
            node.storage().applyFlush(watermark, 0); // replayed: changes nothing, so nothing to announce
            b.roundTrip("set r3 0 0 1\r\n1\r\n", "\r\n");
            ev = events(w.readUntilCount("ME ", 3, 5000));
            assertThat(ev).extracting(e -> e.kind() + e.key()).containsExactly("Nr2", "F-", "Nr3");
            assertThat(ev.get(1).version()).isEqualTo(watermark);
            assertThat(ev.get(1).origin()).isZero();
        }
    }

    @Test
    void heartbeat_everySecond_carriesTheLastSeq() throws Exception {
        try (RawClient w = watch(A, "keys", "h"); RawClient b = writer(B)) {
            b.roundTrip("set h 0 0 1\r\n1\r\n", "\r\n");
            String text = w.readUntilCount("MH 1\r\n", 2, 4000);
            assertThat(text).contains("\r\nME 1 N ");
            assertThat(text).contains("MH 1\r\nMH 1\r\n");
        }
    }

    @Test
    void subscriberThatNeverReads_isClosedAtItsBound_othersAreStillServed() throws Exception {
        node.close();
        node = MemringServer.start(ServerConfig.defaults().withPort(0).withWorkerThreads(2).withWatchBufferBytes(512 * 1024));
        String value = "v".repeat(10_000);
        try (java.net.Socket stalled = new java.net.Socket("127.0.0.1", node.port());
             RawClient reader = watch(A, "keys", "s"); RawClient b = writer(B); RawClient admin = new RawClient(node.port())) {
            stalled.setReceiveBufferSize(4096);
            stalled.getOutputStream().write(("mr_watch 00000000000000c3 values " + b64("s") + "\r\n").getBytes(StandardCharsets.US_ASCII));
            org.awaitility.Awaitility.await().atMost(5, java.util.concurrent.TimeUnit.SECONDS)
                    .until(() -> stat(admin, "watch_subscribers").equals("2"));
            int writes = 2000; // 20 MB of values for a 512 KB bound: more than loopback's socket buffers hold
            for (int i = 0; i < writes; i++) {
                b.send("set s" + i + " 0 0 " + value.length() + " noreply\r\n" + value + "\r\n");
            }
            assertThat(b.roundTrip("mn\r\n", "MN\r\n")).isEqualTo("MN\r\n");
            org.awaitility.Awaitility.await().atMost(5, java.util.concurrent.TimeUnit.SECONDS)
                    .until(() -> stat(admin, "watch_overflows").equals("1") && stat(admin, "watch_subscribers").equals("1"));
            // the reading subscriber got every event, in order
            String text = reader.readUntilCount("ME ", writes, 10_000);
            List<Event> ev = events(text);
            assertThat(ev).hasSize(writes);
            assertThat(ev.get(writes - 1).seq()).isEqualTo(writes);
            assertThat(ev.get(writes - 1).key()).isEqualTo("s" + (writes - 1));
            assertThat(admin.roundTrip("version\r\n", "\r\n")).startsWith("VERSION ");
        }
    }

    @Test
    void hostileWatchLines_getErrors_andTheConnectionStaysUsable() throws Exception {
        try (RawClient c = new RawClient(node.port())) {
            StringBuilder many = new StringBuilder("mr_watch " + A + " keys");
            for (int i = 0; i < 65; i++) {
                many.append(' ').append(b64("p" + i));
            }
            assertThat(c.roundTrip(many + "\r\n", "\r\n")).isEqualTo("CLIENT_ERROR too many watch prefixes\r\n");
            assertThat(c.roundTrip("mr_watch " + A + " keys !!notbase64\r\n", "\r\n")).isEqualTo("CLIENT_ERROR bad watch prefix\r\n");
            assertThat(c.roundTrip("mr_watch " + A + " keys " + b64("x".repeat(251)) + "\r\n", "\r\n"))
                    .isEqualTo("CLIENT_ERROR bad watch prefix\r\n");
            assertThat(c.roundTrip("mr_watch 0000000000000000 keys " + b64("x") + "\r\n", "\r\n")).isEqualTo("CLIENT_ERROR bad client id\r\n");
            assertThat(c.roundTrip("mr_watch 00000000000000A1 keys " + b64("x") + "\r\n", "\r\n")).isEqualTo("CLIENT_ERROR bad client id\r\n");
            assertThat(c.roundTrip("mr_watch " + A + " both " + b64("x") + "\r\n", "\r\n")).isEqualTo("CLIENT_ERROR bad watch mode\r\n");
            assertThat(c.roundTrip("mr_client 12\r\n", "\r\n")).isEqualTo("CLIENT_ERROR bad client id\r\n");
            assertThat(c.roundTrip("mg k Y v\r\n", "\r\n")).as("Y is md's only").isEqualTo("CLIENT_ERROR invalid flag\r\n");
            // a line longer than the node buffers whole, arriving in pieces: refused, then the connection goes on
            c.send("mr_watch " + A + " keys ");
            for (int i = 0; i < 10; i++) {
                c.send((b64("y".repeat(240)) + " ").repeat(8));
            }
            assertThat(c.roundTrip("\r\n", "\r\n")).isEqualTo("CLIENT_ERROR line too long\r\n");
            assertThat(c.roundTrip("version\r\n", "\r\n")).startsWith("VERSION ");
            assertThat(stat(c, "watch_subscribers")).isEqualTo("0");
        }
    }

    @Test
    void replaceRacingWithWrites_afterTheNewMwOnlyTheNewSet_andSeqHasNoGap() throws Exception {
        try (RawClient w = watch(A, "keys", "a:"); RawClient b = writer(B)) {
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            Thread writes = new Thread(() -> {
                try {
                    for (int i = 0; i < 20_000 && !stop.get(); i++) {
                        b.send("set a:" + i + " 0 0 1 noreply\r\n1\r\nset b:" + i + " 0 0 1 noreply\r\n1\r\n");
                    }
                } catch (Exception e) {
                    // the test ended
                }
            });
            writes.start();
            try {
                w.readUntilCount("ME ", 200, 5000); // writes are flowing
                w.send("mr_watch " + A + " keys " + b64("b:") + "\r\n");
                w.readUntil("\r\nMW ", 5000);
                String text = w.readUntilCount("ME ", 400, 10_000); // plenty after the switch
                stop.set(true);
                int mw = text.indexOf("\r\nMW ");
                assertThat(mw).isPositive();
                String after = text.substring(text.indexOf("\r\n", mw + 2) + 2);
                List<Event> before = events(text.substring(0, mw + 2));
                List<Event> later = events(after);
                assertThat(before).extracting(Event::key).allMatch(k -> k.startsWith("a:"));
                assertThat(later).isNotEmpty().extracting(Event::key).allMatch(k -> k.startsWith("b:"));
                List<Event> all = new ArrayList<>(before);
                all.addAll(later);
                for (int k = 0; k < all.size(); k++) {
                    assertThat(all.get(k).seq()).isEqualTo(k + 1);
                }
                Matcher m = MW.matcher(text.substring(mw + 2));
                assertThat(m.lookingAt()).isTrue();
                assertThat(Long.parseLong(m.group(2))).as("MW carries the last seq before it").isEqualTo(before.size());
            } finally {
                stop.set(true);
                writes.join(10_000);
            }
        }
    }

    @Test
    void eventBuiltInKeysMode_writtenAfterTheSwitchToValues_isASeqGap_neverAnEventWithoutValues() throws Exception {
        try (RawClient w = watch(A, "keys", "r:"); RawClient b = writer(B)) {
            assertThat(b.roundTrip("set r:1 0 0 1\r\nv\r\n", "\r\n")).isEqualTo("STORED\r\n");
            assertThat(events(w.readUntilCount("ME ", 1, 5000))).extracting(Event::seq).containsExactly(1L);
            // the race, forced: the delete's event is built while w is in keys mode (no values copied) and
            // offered only after w's switch to values mode was answered
            java.util.concurrent.CountDownLatch built = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch switched = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
            node.watches().beforeOffer(() -> {
                if (first.compareAndSet(true, false)) {
                    built.countDown();
                    try {
                        switched.await(5, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            java.util.concurrent.ExecutorService writerThread = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                java.util.concurrent.Future<?> delete = writerThread.submit(() -> {
                    WriteOrigin.set(0xb2L);
                    node.storage().delete("r:1".getBytes(StandardCharsets.US_ASCII));
                });
                assertThat(built.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                assertThat(w.roundTrip("mr_watch " + A + " values " + b64("r:") + "\r\n", "\r\n")).matches("MW [0-9a-f]{16} 1\r\n");
                switched.countDown();
                delete.get(5, java.util.concurrent.TimeUnit.SECONDS);
            } finally {
                switched.countDown();
                node.watches().beforeOffer(null);
                writerThread.shutdownNow();
            }
            // the delete is not sent without its old value: its number is skipped, which the next
            // heartbeat shows the client as a gap (1 -> 2 with no event 2)
            String text = w.readUntil("MH 2\r\n", 3000);
            assertThat(events(text)).as("an event without the values a values-mode subscriber needs").isEmpty();
            assertThat(text).endsWith("MH 2\r\n");
            assertThat(b.roundTrip("set r:2 0 0 1\r\nx\r\n", "\r\n")).isEqualTo("STORED\r\n");
            List<Event> later = events(w.readUntilCount("ME ", 1, 5000));
            assertThat(later).extracting(Event::seq).containsExactly(3L);
            assertThat(later.get(0).newValue()).isEqualTo("x");
            try (RawClient admin = new RawClient(node.port())) {
                assertThat(stat(admin, "watch_skipped")).isEqualTo("1");
            }
        }
    }
}
