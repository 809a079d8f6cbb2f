package io.memring.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.server.storage.StorageConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TextProtocolTest {
    private final EmbeddedNode node = new EmbeddedNode();

    @AfterEach
    void close() {
        node.close();
    }

    @Test
    void set_thenGet_returnsValueWithFlags() {
        assertThat(node.send("set k 5 0 3\r\nabc\r\n")).isEqualTo("STORED\r\n");
        assertThat(node.send("get k\r\n")).isEqualTo("VALUE k 5 3\r\nabc\r\nEND\r\n");
    }

    @Test
    void replyBuffer_isReusedOnceReleased_andNeverWhileTheChannelHoldsIt() {
        node.send("set a 0 0 1\r\n1\r\nset b 0 0 2\r\n22\r\n");
        var ch = node.channel;
        ch.writeInbound(io.netty.buffer.Unpooled.copiedBuffer("get a\r\n", java.nio.charset.StandardCharsets.ISO_8859_1));
        io.netty.buffer.ByteBuf first = ch.readOutbound();
        ch.writeInbound(io.netty.buffer.Unpooled.copiedBuffer("get b\r\n", java.nio.charset.StandardCharsets.ISO_8859_1));
        io.netty.buffer.ByteBuf second = ch.readOutbound();
        // the first reply is still held (not released): the second must be another buffer
        assertThat(second).isNotSameAs(first);
        assertThat(first.toString(java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("VALUE a 0 1\r\n1\r\nEND\r\n");
        assertThat(second.toString(java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("VALUE b 0 2\r\n22\r\nEND\r\n");
        first.release();
        second.release();
        ch.writeInbound(io.netty.buffer.Unpooled.copiedBuffer("get a\r\n", java.nio.charset.StandardCharsets.ISO_8859_1));
        io.netty.buffer.ByteBuf third = ch.readOutbound();
        // released by the channel (written): the kept buffer serves the next reply
        assertThat(third).isSameAs(first);
        assertThat(third.toString(java.nio.charset.StandardCharsets.ISO_8859_1)).isEqualTo("VALUE a 0 1\r\n1\r\nEND\r\n");
        third.release();
    }

    @Test
    void get_missingKey_returnsOnlyEnd() {
        assertThat(node.send("get nope\r\n")).isEqualTo("END\r\n");
    }

    @Test
    void get_manyKeys_returnsHitsInOrder() {
        node.send("set a 0 0 1\r\n1\r\nset c 0 0 1\r\n3\r\n");
        assertThat(node.send("get a b c\r\n")).isEqualTo("VALUE a 0 1\r\n1\r\nVALUE c 0 1\r\n3\r\nEND\r\n");
    }

    @Test
    void gets_returnsCas_andCasCommandHonoursIt() {
        node.send("set k 0 0 1\r\nx\r\n");
        String reply = node.send("gets k\r\n");
        assertThat(reply).matches("VALUE k 0 1 \\d+\r\nx\r\nEND\r\n");
        String cas = reply.split("[ \r]")[4];
        assertThat(node.send("cas k 0 0 1 " + cas + "\r\ny\r\n")).isEqualTo("STORED\r\n");
        assertThat(node.send("cas k 0 0 1 " + cas + "\r\nz\r\n")).isEqualTo("EXISTS\r\n");
        assertThat(node.send("cas nope 0 0 1 1\r\nz\r\n")).isEqualTo("NOT_FOUND\r\n");
        assertThat(node.send("get k\r\n")).isEqualTo("VALUE k 0 1\r\ny\r\nEND\r\n");
    }

    @Test
    void addReplaceAppendPrepend_followMemcachedRules() {
        assertThat(node.send("replace k 0 0 1\r\nx\r\n")).isEqualTo("NOT_STORED\r\n");
        assertThat(node.send("append k 0 0 1\r\nx\r\n")).isEqualTo("NOT_STORED\r\n");
        assertThat(node.send("add k 7 0 2\r\nbb\r\n")).isEqualTo("STORED\r\n");
        assertThat(node.send("add k 0 0 1\r\nx\r\n")).isEqualTo("NOT_STORED\r\n");
        assertThat(node.send("append k 0 0 2\r\ncc\r\n")).isEqualTo("STORED\r\n");
        assertThat(node.send("prepend k 0 0 2\r\naa\r\n")).isEqualTo("STORED\r\n");
        // append/prepend keep the original flags
        assertThat(node.send("get k\r\n")).isEqualTo("VALUE k 7 6\r\naabbcc\r\nEND\r\n");
        assertThat(node.send("replace k 1 0 1\r\nz\r\n")).isEqualTo("STORED\r\n");
        assertThat(node.send("get k\r\n")).isEqualTo("VALUE k 1 1\r\nz\r\nEND\r\n");
    }

    @Test
    void delete_andItsLegacyZeroArgument() {
        node.send("set k 0 0 1\r\nx\r\n");
        assertThat(node.send("delete k 0\r\n")).isEqualTo("DELETED\r\n");
        assertThat(node.send("delete k\r\n")).isEqualTo("NOT_FOUND\r\n");
        assertThat(node.send("delete k 5\r\n")).isEqualTo("CLIENT_ERROR bad command line format.  Usage: delete <key> [noreply]\r\n");
    }

    @Test
    void incrDecr_wrapAt2To64_floorAtZero_andPadInPlace() {
        node.send("set n 0 0 20\r\n18446744073709551615\r\n");
        assertThat(node.send("incr n 2\r\n")).isEqualTo("1\r\n");
        node.send("set m 0 0 2\r\n10\r\n");
        assertThat(node.send("decr m 1\r\n")).isEqualTo("9\r\n");
        assertThat(node.send("get m\r\n")).isEqualTo("VALUE m 0 2\r\n9 \r\nEND\r\n");
        assertThat(node.send("decr m 100\r\n")).isEqualTo("0\r\n");
        assertThat(node.send("incr m 12345\r\n")).isEqualTo("12345\r\n");
        assertThat(node.send("incr nope 1\r\n")).isEqualTo("NOT_FOUND\r\n");
        node.send("set s 0 0 3\r\nabc\r\n");
        assertThat(node.send("incr s 1\r\n")).isEqualTo("CLIENT_ERROR cannot increment or decrement non-numeric value\r\n");
        assertThat(node.send("incr m -1\r\n")).isEqualTo("CLIENT_ERROR invalid numeric delta argument\r\n");
    }

    @Test
    void expiry_relativeAbsoluteNegativeAndNever() {
        long unixNow = node.clock.processStarted() + node.clock.now();
        node.send("set rel 0 10 1\r\nx\r\nset abs 0 " + (unixNow + 5) + " 1\r\nx\r\nset neg 0 -1 1\r\nx\r\nset never 0 0 1\r\nx\r\n");
        assertThat(node.send("get neg\r\n")).isEqualTo("END\r\n");
        node.clock.advance(5);
        assertThat(node.send("get abs\r\n")).isEqualTo("END\r\n");
        assertThat(node.send("get rel\r\n")).startsWith("VALUE rel");
        node.clock.advance(5);
        assertThat(node.send("get rel\r\n")).isEqualTo("END\r\n");
        node.clock.advance(100_000);
        assertThat(node.send("get never\r\n")).startsWith("VALUE never");
    }

    @Test
    void touchAndGat_extendLife() {
        node.send("set k 0 2 1\r\nx\r\nset j 0 2 1\r\ny\r\n");
        assertThat(node.send("touch k 100\r\n")).isEqualTo("TOUCHED\r\n");
        assertThat(node.send("gat 100 j\r\n")).isEqualTo("VALUE j 0 1\r\ny\r\nEND\r\n");
        assertThat(node.send("touch nope 1\r\n")).isEqualTo("NOT_FOUND\r\n");
        node.clock.advance(10);
        assertThat(node.send("get k j\r\n")).isEqualTo("VALUE k 0 1\r\nx\r\nVALUE j 0 1\r\ny\r\nEND\r\n");
        assertThat(node.send("gats 1 k\r\n")).matches("VALUE k 0 1 \\d+\r\nx\r\nEND\r\n");
        assertThat(node.send("gat abc k\r\n")).isEqualTo("CLIENT_ERROR invalid exptime argument\r\n");
    }

    @Test
    void noreply_suppressesRepliesButStillStores() {
        assertThat(node.send("set k 0 0 1 noreply\r\nx\r\nadd k 0 0 1 noreply\r\ny\r\nincr k 1 noreply\r\n")).isEmpty();
        assertThat(node.send("delete nope noreply\r\nget k\r\n")).isEqualTo("VALUE k 0 1\r\nx\r\nEND\r\n");
        assertThat(node.send("flush_all noreply\r\nget k\r\n")).isEqualTo("END\r\n");
    }

    @Test
    void pipelinedCommandsInOneRead_answerInOrder() {
        assertThat(node.send("set a 0 0 1\r\n1\r\nget a\r\ndelete a\r\nget a\r\nversion\r\n"))
                .startsWith("STORED\r\nVALUE a 0 1\r\n1\r\nEND\r\nDELETED\r\nEND\r\nVERSION ");
    }

    @Test
    void commandSplitAcrossReads_isReassembled() {
        assertThat(node.send("se")).isEmpty();
        assertThat(node.send("t k 0 0 5\r\nab")).isEmpty();
        assertThat(node.send("cde\r")).isEmpty();
        assertThat(node.send("\nget k\n")).isEqualTo("STORED\r\nVALUE k 0 5\r\nabcde\r\nEND\r\n");
    }

    @Test
    void flushAll_invalidatesEverything_delayedFlushIsScheduled() {
        node.send("set a 0 0 1\r\n1\r\n");
        assertThat(node.send("flush_all\r\n")).isEqualTo("OK\r\n");
        assertThat(node.send("get a\r\n")).isEqualTo("END\r\n");
        assertThat(node.send("flush_all 10\r\n")).isEqualTo("OK\r\n");
        assertThat(node.flushes).isEqualTo(2);
        assertThat(node.send("flush_all x\r\n")).isEqualTo("CLIENT_ERROR invalid exptime argument\r\n");
    }

    @Test
    void verbosityAndVersion() {
        assertThat(node.send("verbosity 1\r\n")).isEqualTo("OK\r\n");
        assertThat(node.verbosity).isEqualTo(1);
        assertThat(node.send("verbosity\r\n")).isEqualTo("ERROR\r\n");
        assertThat(node.send("verbosity x\r\n")).isEqualTo("CLIENT_ERROR bad command line format\r\n");
        assertThat(node.send("version\r\n")).startsWith("VERSION 1.6.18");
    }

    @Test
    void stats_reportMemcachedNames() {
        node.send("set a 0 0 1\r\n1\r\nget a\r\nget b\r\n");
        String stats = node.send("stats\r\n");
        assertThat(stats).contains("STAT curr_items 1\r\n", "STAT get_hits 1\r\n", "STAT get_misses 1\r\n",
                "STAT cmd_get 2\r\n", "STAT cmd_set 1\r\n", "STAT limit_maxbytes 67108864\r\n", "STAT evictions 0\r\n")
                .contains("STAT pid ", "STAT uptime ", "STAT curr_connections ", "STAT total_items 1\r\n", "STAT bytes ")
                .containsPattern("STAT rusage_user \\d+\\.\\d{6}\r\nSTAT rusage_system \\d+\\.\\d{6}\r\n")
                .endsWith("END\r\n");
        assertThat(node.send("stats reset\r\n")).isEqualTo("RESET\r\n");
        assertThat(node.send("stats\r\n")).contains("STAT get_hits 0\r\n");
        assertThat(node.send("stats settings\r\n")).contains("STAT maxbytes 67108864\r\n", "STAT item_size_max 1048576\r\n");
        assertThat(node.send("stats bogus\r\n")).isEqualTo("ERROR\r\n");
    }

    @Test
    void statsCachedump_listsOneSlabClass_withMemcachedsErrors() {
        node.send("set a 0 0 1\r\nx\r\nset bb 0 100 3\r\nxyz\r\n");
        long started = node.clock.processStarted();
        assertThat(node.send("stats cachedump 1 0\r\n")).contains("ITEM a [1 b; 0 s]\r\n", "ITEM bb [3 b; " + (started + 102) + " s]\r\n")
                .endsWith("END\r\n");
        assertThat(node.send("stats cachedump 1 1\r\n").split("ITEM ")).hasSize(2);
        assertThat(node.send("stats cachedump 0 0\r\n")).isEqualTo("END\r\n");
        assertThat(node.send("stats cachedump 5 0\r\n")).isEqualTo("END\r\n");
        assertThat(node.send("stats cachedump 64 0\r\n")).isEqualTo("CLIENT_ERROR Illegal slab id\r\n");
        assertThat(node.send("stats cachedump x 0\r\n")).isEqualTo("CLIENT_ERROR bad command line format\r\n");
        assertThat(node.send("stats cachedump 1\r\n")).isEqualTo("CLIENT_ERROR bad command line\r\n");
    }

    @Test
    void quit_closesConnection() {
        node.send("quit\r\n");
        assertThat(node.channel.isOpen()).isFalse();
    }

    @Test
    void metadump_listsLiveItemsInMemcachedFormat() {
        node.send("set a%b 0 0 1\r\n1\r\nset c 0 100 2\r\n22\r\nset dead 0 -1 1\r\n1\r\n");
        String dump = node.send("lru_crawler metadump all\r\n");
        long started = node.clock.processStarted();
        assertThat(dump).endsWith("END\r\n")
                .contains("key=a%25b exp=-1 la=" + (started + 2) + " cas=")
                .contains("key=c exp=" + (started + 102) + " la=")
                .doesNotContain("key=dead");
        assertThat(dump.split("\n")).hasSize(3);
        assertThat(dump).matches("(?s)(key=\\S+ exp=-?\\d+ la=\\d+ cas=\\d+ fetch=(yes|no) cls=\\d+ size=\\d+\n)+END\r\n");
    }

    @Test
    void largeMultiGet_isStreamedCompletely() {
        String value = "v".repeat(1000);
        StringBuilder keys = new StringBuilder("get");
        for (int i = 0; i < 1000; i++) {
            node.send("set key" + i + " 0 0 1000 noreply\r\n" + value + "\r\n");
            keys.append(" key").append(i);
        }
        String reply = node.send(keys + "\r\n");
        assertThat(reply).startsWith("VALUE key0 0 1000\r\n").endsWith("VALUE key999 0 1000\r\n" + value + "\r\nEND\r\n");
        assertThat(reply.split("VALUE ")).hasSize(1001);
    }

    @Test
    void tooLargeValue_isRefusedAndSwallowed_oldValueRemoved() {
        EmbeddedNode small = new EmbeddedNode(StorageConfig.defaults().withMaxItemSize(2048));
        try {
            small.send("set k 0 0 1\r\nx\r\n");
            String big = "x".repeat(4000);
            assertThat(small.send("set k 0 0 4000\r\n" + big + "\r\nget k\r\n"))
                    .isEqualTo("SERVER_ERROR object too large for cache\r\nEND\r\n");
        } finally {
            small.close();
        }
    }
}
