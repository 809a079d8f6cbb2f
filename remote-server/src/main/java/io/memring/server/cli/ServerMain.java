package io.memring.server.cli;

import io.memring.server.MemringServer;
import io.memring.server.ServerConfig;
import io.memring.server.storage.StorageConfig;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar memring-server.jar [memcached flags]}: starts a node and runs until SIGTERM/SIGINT,
 * then closes connections and exits 0.
 */
@Command(name = "memring-server", mixinStandardHelpOptions = true, versionProvider = ServerMain.Version.class,
        sortOptions = false,
        description = "A memcached-compatible Memring node (text and meta protocols, LRU under a hard memory limit).")
public final class ServerMain implements Callable<Integer> {

    @Option(names = {"-p", "--port"}, defaultValue = "11211", description = "TCP port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = {"-l", "--listen"}, defaultValue = "127.0.0.1",
            description = "Interface to listen on (default: ${DEFAULT-VALUE}; use 0.0.0.0 for all, deliberately).")
    String listen;

    @Option(names = {"-m", "--memory-limit"}, defaultValue = "64", description = "Item memory in megabytes (default: ${DEFAULT-VALUE}).")
    long memoryMb;

    @Option(names = {"-c", "--conn-limit"}, defaultValue = "1024", description = "Max simultaneous connections (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = {"-t", "--threads"}, defaultValue = "4", description = "Number of worker threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = {"-I", "--max-item-size"}, defaultValue = "1m",
            description = "Max item size, with k/m suffix (default: ${DEFAULT-VALUE}, min 1k, max 1g).")
    String maxItemSize;

    @Option(names = {"-f", "--slab-growth-factor"}, defaultValue = "1.25", description = "Chunk size growth factor (default: ${DEFAULT-VALUE}).")
    double growthFactor;

    @Option(names = {"-n", "--slab-min-size"}, defaultValue = "64", description = "Smallest chunk in bytes (default: ${DEFAULT-VALUE}).")
    int minChunk;

    @Option(names = {"-U", "--udp-port"}, defaultValue = "0", description = "UDP port; only 0 (off) is supported.")
    int udpPort;

    @Option(names = {"-v", "--verbose"}, description = "Verbose (-v) or very verbose (-vv) output.")
    boolean[] verbose = new boolean[0];

    @Option(names = {"-o", "--extended"}, split = ",", paramLabel = "<name>[=<value>]",
            description = "memcached suboptions; supported: read_buf_mem_limit=<MB> (connection read/response buffers, default 64).")
    java.util.List<String> extended = new java.util.ArrayList<>();

    @Option(names = {"--shards"}, defaultValue = "16", description = "Lock shards, a power of two (default: ${DEFAULT-VALUE}).")
    int shards;

    @Override
    public Integer call() throws Exception {
        ServerConfig config = toConfig();
        MemringServer server = MemringServer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "memring-shutdown"));
        stopped.await();
        return 0;
    }

    ServerConfig toConfig() {
        if (udpPort != 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "UDP is not supported; leave -U at 0");
        }
        StorageConfig storage = new StorageConfig(memoryMb * 1024 * 1024, parseSize(maxItemSize), growthFactor, minChunk, shards);
        ExtendedOptions options;
        try {
            options = ExtendedOptions.parse(extended, System.err);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        return options.applyTo(new ServerConfig(listen, port, maxConnections, threads, verbose.length, storage));
    }

    /** Parses memcached's size syntax: bytes, or a number with k or m suffix. */
    static int parseSize(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        long mult = 1;
        if (v.endsWith("k")) {
            mult = 1024;
            v = v.substring(0, v.length() - 1);
        } else if (v.endsWith("m")) {
            mult = 1024 * 1024;
            v = v.substring(0, v.length() - 1);
        }
        long n = Long.parseLong(v) * mult;
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("size too large: " + s);
        }
        return (int) n;
    }

    public static void main(String[] args) {
        // The node's own log format, unless the operator points logback elsewhere. Not named
        // logback.xml, so that applications embedding the node keep their own configuration.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "memring-server-logback.xml");
        }
        CommandLine cli = new CommandLine(new ServerMain());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("memring-server: " + e.getMessage());
            return 64;
        });
        System.exit(cli.execute(args));
    }

    /** Reports the version as memcached does: "memring-server 1.6.18-memring-…". */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"memring-server " + ServerConfig.VERSION};
        }
    }
}
