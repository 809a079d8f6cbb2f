package io.memring.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.server.MemringServer;
import io.memring.server.ServerConfig;
import io.memring.testing.RawClient;
import io.memring.testing.StockMemcached;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Storage corners where memcached 1.6.18 defines the answer: the same requests go to stock memcached
 * and to our node, and the replies must match. Tests that flush run one at a time on both servers.
 */
class StorageParityIT {
    private static StockMemcached memcached;
    private static MemringServer node;

    @BeforeAll
    static void start() throws Exception {
        memcached = StockMemcached.start();
        node = MemringServer.start(ServerConfig.defaults().withPort(0));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        if (memcached != null) {
            memcached.close();
        }
    }

    /** Runs {@code scenario} against both servers at once and returns {memcached's answer, ours}. */
    private static String[] both(Function<RawClient, String> scenario) throws Exception {
        try (RawClient m = new RawClient(memcached.port); RawClient n = new RawClient(node.port())) {
            CompletableFuture<String> theirs = CompletableFuture.supplyAsync(() -> scenario.apply(m));
            String ours = scenario.apply(n);
            return new String[] {theirs.get(60, TimeUnit.SECONDS), ours};
        }
    }

    private static String rt(RawClient c, String request, String suffix) {
        try {
            return c.roundTrip(request, suffix);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void incr_afterFlushAllAndSetAgain_answersTheSumForEveryKeyLength() throws Exception {
        String[] replies = both(c -> {
            StringBuilder setAll = new StringBuilder();
            for (int n = 1; n <= 250; n++) {
                setAll.append("set ").append("x".repeat(n)).append(" 0 0 1 noreply\r\n0\r\n");
            }
            rt(c, setAll + "flush_all\r\n", "OK\r\n");
            StringBuilder answers = new StringBuilder();
            for (int n = 1; n <= 250; n++) {
                String k = "x".repeat(n);
                answers.append(n).append(':').append(rt(c, "set " + k + " 0 0 1\r\n0\r\nincr " + k + " 10\r\n", "\r\n10\r\n"));
            }
            return answers.toString();
        });
        assertThat(replies[1]).isEqualTo(replies[0]).doesNotContain("NOT_FOUND");
    }

    @Test
    void arithmetic_withDeltaAtLeast2To63_answersTheSum() throws Exception {
        String request = "set big 0 0 1\r\n0\r\nincr big 18446744073709551610\r\nincr big 10\r\n"
                + "decr big 9223372036854775808\r\nset mbig 0 0 2\r\n10\r\nma mbig D18446744073709551610 v\r\n"
                + "ma mbig MD D9223372036854775808 v\r\nmn\r\n";
        String[] replies = both(c -> rt(c, request, "MN\r\n"));
        assertThat(replies[1]).isEqualTo(replies[0]).contains("18446744073709551610\r\n4\r\n0\r\n");
    }

    @Test
    void delayedFlush_laterFlushNowCancelsIt_andUnixTimesAreAbsolute() throws Exception {
        String[] replies = both(c -> {
            StringBuilder answers = new StringBuilder();
            // a delayed flush, replaced by an immediate one: what is written afterwards survives
            answers.append(rt(c, "set a 0 0 1\r\n1\r\nflush_all 2\r\nflush_all 0\r\nset b 0 0 1\r\n2\r\n", "STORED\r\nOK\r\nOK\r\nSTORED\r\n"));
            pause(3_100);
            answers.append(rt(c, "get a b\r\n", "END\r\n"));
            // a delay over 30 days is a unix time
            long unixNow = System.currentTimeMillis() / 1000;
            answers.append(rt(c, "flush_all " + (unixNow + 3) + "\r\nget b\r\n", "END\r\n"));
            pause(4_100);
            answers.append(rt(c, "get b\r\nflush_all -1\r\nflush_all x\r\n", "argument\r\n"));
            return answers.toString();
        });
        assertThat(replies[1]).isEqualTo(replies[0]).contains("VALUE b 0 1\r\n2\r\nEND\r\nOK\r\nVALUE b 0 1\r\n2\r\nEND");
    }

    @Test
    void manyDelayedFlushes_leaveTheNodeAnswering() throws IOException {
        try (RawClient n = new RawClient(node.port())) {
            String line = "flush_all 2000000 noreply\r\n";
            byte[] chunk = line.repeat(10_000).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            for (int i = 0; i < 40; i++) { // ~10 MB
                n.send(chunk);
            }
            assertThat(n.roundTrip("flush_all 0\r\nset k 0 0 1\r\nv\r\nget k\r\n", "END\r\n"))
                    .isEqualTo("OK\r\nSTORED\r\nVALUE k 0 1\r\nv\r\nEND\r\n");
        }
    }

    @Test
    void nulInACommandLine_endsTheLineThere_asMemcachedReadsIt() throws Exception {
        String request = "set k 0 0 1\r\nv\r\n"
                + "get k\0b\r\n" // get k
                + "set a\0b 0 0 1\r\nx\r\n" // "set a": ERROR, then the block is a line: ERROR
                + "get a\r\n"
                + "delete a\0b\r\nincr k\0b 1\r\ntouch k\0b 1\r\n"
                + "mg k\0b v\r\nms a\0b 1\r\nx\r\n\0get k\r\n"
                + "get k\0 k\r\nversion\0junk\r\nmn\r\n";
        String[] replies = both(c -> rt(c, request, "MN\r\n"));
        assertThat(replies[1].replaceAll("VERSION \\S+", "VERSION"))
                .isEqualTo(replies[0].replaceAll("VERSION \\S+", "VERSION"))
                .startsWith("STORED\r\nVALUE k 0 1\r\nv\r\nEND\r\nERROR\r\nERROR\r\nEND\r\n");
    }

    @Test
    void nulInAStreamedGetLine_endsItsKeys() throws Exception {
        String keys = " nokey".repeat(500); // over 2048 bytes: the node answers such a line key by key
        String request = "set k 0 0 1\r\nv\r\nget" + keys + " k\0 k k\r\nget" + keys + " k\r\nmn\r\n";
        String[] replies = both(c -> rt(c, request, "MN\r\n"));
        assertThat(replies[1]).isEqualTo(replies[0])
                .isEqualTo("STORED\r\nVALUE k 0 1\r\nv\r\nEND\r\nVALUE k 0 1\r\nv\r\nEND\r\nMN\r\n");
    }

    @Test
    void metaSetFlags_over32Bits_keepTheLow32BitsAsMemcached() throws Exception {
        String request = "ms f1 1 F99999999999\r\nx\r\nmg f1 f v\r\n"
                + "ms f2 1 F4294967296\r\nx\r\nmg f2 f\r\n"
                + "ms f3 1 F18446744073709551615\r\nx\r\nmg f3 f\r\n"
                + "ms f4 1 F18446744073709551616\r\nx\r\nms f5 1 F-1\r\nx\r\nms f6 1 F+5\r\nx\r\nmg f6 f\r\n"
                + "ms f1 1 MA F99999999999\r\ny\r\nmg f1 f v\r\nmn\r\n";
        String[] replies = both(c -> rt(c, request, "MN\r\n"));
        assertThat(replies[1]).isEqualTo(replies[0]).startsWith("HD\r\nVA 1 f1215752191\r\nx\r\nHD\r\nHD f0\r\n");
    }

    /** The stat names of a reply, class ids taken out ("items:7:number" → "items:number"), in first-seen order. */
    private static List<String> names(String reply) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String line : reply.split("\r\n")) {
            if (line.startsWith("STAT ")) {
                names.add(line.split(" ")[1].replaceAll("(^|:)\\d+:", "$1"));
            }
        }
        return new ArrayList<>(names);
    }

    @Test
    void statsItemsAndSlabs_useMemcachedsNamesInItsOrder() throws Exception {
        String[] items = both(c -> rt(c, "set names 0 0 1\r\nx\r\nget names\r\nstats items\r\n", "hits_to_temp 0\r\nEND\r\n"));
        String[] slabs = both(c -> rt(c, "stats slabs\r\n", "END\r\n"));
        assertThat(names(items[1])).isEqualTo(names(items[0])).contains("items:number", "items:mem_requested",
                "items:evicted_time", "items:outofmemory", "items:number_cold");
        assertThat(names(slabs[1])).isEqualTo(names(slabs[0])).contains("used_chunks", "free_chunks", "get_hits", "cmd_set");
    }
}
