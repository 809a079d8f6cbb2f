package io.memring.server.cli;

import io.memring.server.MemringServer;
import io.memring.server.ServerConfig;
import io.memring.server.cluster.Membership;
import io.memring.server.security.Listener;
import io.memring.server.security.Security;
import io.memring.server.security.TlsSettings;
import io.memring.server.storage.StorageConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code java -jar memring-server.jar [memcached flags]}: starts a node and runs until SIGTERM/SIGINT,
 * then closes connections and exits 0.
 */
@Command(name = "memring-server", mixinStandardHelpOptions = true, versionProvider = ServerMain.Version.class,
        sortOptions = false,
        description = "A memcached-compatible Memring node (text and meta protocols, LRU under a hard memory limit).")
public final class ServerMain implements Callable<Integer> {
    /** Set by bin/memring-server on the process it put in the background for -d. */
    static final String DAEMONIZED_ENV = "MEMRING_DAEMONIZED";

    @Option(names = {"-p", "--port"}, defaultValue = "11211", description = "TCP port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = {"-l", "--listen"}, paramLabel = "<addr>",
            description = "Interface(s) to listen on, [notls:]host[:port], comma-separated or repeated (default: 127.0.0.1;"
                    + " use 0.0.0.0 for all, deliberately). With -Z, notls: marks a listener without TLS.")
    List<String> listenValues;

    @Option(names = {"-Z", "--enable-ssl"}, description = "Enable TLS/SSL (with -o ssl_chain_cert=,ssl_key=[,ssl_ca_cert=,"
            + "ssl_verify_mode=0|1|2|3,ssl_min_version=2|3]).")
    boolean enableSsl;

    @Option(names = {"-Y", "--auth-file"}, paramLabel = "<file>",
            description = "Enable ASCII authentication: lines of user:password; clients send 'set <key> 0 0 <n>' with data 'user password'.")
    Path authFile;

    @Option(names = {"-d", "--daemon"}, description = "Run in the background (done by bin/memring-server: a JVM cannot fork).")
    boolean daemon;

    @Option(names = {"-u", "--user"}, paramLabel = "<user>",
            description = "Assume the identity of <user> when started as root (bin/memring-server switches before Java starts).")
    String user;

    @Option(names = {"-P", "--pidfile"}, paramLabel = "<file>", description = "Save the process id in <file> (removed at shutdown).")
    Path pidFile;

    @Option(names = {"-m", "--memory-limit"}, defaultValue = "64", description = "Item memory in megabytes (default: ${DEFAULT-VALUE}).")
    long memoryMb;

    @Option(names = {"-c", "--conn-limit"}, defaultValue = "1024", paramLabel = "<num>",
            description = "Max simultaneous connections (default: ${DEFAULT-VALUE}).")
    String maxConnections;

    @Option(names = {"-t", "--threads"}, defaultValue = "4", paramLabel = "<num>",
            description = "Number of worker threads (default: ${DEFAULT-VALUE}).")
    String threads;

