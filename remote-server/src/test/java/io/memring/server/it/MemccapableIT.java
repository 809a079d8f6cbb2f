package io.memring.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.server.MemringServer;
import io.memring.server.ServerConfig;
import io.memring.testing.StockMemcached;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * libmemcached's protocol checker {@code memccapable -a} (every text-protocol check) against our node
 * and, in the same run, against stock memcached, so a check memcached itself fails is told apart from
 * one only we fail.
 */
class MemccapableIT {
    private static final ExternalTool MEMCCAPABLE = new ExternalTool("/usr/bin/memccapable", "libmemcached-tools");
    private static final Pattern CHECK = Pattern.compile("^(ascii \\S+(?: \\S+)?)\\s+\\[(\\w+)]$", Pattern.MULTILINE);

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

    /** Check name to verdict ("pass", "fail", "skipped"), in memccapable's order. */
    private static Map<String, String> checks(String output) {
        Map<String, String> verdicts = new LinkedHashMap<>();
        Matcher m = CHECK.matcher(output);
        while (m.find()) {
            verdicts.put(m.group(1), m.group(2));
        }
        return verdicts;
    }

    private static ExternalTool.Result memccapable(int port) throws Exception {
        return MEMCCAPABLE.run(Duration.ofSeconds(60), "-a", "-h", "127.0.0.1", "-p", String.valueOf(port), "-t", "5", "-v");
    }

    @Test
    void asciiChecks_allPassOnOurNode_asOnStockMemcached() throws Exception {
        ExternalTool.Result onStock = memccapable(stock.port);
        ExternalTool.Result onNode = memccapable(node.port());

        Map<String, String> stockChecks = checks(onStock.output());
        Map<String, String> nodeChecks = checks(onNode.output());
        // The reference first: memccapable's 27 ascii checks, every one passing on memcached 1.6.
        assertThat(stockChecks).as("memccapable on stock memcached:\n%s", onStock.output())
                .hasSizeGreaterThanOrEqualTo(27).containsKeys("ascii cas noreply", "ascii incr", "ascii stat")
                .allSatisfy((check, verdict) -> assertThat(verdict).isEqualTo("pass"));
        assertThat(nodeChecks).as("memccapable on our node:\n%s", onNode.output()).isEqualTo(stockChecks);
        assertThat(onNode.exitCode()).as(onNode.output()).isZero();
        assertThat(onNode.output()).contains("All tests passed");
    }
}
