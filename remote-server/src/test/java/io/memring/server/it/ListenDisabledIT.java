package io.memring.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.testing.RawClient;
import io.memring.testing.StockMemcached;
import java.io.File;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A node out of file descriptors (started under {@code ulimit -n 120}) stops accepting for a moment
 * instead of spinning, counts it in {@code listen_disabled_num} as memcached does, and serves again
 * once clients leave.
 */
class ListenDisabledIT {

    @Test
    void descriptorsExhausted_countedAsListenDisabled_andServedAgain() throws Exception {
        int port = StockMemcached.freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "ulimit -n 120 && exec '" + java + "' -cp '" + System.getProperty("java.class.path")
                + "' io.memring.server.cli.ServerMain -p " + port + " -t 1";
        File log = Files.createTempFile("memring-ulimit", ".log").toFile();
        log.deleteOnExit();
        Process node = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).redirectOutput(log).start();
        List<Socket> clients = new ArrayList<>();
        try {
            awaitListening(node, port);
            for (int i = 0; i < 200; i++) { // more than the descriptors the node may open
                clients.add(new Socket("127.0.0.1", port)); // the kernel completes these even when accept fails
            }
            Thread.sleep(1500);
            for (Socket s : clients.subList(0, 150)) {
                s.close();
            }
            try (RawClient c = new RawClient(port)) {
                String stats = c.roundTrip("stats\r\n", "END\r\n");
                assertThat(stats).endsWith("END\r\n");
                long disabled = Long.parseLong(stats.replaceAll("(?s).*STAT listen_disabled_num (\\d+).*", "$1"));
                long micros = Long.parseLong(stats.replaceAll("(?s).*STAT time_in_listen_disabled_us (\\d+).*", "$1"));
                assertThat(disabled).isPositive();
                assertThat(micros).isEqualTo(disabled * 1_000_000);
                assertThat(c.roundTrip("version\r\n", "\r\n")).startsWith("VERSION ");
            }
            assertThat(Files.readString(log.toPath())).contains("Too many open files").doesNotContain("reached at the tail");
        } finally {
            for (Socket s : clients) {
                s.close();
            }
            node.destroy();
            if (!node.waitFor(10, TimeUnit.SECONDS)) {
                node.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static void awaitListening(Process node, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            assertThat(node.isAlive()).as("node running").isTrue();
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("node did not listen on " + port);
    }
}