    @Option(names = {"-I", "--max-item-size"}, defaultValue = "1m",
            description = "Max item size, bytes or with a k/m (or g) suffix (default: ${DEFAULT-VALUE}, min 1k, max 1g).")
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
            description = "memcached suboptions; supported: read_buf_mem_limit=<MB> (connection read/response buffers, default 64), idle_timeout=<s>, "
                    + "watch_buffer_bytes=<bytes> (one mutation-stream subscriber's pending output, default 4 MB), "
                    + "watch_total_bytes=<bytes> (all subscribers' together, default 64 MB).")
    java.util.List<String> extended = new java.util.ArrayList<>();

    @Option(names = {"--shards"}, defaultValue = "16", description = "Lock shards, a power of two (default: ${DEFAULT-VALUE}).")
    int shards;

    @Option(names = {"--peers"}, paramLabel = "host:port,...",
            description = "Every node of the cluster, this one included, spelled and ordered as clients' memring.servers.")
    String peers;

    @Option(names = {"--replicas"}, paramLabel = "N|all",
            description = "Copies of each key (with --peers; default 2, 1 = no replication, all = every node).")
    String replicas;

    /** {@code -o idle_timeout}, carried from {@link #toConfig()} to the started node. */
    private int idleTimeout;

    /** Arguments that are not flags: memcached ignores them; we say so. */
    @Parameters(hidden = true)
    List<String> ignored = new ArrayList<>();

    /** Not a static field: main() chooses the logging configuration before the first logger exists. */
    private static org.slf4j.Logger log() {
        return org.slf4j.LoggerFactory.getLogger(ServerMain.class);
    }

    @Override
    public Integer call() throws Exception {
        for (String arg : ignored) {
            log().warn("ignoring argument '{}'", arg);
        }
        ServerConfig config = toConfig();
        Privileges.check(Privileges.effectiveUid(), user, Path.of("/etc/passwd"));
        if (daemon && System.getenv(DAEMONIZED_ENV) == null) {
            log().warn("-d: a JVM cannot put itself in the background; bin/memring-server -d does. Running in the foreground");
        }
        MemringServer server = start(config);
        server.setIdleTimeout(idleTimeout);
        reloadOnHangup(server);
        PidFile pid = pidFile == null ? null : PidFile.write(pidFile, ProcessHandle.current().pid());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            if (pid != null) {
                pid.remove();
            }
            stopped.countDown();
        }, "memring-shutdown"));
        stopped.await();
        return 0;
    }

    /**
     * SIGHUP reloads the auth file (memcached does) and the TLS files, instead of the JVM's default of
     * exiting. Only with -Y or -Z: otherwise a hangup still stops the node, as before.
     */
    private void reloadOnHangup(MemringServer server) {
        if (authFile == null && !enableSsl) {
            return;
        }
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> server.reloadSecurity());
        } catch (IllegalArgumentException e) { // the JVM was started with -Xrs, or the signal is taken
            log().warn("SIGHUP cannot be handled ({}): use refresh_certs to reload certificates", e.getMessage());
        }
    }

    /** Starts the node; a socket error becomes memcached's "failed to listen on ..." (exit 71). */
    private MemringServer start(ServerConfig config) throws InterruptedException {
        try {
            return MemringServer.start(config);
        } catch (InterruptedException e) {
            throw e;
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) { // the -Z or -Y files
            throw new UsageError(1, "memring-server: " + e.getMessage());
        } catch (Exception e) { // bind errors arrive as checked exceptions thrown through Netty's sync()
            if (!(e instanceof IOException) && !(e instanceof java.nio.channels.UnresolvedAddressException)) {
                throw e;
            }
            throw new UsageError(UsageError.EX_OSERR, listenFailure(listen(), config.port(), e));
        }
    }

    /** Builds the ring from --peers/--replicas; without --peers the node is standalone, as before. */
    private Membership membership(String host, int port) {
        if (peers == null) {
            if (replicas != null) {
                throw new UsageError(UsageError.EX_USAGE, "--replicas needs --peers");
            }
            return Membership.standalone();
        }
        try {
            return Membership.of(peers, Membership.parseReplicas(replicas == null ? "2" : replicas), host, port);
        } catch (IllegalArgumentException e) {
            throw new UsageError(UsageError.EX_USAGE, e.getMessage());
        }
    }

    /** memcached's wording, which names the port (or the interfaces given with -l) and the OS's reason. */
    static String listenFailure(String listen, int port, Exception e) {
        String reason = e.getMessage() == null ? "unresolved address" : e.getMessage();
        reason = reason.substring(reason.lastIndexOf(": ") + 1).trim(); // "bind(..) failed with error(-98): Address already in use"
        return listen == null
                ? "failed to listen on TCP port " + port + ": " + reason
                : "failed to listen on one of interface(s) " + listen + ": " + reason;
    }

    ServerConfig toConfig() {
        int conns = ItemSize.atoi(maxConnections);
        if (conns <= 0) {
            throw new UsageError(1, "Maximum connections must be greater than 0");
        }
        int workers = ItemSize.atoi(threads);
        if (workers <= 0) {
            throw new UsageError(1, "Number of threads must be greater than 0");
        }
        if (udpPort != 0) {
            throw new UsageError(UsageError.EX_USAGE, "UDP is not supported; leave -U at 0");
        }
        long memory = memoryMb * 1024 * 1024;
        long size = ItemSize.parse(maxItemSize);
        int itemSize = ItemSize.check(size, memory, StorageConfig.DEFAULT_PAGE_SIZE);
        StorageConfig storage = new StorageConfig(memory, itemSize, growthFactor, minChunk, shards);
        ExtendedOptions options;
        try {
            options = ExtendedOptions.parse(extended, System.err);
        } catch (IllegalArgumentException e) {
            throw new UsageError(1, e.getMessage()); // memcached prints these bare and exits 1
        }
        List<Listener> listeners;
        try {
            listeners = listen() == null ? List.of() : Listener.parseAll(listen(), port);
        } catch (IllegalArgumentException e) {
            throw new UsageError(UsageError.EX_USAGE, e.getMessage());
        }
        String host = listeners.isEmpty() ? "127.0.0.1" : listeners.get(0).host();
        int ringPort = listeners.isEmpty() ? port : listeners.get(0).port();
        Security security = new Security(tls(options), authFile, listeners, listen());
        idleTimeout = options.idleTimeout();
        return options.applyTo(new ServerConfig(host, ringPort, conns, workers, verbose.length, storage,
                ServerConfig.DEFAULT_BUFFER_BUDGET, membership(host, ringPort), security));
    }

    /** The -l values joined as memcached shows them in {@code stats settings}; null when none. */
    private String listen() {
        return listenValues == null || listenValues.isEmpty() ? null : String.join(",", listenValues);
    }

    /**
     * -Z with the ssl_* suboptions, or null without -Z. The handshake bounds are not memcached flags:
     * {@code -Dmemring.tls.handshakeTimeoutMillis} (10000) and {@code -Dmemring.tls.maxPendingHandshakes} (256).
     */
    private TlsSettings tls(ExtendedOptions o) {
        if (!enableSsl) {
            if (o.sslChainCert != null) {
                log().warn("ssl_chain_cert is set but -Z is not: TLS is off");
            }
            return null;
        }
        if (o.sslChainCert == null) {
            throw new UsageError(1, "memring-server: -Z needs -o ssl_chain_cert=<PEM file> (and ssl_key=<PEM file> unless the key is in it)");
        }
        long timeout = Long.getLong("memring.tls.handshakeTimeoutMillis", TlsSettings.DEFAULT_HANDSHAKE_TIMEOUT_MILLIS);
        int pending = Integer.getInteger("memring.tls.maxPendingHandshakes", TlsSettings.DEFAULT_MAX_PENDING_HANDSHAKES);
        try {
            return new TlsSettings(o.sslChainCert, o.sslKey, o.sslCaCert, o.sslVerifyMode, o.sslMinVersion, timeout, pending);
        } catch (IllegalArgumentException e) {
            throw new UsageError(1, "memring-server: " + e.getMessage());
        }
    }

    /**
     * getopt's words for a flag it does not know or that lacks its argument, then memcached's
     * {@code Illegal argument "?"}; exit 1, as memcached.
     */
    static String optionError(CommandLine.ParameterException e) {
        String name = "memring-server";
        if (e instanceof CommandLine.MissingParameterException missing && !missing.getMissing().isEmpty()
                && missing.getMissing().get(0) instanceof CommandLine.Model.OptionSpec o) {
            String opt = o.shortestName();
            return (opt.length() == 2 ? name + ": option requires an argument -- '" + opt.charAt(1) + "'"
                    : name + ": option '" + opt + "' requires an argument") + "\nIllegal argument \"?\"";
        }
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String arg = unmatched.getUnmatched().get(0);
            if (arg.startsWith("--")) {
                return name + ": unrecognized option '" + arg + "'\nIllegal argument \"?\"";
            }
            return name + ": invalid option -- '" + unknownShortOption(e.getCommandLine(), arg) + "'\nIllegal argument \"?\"";
        }
        return null;
    }

    /** The first letter of a short-option cluster ("-vx") that names no option. */
    private static char unknownShortOption(CommandLine cmd, String cluster) {
        for (int i = 1; i < cluster.length(); i++) {
            CommandLine.Model.OptionSpec o = cmd.getCommandSpec().findOption(cluster.charAt(i));
            if (o == null) {
                return cluster.charAt(i);
            }
            if (o.arity().max() > 0 && !o.type().isArray() && o.type() != boolean.class) {
                break; // the rest is this option's value
            }
        }
        return cluster.length() > 1 ? cluster.charAt(1) : '?';
    }

    public static void main(String[] args) {
        // A TLS 1.2 client could renegotiate again and again, each time costing the node a handshake.
        if (System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation") == null) {
            System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        }
        // The node's own log format, unless the operator points logback elsewhere. Not named
        // logback.xml, so that applications embedding the node keep their own configuration.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "memring-server-logback.xml");
        }
        CommandLine cli = new CommandLine(new ServerMain());
        cli.setParameterExceptionHandler((e, args2) -> {
            String getopt = optionError(e);
            e.getCommandLine().getErr().println(getopt != null ? getopt : "memring-server: " + e.getMessage());
            return getopt != null ? 1 : UsageError.EX_USAGE;
        });
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof UsageError u) {
                cmd.getErr().println(u.getMessage());
                return u.exitCode();
            }
            cmd.getErr().println("memring-server: " + e.getMessage());
            return UsageError.EX_USAGE;
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
