package io.memring.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.server.MemringServer;
import io.memring.server.ServerConfig;
import io.memring.testing.RawClient;
import io.memring.testing.StockMemcached;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Monitoring written for memcached reads {@code stats} by name: stock memcached 1.6.18 (Debian's
 * build) and our node must print the same names in the same order, ours followed only by the
 * extras listed here, and answer the admin commands alike.
 */
class StatsParityIT {
    /** Names we print after memcached's general ones. */
    private static final List<String> GENERAL_EXTRAS = List.of("total_malloced", "watch_subscribers", "watch_events_sent",
            "watch_overflows", "watch_total_overflows", "watch_bytes", "watch_skipped");
    private static final List<String> SETTINGS_EXTRAS = List.of("memring_shards", "watch_buffer_bytes", "watch_total_bytes");

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

    private static Map<String, String> stats(int port, String command) throws IOException {
        try (RawClient c = new RawClient(port)) {
            String reply = c.roundTrip(command + "\r\n", "END\r\n");
            assertThat(reply).endsWith("END\r\n");
            Map<String, String> out = new LinkedHashMap<>();
            for (String line : reply.split("\r\n")) {
                if (line.startsWith("STAT ")) {
                    String[] p = line.split(" ", 3);
                    out.put(p[1], p.length > 2 ? p[2] : "");
                }
            }
            return out;
        }
    }

    private static List<String> withExtras(Iterable<String> names, List<String> extras) {
        List<String> out = new ArrayList<>();
        names.forEach(out::add);
        out.addAll(extras);
        return out;
    }

    @Test
    void generalStats_sameNamesInSameOrder() throws Exception {
        Map<String, String> theirs = stats(memcached.port, "stats");
        Map<String, String> ours = stats(node.port(), "stats");
        assertThat(new ArrayList<>(ours.keySet())).containsExactlyElementsOf(withExtras(theirs.keySet(), GENERAL_EXTRAS));
        assertThat(ours).containsEntry("malloc_fails", "0").containsEntry("listen_disabled_num", "0");
        assertThat(ours.get("lru_crawler_running")).isIn("0", "1"); // 1 while the once-a-second expiry sweep runs
        assertThat(Long.parseLong(ours.get("connection_structures"))).isGreaterThanOrEqualTo(2); // listener + this client
        assertThat(Long.parseLong(ours.get("reserved_fds"))).isPositive();
    }

    @Test
    void settings_sameNamesInSameOrder_withOurValues() throws Exception {
        Map<String, String> theirs = stats(memcached.port, "stats settings");
        Map<String, String> ours = stats(node.port(), "stats settings");
        assertThat(new ArrayList<>(ours.keySet())).containsExactlyElementsOf(withExtras(theirs.keySet(), SETTINGS_EXTRAS));
        assertThat(ours).containsEntry("maxbytes", "67108864").containsEntry("maxconns", "1024")
                .containsEntry("tcpport", String.valueOf(node.port())).containsEntry("udpport", "0")
                .containsEntry("inter", "127.0.0.1").containsEntry("evictions", "on")
                .containsEntry("item_size_max", "1048576").containsEntry("growth_factor", "1.25");
        // Where nothing differs by design, the values are memcached's too.
        for (String same : List.of("maxbytes", "maxconns", "udpport", "evictions", "domain_socket", "umask",
                "growth_factor", "stat_key_prefix", "cas_enabled", "tcp_backlog", "item_size_max", "maxconns_fast",
                "slab_reassign", "slab_automove", "slab_automove_ratio", "flush_enabled", "dump_enabled",
                "ssl_enabled", "memory_file")) {
            assertThat(ours.get(same)).as(same).isEqualTo(theirs.get(same));
        }
    }

    @Test
    void conns_listListenerAndClientsAsMemcachedDoes() throws Exception {
        for (int port : new int[] {memcached.port, node.port()}) {
            try (RawClient idle = new RawClient(port)) {
                idle.roundTrip("version\r\n", "\r\n");
                Map<String, String> conns = stats(port, "stats conns");
                List<String> fields = conns.keySet().stream().map(k -> k.substring(k.indexOf(':') + 1)).distinct().toList();
                assertThat(fields).as("port %d", port).containsExactly("addr", "state", "secs_since_last_cmd", "listen_addr");
                assertThat(conns.values()).as("port %d", port).contains("conn_listening", "conn_parse_cmd", "tcp:127.0.0.1:" + port);
                String listener = conns.entrySet().stream().filter(e -> e.getValue().equals("conn_listening")).findFirst()
                        .orElseThrow().getKey();
                String id = listener.substring(0, listener.indexOf(':'));
                assertThat(conns).containsEntry(id + ":addr", "tcp:127.0.0.1:" + port).doesNotContainKey(id + ":listen_addr");
                long clients = conns.keySet().stream().filter(k -> k.endsWith(":listen_addr")).count();
                assertThat(clients).as("port %d", port).isEqualTo(2);
            }
        }
    }

