package io.memring.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.server.MemringServer;
import io.memring.server.ServerConfig;
import io.memring.server.security.AuthThrottle;
import io.memring.server.security.Security;
import io.memring.testing.RawClient;
import io.memring.testing.StockMemcached;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -Y}: the same session, step by step, against stock memcached 1.6.18 started with the same auth
 * file and against our node gives the same bytes (unauthenticated commands, malformed and wrong
 * credentials, then text and meta commands once authenticated), and the same {@code auth_cmds} and
 * {@code auth_errors}. A flood of wrong passwords is throttled per address while an authenticated
 * client keeps being served.
 */
class AsciiAuthIT {
    @TempDir
    Path dir;

    /** One request and the text its complete reply ends with. */
    private record Step(String request, String replyEnd) {
    }

    private static final List<Step> FIRST_CONNECTION = List.of(
            new Step("get foo\r\n", "\r\n"),
            new Step("mg foo v\r\n", "\r\n"),
            new Step("version\r\n", "\r\n"),
            new Step("stats\r\n", "\r\n"),
            new Step("flush_all\r\n", "\r\n"),
            new Step("add a 0 0 12\r\n", "\r\n"),
            new Step("set a 0 0 -1\r\n", "\r\n"),
            new Step("set\r\n", "\r\n"),
            new Step("set foo 0 0 3\r\nbar\r\n", "\r\n"),            // one token: bad authentication token format
            new Step("set a 0 0 4\r\nabcdXY", "\r\n"),                 // the block does not end in \r\n
            new Step("set a 0 0 12\r\nalice:secret\r\n", "\r\n"),      // no space: bad authentication token format
            new Step("set a 0 0 10\r\nalice oops\r\n", "\r\n"),       // wrong password
            new Step("set a 0 0 11\r\nbob  secret\r\n", "\r\n"),      // another user's password
            new Step("set a 0 0 9\r\nalice sec\r\n", "\r\n"),         // a prefix of the password
            new Step("get foo\r\n", "\r\n"),                          // still open, still unauthenticated
            new Step("set a 0 0 12 noreply\r\nalice secret\r\n", "\r\n"), // STORED even with noreply
            new Step("set k 0 0 1\r\nv\r\nget k\r\nmg k v\r\nms m 2\r\nhi\r\nmg m s v\r\nmd k\r\nmn\r\n", "MN\r\n"),
            new Step("set x 0 0 10\r\nalice oops\r\n", "\r\n"),       // an ordinary set now
            new Step("get x k\r\n", "END\r\n"),
            new Step("delete x\r\n", "\r\n"));

    private static final List<Step> SECOND_CONNECTION = List.of(
            new Step("mg m v\r\n", "\r\n"),
            new Step("set a 0 0 13\r\nbob pw2 extra\r\n", "\r\n"),    // extra tokens are ignored, as memcached
            new Step("mg m v\r\n", "hi\r\n"),
            new Step("incr m 1\r\n", "\r\n"));

    private Path authFile() throws IOException {
        Path file = dir.resolve("auth");
        Files.writeString(file, "alice:secret\nbob:pw2\r\n");
        return file;
    }

    @Test
    void sameSession_sameBytesAsStockMemcached() throws Exception {
        Path file = authFile();
        try (StockMemcached stock = StockMemcached.start("-Y", file.toString());
             MemringServer node = MemringServer.start(ServerConfig.defaults().withPort(0)
                     .withSecurity(Security.none().withAuthFile(file)))) {
            List<String> expected = run(stock.port);
            List<String> actual = run(node.port());
            for (int i = 0; i < expected.size(); i++) {
                assertThat(actual.get(i)).as("reply %d", i).isEqualTo(expected.get(i));
            }
            assertThat(expected.get(0)).isEqualTo("CLIENT_ERROR unauthenticated\r\n");
            assertThat(expected).contains("CLIENT_ERROR authentication failure\r\n", "STORED\r\n");
            Map<String, String> stockStats = stats(stock.port);
            Map<String, String> ourStats = stats(node.port());
            assertThat(ourStats.get("auth_cmds")).isEqualTo(stockStats.get("auth_cmds"));
            assertThat(ourStats.get("auth_errors")).isEqualTo(stockStats.get("auth_errors")).isNotEqualTo("0");
            assertThat(settings(node.port())).contains("STAT auth_enabled_ascii " + file + "\r\n");
        }
    }

