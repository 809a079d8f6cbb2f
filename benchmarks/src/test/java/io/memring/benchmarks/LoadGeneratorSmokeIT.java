package io.memring.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.server.MemringServer;
import io.memring.server.ServerConfig;
import io.memring.testing.StockMemcached;
import org.junit.jupiter.api.Test;

/** Keeps the benchmark tool working: a fraction of a second of each operation, no timing asserted. */
class LoadGeneratorSmokeIT {

    @Test
    void everyOperation_runsAgainstOurNodeAndStockMemcached() throws Exception {
        try (MemringServer node = MemringServer.start(ServerConfig.defaults().withPort(0).withWorkerThreads(1));
             StockMemcached memcached = StockMemcached.start("-t", "1")) {
            for (int port : new int[] {node.port(), memcached.port}) {
                LoadGenerator.preload(new LoadGenerator.Settings("127.0.0.1", port, "get", 1, 1, 500, 100, 0.2, 0.05));
                for (String op : new String[] {"get", "set", "mg", "ms", "mix:90", "metamix:50"}) {
                    LoadGenerator.Result r = LoadGenerator.run(new LoadGenerator.Settings("127.0.0.1", port, op, 2, 4, 500, 100, 0.2, 0.05));
                    assertThat(r.ops()).as("%s on port %d", op, port).isPositive();
                    assertThat(r.serverCpuSeconds()).as("server CPU from stats").isGreaterThanOrEqualTo(0);
                }
            }
        }
    }
}
