package io.memring.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.server.storage.StorageConfig;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Storage corners seen through the protocol (answers checked against memcached 1.6.18 by hand and in StorageParityIT). */
class StorageCornersTest {
    private final EmbeddedNode node = new EmbeddedNode();

    @AfterEach
    void close() {
        node.close();
    }

    @Test
    void incr_deltaAtLeast2To63_answersTheSum() {
        node.send("set k 0 0 1\r\n0\r\n");
        assertThat(node.send("incr k 18446744073709551610\r\n")).isEqualTo("18446744073709551610\r\n");
        assertThat(node.send("incr k 10\r\n")).isEqualTo("4\r\n");
        assertThat(node.send("decr k 9223372036854775808\r\n")).isEqualTo("0\r\n");
        node.send("set m 0 0 2\r\n10\r\n");
        assertThat(node.send("ma m D18446744073709551610 v\r\n")).isEqualTo("VA 1\r\n4\r\n");
        assertThat(node.send("ma m MD D9223372036854775808 v\r\n")).isEqualTo("VA 1\r\n0\r\n");
    }

    private static long stat(String reply, String name) {
        Matcher m = Pattern.compile("STAT " + Pattern.quote(name) + " (\\d+)\r\n").matcher(reply);
        assertThat(m.find()).as(name + " in " + reply).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void statsItems_reportsEachItemUnderItsOwnClass() {
        node.send("set small 0 0 1\r\nx\r\nset big 0 0 5000\r\n" + "y".repeat(5000) + "\r\nget small\r\n");
        String items = node.send("stats items\r\n");
        String slabs = node.send("stats slabs\r\n");
        int bigClass = node.storage.slabClasses().classFor(43 + 3 + 5000) + 1;
        assertThat(stat(items, "items:1:number")).isEqualTo(1);
        assertThat(stat(items, "items:" + bigClass + ":number")).isEqualTo(1);
        assertThat(stat(items, "items:" + bigClass + ":mem_requested")).isEqualTo(43 + 3 + 5000);
        assertThat(stat(items, "items:1:hits_to_cold")).isEqualTo(1);
        assertThat(stat(slabs, "1:used_chunks")).isEqualTo(1);
        assertThat(stat(slabs, "1:free_chunks")).isEqualTo(stat(slabs, "1:total_chunks") - 1);
        assertThat(stat(slabs, "1:get_hits")).isEqualTo(1);
        assertThat(stat(slabs, "1:cmd_set")).isEqualTo(1);
        assertThat(stat(slabs, bigClass + ":cmd_set")).isEqualTo(1);
        assertThat(stat(slabs, "active_slabs")).isEqualTo(2);
    }

    @Test
    void statsReset_clearsTheItemAndSlabCounters() {
        try (EmbeddedNode small = new EmbeddedNode(StorageConfig.defaults().withMemoryLimit(1024 * 1024).withShards(1))) {
            String value = "v".repeat(100_000);
            for (int i = 0; i < 20; i++) {
                small.send("set k" + i + " 0 0 100000\r\n" + value + "\r\n");
            }
            small.send("get k19\r\n");
            int c = small.storage.slabClasses().classFor(43 + 3 + 100_000) + 1;
            String before = small.send("stats items\r\n");
            assertThat(stat(before, "items:" + c + ":evicted")).isGreaterThan(0);
            assertThat(stat(before, "items:" + c + ":evicted_unfetched")).isGreaterThan(0);
            assertThat(small.send("stats reset\r\n")).isEqualTo("RESET\r\n");
            String after = small.send("stats items\r\n");
            assertThat(stat(after, "items:" + c + ":evicted")).isZero();
            assertThat(stat(after, "items:" + c + ":evicted_unfetched")).isZero();
            assertThat(stat(after, "items:" + c + ":number")).isEqualTo(stat(before, "items:" + c + ":number"));
            assertThat(stat(small.send("stats slabs\r\n"), c + ":get_hits")).isZero();
        }
    }

    @Test
    void append_whoseOnlyPageHoldsTheOldItem_answersAndKeepsTheConnection() {
        try (EmbeddedNode small = new EmbeddedNode(StorageConfig.defaults().withMemoryLimit(1024 * 1024).withShards(1))) {
            StringBuilder fill = new StringBuilder();
            for (int i = 0; i < 16_384; i++) { // 64-byte chunks: one page
                fill.append(String.format("set k%05d 0 0 15 noreply\r\n%s\r\n", i, "v".repeat(15)));
            }
            small.send(fill.toString());
            // the grown item needs another class, and the only page holds the item itself: that class
            // gets its first page past -m, as in memcached, rather than this one
            String reply = small.send("append k16383 0 0 100\r\n" + "x".repeat(100) + "\r\nmn\r\n");
            assertThat(reply).isEqualTo("STORED\r\nMN\r\n");
            assertThat(small.send("get k16383\r\n"))
                    .isEqualTo("VALUE k16383 0 115\r\n" + "v".repeat(15) + "x".repeat(100) + "\r\nEND\r\n");
            assertThat(small.send("get k00000\r\n")).startsWith("VALUE k00000 ");
            assertThat(small.channel.isOpen()).isTrue();
        }
    }
}