    /** Runs both connections' steps, each reply read whole before the next request is sent. */
    private static List<String> run(int port) throws IOException {
        List<String> replies = new ArrayList<>();
        for (List<Step> connection : List.of(FIRST_CONNECTION, SECOND_CONNECTION)) {
            try (RawClient c = new RawClient(port)) {
                for (Step s : connection) {
                    replies.add(c.roundTrip(s.request(), s.replyEnd()));
                }
            }
        }
        return replies;
    }

    @Test
    void floodOfWrongPasswords_isThrottledPerAddress_authenticatedClientsKeepWorking() throws Exception {
        Path file = authFile();
        try (MemringServer node = MemringServer.start(ServerConfig.defaults().withPort(0)
                .withSecurity(Security.none().withAuthFile(file)));
             RawClient authenticated = new RawClient(node.port())) {
            assertThat(authenticated.roundTrip("set a 0 0 12\r\nalice secret\r\n", "\r\n")).isEqualTo("STORED\r\n");
            assertThat(authenticated.roundTrip("set kept 0 0 2\r\nok\r\n", "\r\n")).isEqualTo("STORED\r\n");
            int attempts = AuthThrottle.BURST * 3;
            int closed = 0;
            for (int i = 0; i < attempts; i++) {
                try (RawClient guesser = new RawClient(node.port())) {
                    assertThat(guesser.roundTrip("set a 0 0 11\r\nalice guess\r\n", "\r\n"))
                            .isEqualTo("CLIENT_ERROR authentication failure\r\n");
                    guesser.readFor(50);
                    if (guesser.closedByServer()) {
                        closed++;
                    }
                }
                if (i % 10 == 9) { // served in the middle of the flood
                    assertThat(authenticated.roundTrip("get kept\r\n", "END\r\n")).isEqualTo("VALUE kept 0 2\r\nok\r\nEND\r\n");
                }
            }
            // the burst is checked; after it, attempts are refused unchecked and disconnected (a token may refill meanwhile)
            assertThat(closed).isBetween(attempts - AuthThrottle.BURST - 5, attempts - AuthThrottle.BURST);
            try (RawClient rightPassword = new RawClient(node.port())) {
                assertThat(rightPassword.roundTrip("set a 0 0 12\r\nalice secret\r\n", "\r\n"))
                        .as("the address is throttled, whoever tries").isEqualTo("CLIENT_ERROR authentication failure\r\n");
            }
            Map<String, String> s = statsAuthenticated(authenticated);
            assertThat(Long.parseLong(s.get("auth_errors"))).isEqualTo(attempts + 1);
            assertThat(Long.parseLong(s.get("memring_auth_throttled"))).isEqualTo(closed + 1);
            assertThat(authenticated.roundTrip("get kept\r\n", "END\r\n")).isEqualTo("VALUE kept 0 2\r\nok\r\nEND\r\n");
        }
    }

    private static Map<String, String> stats(int port) throws IOException {
        try (RawClient c = new RawClient(port)) {
            c.roundTrip("set a 0 0 7\r\nbob pw2\r\n", "\r\n");
            return statsAuthenticated(c);
        }
    }

    private static String settings(int port) throws IOException {
        try (RawClient c = new RawClient(port)) {
            c.roundTrip("set a 0 0 7\r\nbob pw2\r\n", "\r\n");
            return c.roundTrip("stats settings\r\n", "END\r\n");
        }
    }

    private static Map<String, String> statsAuthenticated(RawClient c) throws IOException {
        Map<String, String> out = new HashMap<>();
        for (String line : c.roundTrip("stats\r\n", "END\r\n").split("\r\n")) {
            String[] parts = line.split(" ", 3);
            if (parts.length == 3) {
                out.put(parts[1], parts[2]);
            }
        }
        return out;
    }
}