    @Test
    void conns_reportReadNreadAndSwallow_forHalfReceivedCommands() throws Exception {
        for (int port : new int[] {memcached.port, node.port()}) {
            try (RawClient line = new RawClient(port); RawClient block = new RawClient(port); RawClient refused = new RawClient(port)) {
                line.send("get ab");
                block.send("set k 0 0 10\r\nabc");
                refused.send("set k 0 0 2000000\r\nabc"); // over -I: refused, the rest of its block discarded
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                        assertThat(stats(port, "stats conns").values()).as("port %d", port)
                                .contains("conn_read", "conn_nread", "conn_swallow", "conn_parse_cmd", "conn_listening"));
            }
            // the server has seen these three close before other tests count connections
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(stats(port, "stats conns").keySet().stream().filter(k -> k.endsWith(":listen_addr")).count())
                            .as("port %d", port).isEqualTo(1));
        }
    }

    @Test
    void oldest_isTheLastFlushTime_andHashExpandingIsReported() throws Exception {
        for (int port : new int[] {memcached.port, node.port()}) {
            try (RawClient c = new RawClient(port)) {
                assertThat(c.roundTrip("flush_all\r\n", "\r\n")).isEqualTo("OK\r\n");
            }
            assertThat(Long.parseLong(stats(port, "stats settings").get("oldest"))).as("port %d", port).isPositive();
            assertThat(stats(port, "stats").get("hash_is_expanding")).as("port %d", port).isIn("0", "1");
        }
    }

    private static String replies(int port, String request) throws IOException {
        try (RawClient c = new RawClient(port)) {
            return c.roundTrip(request + "mn\r\n", "MN\r\n");
        }
    }

    @Test
    void slabsCommands_answerAsMemcached() throws Exception {
        String request = "slabs automove 0\r\nslabs automove 1\r\nslabs automove 2\r\nslabs automove 3\r\n"
                + "slabs automove x\r\nslabs automove -1\r\nslabs automove\r\nslabs automove 1 2\r\nslabs automove 01\r\n"
                + "slabs automove 1noreply\r\nslabs automove 1 noreply\r\nslabs automove 9 noreply\r\n"
                + "slabs automove ratio 0.5\r\nslabs automove ratio\r\nslabs automove ratio x\r\nslabs automove ratio 0.8\r\n"
                + "slabs\r\nslabs foo\r\nslabs reassign\r\nslabs reassign 1\r\nslabs reassign 1 2 noreply\r\n"
                + "slabs reassign x y\r\nslabs reassign 1 1\r\nslabs reassign 99 1\r\nslabs reassign 1 99\r\n"
                + "slabs reassign -1 1\r\nslabs reassign 1 -1\r\nslabs reassign 1 2\r\nslabs reassign 0 1\r\n"
                + "stats detail\r\nstats detail on\r\nstats detail off\r\nstats detail dump\r\nstats sizes\r\n"
                + "slabs automove 1\r\n";
        String theirs = replies(memcached.port, request);
        assertThat(replies(node.port(), request)).isEqualTo(theirs);
        assertThat(theirs).startsWith("OK\r\nOK\r\nOK\r\nERROR\r\nCLIENT_ERROR bad command line format\r\n");
    }

    @Test
    void slabsAutomove_isReportedBySettings() throws Exception {
        try (RawClient c = new RawClient(node.port())) {
            assertThat(c.roundTrip("slabs automove 2\r\n", "\r\n")).isEqualTo("OK\r\n");
            assertThat(c.roundTrip("stats settings\r\n", "END\r\n")).contains("STAT slab_automove 2\r\n");
            assertThat(c.roundTrip("slabs automove 1\r\n", "\r\n")).isEqualTo("OK\r\n");
        }
    }
}
