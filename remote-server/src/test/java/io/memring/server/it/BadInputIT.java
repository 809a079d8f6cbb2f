package io.memring.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.server.MemringServer;
import io.memring.server.ServerConfig;
import io.memring.testing.RawClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile and malformed input on real sockets: each case gets memcached's reply or a clean close,
 * and afterwards the node still serves a second client and still holds the item stored before.
 */
class BadInputIT {
    private static MemringServer node;

    @BeforeAll
    static void start() throws Exception {
        node = MemringServer.start(ServerConfig.defaults().withPort(0));
        try (RawClient c = new RawClient(node.port())) {
            assertThat(c.roundTrip("set survivor 0 0 8\r\nstill-ok\r\n", "\r\n")).isEqualTo("STORED\r\n");
        }
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @AfterEach
    void nodeStillServesAndLostNothing() throws IOException {
        try (RawClient c = new RawClient(node.port())) {
            assertThat(c.roundTrip("get survivor\r\n", "END\r\n")).isEqualTo("VALUE survivor 0 8\r\nstill-ok\r\nEND\r\n");
        }
    }

    private static String exchange(String request, String until) throws IOException {
        try (RawClient c = new RawClient(node.port())) {
            return c.roundTrip(request, until);
        }
    }

    private static boolean closesWithoutReply(String request) throws IOException {
        try (RawClient c = new RawClient(node.port())) {
            c.send(request);
            c.readFor(3000);
            return c.closedByServer() && c.text().isEmpty();
        }
    }

    @Test
    void keyOf251Bytes_isRefused() throws IOException {
        assertThat(exchange("set " + "k".repeat(251) + " 0 0 1\r\nx\r\n", "ERROR\r\n"))
                .isEqualTo("CLIENT_ERROR bad command line format\r\nERROR\r\n");
    }

    @Test
    void keyWithControlCharacters_isAcceptedAsMemcachedDoes() throws IOException {
        assertThat(exchange("set a\u0001\u007fb 0 0 1\r\nx\r\nget a\u0001\u007fb\r\n", "END\r\n"))
                .isEqualTo("STORED\r\nVALUE a\u0001\u007fb 0 1\r\nx\r\nEND\r\n");
    }

    @Test
    void valueLongerOrShorterThanDeclared_isABadDataChunk() throws IOException {
        assertThat(exchange("set bad1 0 0 3\r\nabcde\r\nget bad1\r\n", "END\r\n"))
                .isEqualTo("CLIENT_ERROR bad data chunk\r\nERROR\r\nEND\r\n");
        assertThat(exchange("set bad2 0 0 5\r\nab\r\nmn\r\nmn\r\n", "MN\r\n"))
                .isEqualTo("CLIENT_ERROR bad data chunk\r\nERROR\r\nMN\r\n");
    }

    @Test
    void dataBlockEndingInBareNewline_isABadDataChunk() throws IOException {
        assertThat(exchange("set bad3 0 0 3\r\nabc\nget bad3\r\n", "ERROR\r\n"))
                .isEqualTo("CLIENT_ERROR bad data chunk\r\nERROR\r\n");
    }

    @Test
    void negativeAndHugeLengths() throws IOException {
        assertThat(exchange("set neg 0 0 -5\r\nmn\r\n", "MN\r\n")).isEqualTo("CLIENT_ERROR bad command line format\r\nMN\r\n");
        assertThat(exchange("set huge 0 0 99999999999\r\nmn\r\n", "MN\r\n")).isEqualTo("CLIENT_ERROR bad command line format\r\nMN\r\n");
        // Too large to store: refused at once, and the promised bytes are discarded as they arrive.
        try (RawClient c = new RawClient(node.port())) {
            c.send("set big 0 0 2000000000\r\n");
            assertThat(c.readUntil("\r\n", 3000)).isEqualTo("SERVER_ERROR object too large for cache\r\n");
            c.send(new byte[1_000_000]);
        }
    }

    @Test
    void lineOf2kWithoutNewline_closesTheConnection() throws IOException {
        assertThat(closesWithoutReply("set " + "x".repeat(3000))).isTrue();
    }

    @Test
    void fourteenThousandSpaces_closesTheConnection() throws IOException {
        assertThat(closesWithoutReply(" ".repeat(14_000))).isTrue();
    }

    @Test
    void httpRequest_closesTheConnection() throws IOException {
        assertThat(closesWithoutReply("GET / HTTP/1.0\r\n\r\n")).isTrue();
    }

    @Test
    void binaryProtocolRequest_closesTheConnection() throws IOException {
        byte[] binaryGet = new byte[24 + 3];
        binaryGet[0] = (byte) 0x80; // request magic
        binaryGet[2] = 0;
        binaryGet[3] = 3; // key length
        binaryGet[11] = 3; // total body length
        binaryGet[24] = 'k';
        try (RawClient c = new RawClient(node.port())) {
            c.send(binaryGet);
            c.readFor(3000);
            assertThat(c.closedByServer()).isTrue();
            assertThat(c.text()).isEmpty();
        }
    }

    @Test
    void unknownCommand_isError() throws IOException {
        assertThat(exchange("frobnicate now\r\n", "\r\n")).isEqualTo("ERROR\r\n");
    }

    @Test
    void metaFlagErrors() throws IOException {
        assertThat(exchange("mg k v Y\r\n", "\r\n")).isEqualTo("CLIENT_ERROR invalid flag\r\n");
        assertThat(exchange("mg k v v\r\n", "\r\n")).isEqualTo("CLIENT_ERROR duplicate flag\r\n");
        assertThat(exchange("mg k O" + "9".repeat(33) + "\r\n", "\r\n")).isEqualTo("CLIENT_ERROR opaque token too long\r\n");
        assertThat(exchange("mg %%%% b v\r\n", "\r\n")).isEqualTo("CLIENT_ERROR error decoding key\r\n");
    }

    @Test
    void incrOnNonNumeric_andVerbosityWithoutArgument() throws IOException {
        assertThat(exchange("set word 0 0 4\r\nword\r\nincr word 1\r\n", "value\r\n"))
                .isEqualTo("STORED\r\nCLIENT_ERROR cannot increment or decrement non-numeric value\r\n");
        assertThat(exchange("verbosity\r\n", "\r\n")).isEqualTo("ERROR\r\n");
    }

    @Test
    void randomGarbage_getsErrorsOrAClose() throws IOException {
        Random random = new Random(42);
        for (int round = 0; round < 10; round++) {
            byte[] junk = new byte[4096];
            random.nextBytes(junk);
            try (RawClient c = new RawClient(node.port())) {
                c.send(junk);
                String reply = c.readFor(200);
                assertThat(reply.isEmpty() || reply.contains("ERROR")).as("round %d: %s", round, reply).isTrue();
            }
        }
    }

    @Test
    void hugeMultiGetFromAClientThatNeverReads_isThrottled() throws Exception {
        try (RawClient writer = new RawClient(node.port())) {
            assertThat(writer.roundTrip("set blob 0 0 500000\r\n" + "b".repeat(500_000) + "\r\n", "\r\n")).isEqualTo("STORED\r\n");
        }
        long writtenBefore = node.stats().bytesWritten.sum();
        List<RawClient> greedy = new ArrayList<>();
        try {
            // 3 clients each ask for 2,000 x 500 KB = 1 GB and never read a byte.
            String request = "get" + " blob".repeat(2000) + "\r\n";
            for (int i = 0; i < 3; i++) {
                RawClient c = new RawClient(node.port());
                greedy.add(c);
                c.send(request);
            }
            Thread.sleep(1500);
            long written = node.stats().bytesWritten.sum() - writtenBefore;
            assertThat(written).as("bytes handed to sockets for non-readers").isLessThan(3L * 64 * 1024 * 1024);
            assertThat(node.stats().connYields.sum()).isGreaterThan(0);
            // Others are still served promptly meanwhile.
            try (RawClient other = new RawClient(node.port())) {
                assertThat(other.roundTrip("get survivor\r\n", "END\r\n")).endsWith("still-ok\r\nEND\r\n");
            }
        } finally {
            for (RawClient c : greedy) {
                c.close();
            }
        }
    }

    @Test
    void moreConnectionsThanTheLimit_areToldAndClosed() throws Exception {
        try (MemringServer small = MemringServer.start(ServerConfig.defaults().withPort(0).withMaxConnections(3))) {
            List<RawClient> admitted = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    RawClient c = new RawClient(small.port());
                    admitted.add(c);
                    assertThat(c.roundTrip("version\r\n", "\r\n")).startsWith("VERSION ");
                }
                try (RawClient extra = new RawClient(small.port())) {
                    extra.send("version\r\n");
                    assertThat(extra.readFor(2000)).isEqualTo("ERROR Too many open connections\r\n");
                    assertThat(extra.closedByServer()).isTrue();
                }
                assertThat(admitted.get(0).roundTrip("version\r\n", "\r\n")).startsWith("VERSION ");
                admitted.remove(0).close();
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                        .until(() -> small.stats().currConnections.get() == 2);
                try (RawClient again = new RawClient(small.port())) {
                    assertThat(again.roundTrip("version\r\n", "\r\n")).startsWith("VERSION ");
                }
                assertThat(small.stats().rejectedConnections.sum()).isEqualTo(1);
            } finally {
                for (RawClient c : admitted) {
                    c.close();
                }
            }
        }
    }
}
