package io.memring.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.server.MemringServer;
import io.memring.server.ServerConfig;
import io.memring.testing.StockMemcached;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Python client we did not write (Debian {@code python3-pymemcache}, run by the system
 * {@code /usr/bin/python3}) does the same round trip against our node and stock memcached:
 * get/set/add/replace/append/prepend/cas/incr/decr/delete/touch/get_many/gets_many/flush_all.
 * The script prints one line per step; both servers must print the same lines, and those lines
 * are pinned here so a shared mistake would show too.
 */
class PymemcacheIT {
    private static final ExternalTool PYTHON = new ExternalTool("/usr/bin/python3", "python3-pymemcache");

    private static MemringServer node;
    private static StockMemcached stock;

    @BeforeAll
    static void start() throws Exception {
        node = MemringServer.start(ServerConfig.defaults().withPort(0).withWorkerThreads(1));
        stock = StockMemcached.start();
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        if (stock != null) {
            stock.close();
        }
    }

    private static List<String> roundTrip(int port) throws Exception {
        Path script = Path.of(PymemcacheIT.class.getResource("pymemcache_roundtrip.py").toURI());
        ExternalTool.Result r = PYTHON.run(Duration.ofSeconds(60), script.toString(), String.valueOf(port));
        assertThat(r.exitCode()).as("pymemcache round trip on port %d:\n%s", port, r.output()).isZero();
        return r.output().lines().toList();
    }

    @Test
    void roundTrip_sameRepliesAsStockMemcached() throws Exception {
        List<String> onStock = roundTrip(stock.port);
        List<String> onNode = roundTrip(node.port());

        assertThat(onNode).as("pymemcache on our node vs stock memcached").containsExactlyElementsOf(onStock);
        assertThat(onNode).contains(
                "get b'v1'",
                "get_missing None",
                "get_binary True",
                "add_existing False",
                "get_appended b'zbc'",
                "gets (b'v1', True)",
                "cas_ok True",
                "cas_stale False",
                "cas_missing None",
                "get_after_cas b'v2'",
                "incr 15",
                "decr 12",
                "decr_below_zero 0",
                "incr_wraps (True, 1)",
                "incr_missing None",
                "incr_not_a_number \"MemcacheClientError(b'cannot increment or decrement non-numeric value')\"",
                "touch True",
                "touch_missing False",
                "get_many [('added', b'zbc'), ('k', b'v2'), ('n', b'0 ')]",
                "delete True",
                "delete_missing False",
                "get_expired None",
                "get_after_flush []")
                .endsWith("done");
    }
}
