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
                 String newValue) {
    }

    static final Pattern ME = Pattern.compile("ME (\\d+) ([NUDCXEF]) (\\S+) (\\d+) (\\d+) (\\d+) (\\d+) (-|\\d+) (-|\\d+)\r\n");

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
                    Long.parseUnsignedLong(m.group(5)), Integer.parseInt(m.group(6)), Long.parseLong(m.group(7)), o, n));
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
}
