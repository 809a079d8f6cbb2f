package io.memring.samples.plain;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.integration.Cluster;
import io.memring.testing.RawClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the sample as a user would, on nodes this test starts and on the embedded node, and checks what it prints. */
@Timeout(120)
class PlainJavaSampleIT {
    private static final String[] EXPECTED = {
        "visits of /home after 10 increments: 10",
        "the other instance reads /home = 10",
        "the first instance reads /about = 7",
        "country NO: Norway",
        "country NO again: Norway",
        "loader calls: 1",
        "event: created alice = 1 book",
        "event: updated alice 1 book -> 2 books",
        "event: removed alice (was 2 books)",
        "session right away: alice",
        "session after 2000 ms (expiry 1500 ms): null",
        "entries in visits: 2",
        "done"};

    @Test
    void sample_onACluster_storesAndReadsOnTheNodes() throws Exception {
        Cluster cluster = Cluster.memring(2);
        try {
            String printed = run(cluster.serverSpec());

            assertThat(printed).contains(EXPECTED).contains("memring.servers = " + cluster.serverSpec());
            // The sample destroys its caches at the end, so look at what the nodes counted instead: a
            // provider that ran an embedded node would leave these at zero.
            assertThat(statSum(cluster, "total_items")).as("items stored on the test's nodes").isGreaterThanOrEqualTo(6);
            assertThat(statSum(cluster, "get_hits")).as("reads served by the test's nodes").isPositive();
        } finally {
            cluster.stop();
        }
    }

    @Test
    void sample_withNoServers_runsOnTheEmbeddedNode() throws Exception {
        assertThat(run("")).contains(EXPECTED).contains("(none: embedded node)");
    }

    private static String run(String servers) throws InterruptedException {
        Properties settings = new Properties();
        if (!servers.isEmpty()) {
            settings.setProperty("memring.servers", servers);
        }
        // Patient requests: CI machines run many builds at once (the sample keeps the 2 s default).
        settings.setProperty("memring.requestTimeoutMillis", "15000");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PlainJavaSample.run(settings, new PrintStream(captured, true, StandardCharsets.UTF_8));
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static long statSum(Cluster cluster, String stat) throws IOException {
        long sum = 0;
        for (InetSocketAddress node : cluster.servers()) {
            try (RawClient raw = new RawClient(node.getPort())) {
                for (String line : raw.roundTrip("stats\r\n", "END\r\n").split("\r\n")) {
                    if (line.startsWith("STAT " + stat + " ")) {
                        sum += Long.parseLong(line.substring(("STAT " + stat + " ").length()));
                    }
                }
            }
        }
        return sum;
    }
}
