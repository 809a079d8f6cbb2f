package io.memring.server;

import io.memring.server.cluster.Membership;
import io.memring.server.security.Security;
import io.memring.server.storage.StorageConfig;

/**
 * Everything a node needs to start, with memcached's defaults: listen on 127.0.0.1:11211, 64 MB,
 * 1024 connections, 4 worker threads, 1 MB items.
 *
 * @param listenAddress host or IP to bind ({@code -l}); 127.0.0.1 unless told otherwise
 * @param port TCP port ({@code -p}); 0 picks an ephemeral port
 * @param maxConnections connections served at once ({@code -c}); more are told so and closed
 * @param workerThreads event-loop threads ({@code -t})
 * @param verbosity 0, 1 ({@code -v}) or 2 ({@code -vv})
 * @param storage memory, item size and slab settings
 * @param readBufMemLimit bytes of connection read/response buffers across all connections, as memcached's
 *     {@code -o read_buf_mem_limit=MB}: large data blocks still arriving and large reply values not yet
 *     written; what does not fit is answered with memcached's out-of-memory errors
 * @param membership the ring this node is part of ({@code --peers}, {@code --replicas}); standalone by default
 * @param security TLS ({@code -Z}, {@code -o ssl_*}), authentication ({@code -Y}) and extra listeners
 *     ({@code -l a,notls:b:port}); {@link Security#none()} by default
 * @param watchBufferBytes output one mutation-stream subscriber may have pending ({@code -o watch_buffer_bytes=});
 *     past it the node closes that subscription (see {@code io.memring.server.watch})
 * @param watchTotalBytes output all mutation-stream subscribers together may have pending
 *     ({@code -o watch_total_bytes=}); past it the node closes each subscriber holding more than an
 *     equal share of it, as one over its own bound
 */
public record ServerConfig(String listenAddress, int port, int maxConnections, int workerThreads, int verbosity,
                           StorageConfig storage, long readBufMemLimit, Membership membership, Security security,
                           long watchBufferBytes, long watchTotalBytes) {

    public static final String VERSION = "1.6.18-memring-0.1.0";
    /** Default connection-buffer budget (memcached's default is unlimited; ours is a bound). */
    public static final long DEFAULT_BUFFER_BUDGET = 64L << 20;
    /** Default bound on one mutation-stream subscriber's pending output. */
    public static final long DEFAULT_WATCH_BUFFER = 4L << 20;
    /** Default bound on all mutation-stream subscribers' pending output together (16 subscribers' worth). */
    public static final long DEFAULT_WATCH_TOTAL = 64L << 20;

    /** A config with the default connection-buffer budget. */
    public ServerConfig(String listenAddress, int port, int maxConnections, int workerThreads, int verbosity,
                        StorageConfig storage) {
        this(listenAddress, port, maxConnections, workerThreads, verbosity, storage, DEFAULT_BUFFER_BUDGET);
    }

    /** A standalone node (no peers). */
    public ServerConfig(String listenAddress, int port, int maxConnections, int workerThreads, int verbosity,
                        StorageConfig storage, long readBufMemLimit) {
        this(listenAddress, port, maxConnections, workerThreads, verbosity, storage, readBufMemLimit, Membership.standalone());
    }

    /** A node without TLS or authentication. */
    public ServerConfig(String listenAddress, int port, int maxConnections, int workerThreads, int verbosity,
                        StorageConfig storage, long readBufMemLimit, Membership membership) {
        this(listenAddress, port, maxConnections, workerThreads, verbosity, storage, readBufMemLimit, membership, Security.none());
    }

    /** A config with the default watch buffer. */
    public ServerConfig(String listenAddress, int port, int maxConnections, int workerThreads, int verbosity,
                        StorageConfig storage, long readBufMemLimit, Membership membership, Security security) {
        this(listenAddress, port, maxConnections, workerThreads, verbosity, storage, readBufMemLimit, membership, security,
                DEFAULT_WATCH_BUFFER, DEFAULT_WATCH_TOTAL);
    }

    public ServerConfig {
        if (security == null) {
            throw new IllegalArgumentException("security must not be null (Security.none() for none)");
        }
        if (membership == null) {
            throw new IllegalArgumentException("membership must not be null (Membership.standalone() for none)");
        }
        if (readBufMemLimit <= 0) {
            throw new IllegalArgumentException("read_buf_mem_limit must be above 0: " + readBufMemLimit);
        }
        if (watchBufferBytes < 1024) {
            throw new IllegalArgumentException("watch_buffer_bytes must be at least 1024: " + watchBufferBytes);
        }
        if (watchTotalBytes < 1024) {
            throw new IllegalArgumentException("watch_total_bytes must be at least 1024: " + watchTotalBytes);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max connections must be positive: " + maxConnections);
        }
        if (workerThreads < 1) {
            throw new IllegalArgumentException("threads must be positive: " + workerThreads);
        }
    }

    public static ServerConfig defaults() {
        return new ServerConfig("127.0.0.1", 11211, 1024, 4, 0, StorageConfig.defaults());
    }

    public ServerConfig withPort(int p) {
        return new ServerConfig(listenAddress, p, maxConnections, workerThreads, verbosity, storage, readBufMemLimit, membership, security, watchBufferBytes, watchTotalBytes);
    }

    public ServerConfig withMaxConnections(int n) {
        return new ServerConfig(listenAddress, port, n, workerThreads, verbosity, storage, readBufMemLimit, membership, security, watchBufferBytes, watchTotalBytes);
    }

    public ServerConfig withWorkerThreads(int n) {
        return new ServerConfig(listenAddress, port, maxConnections, n, verbosity, storage, readBufMemLimit, membership, security, watchBufferBytes, watchTotalBytes);
    }

    public ServerConfig withStorage(StorageConfig s) {
        return new ServerConfig(listenAddress, port, maxConnections, workerThreads, verbosity, s, readBufMemLimit, membership, security, watchBufferBytes, watchTotalBytes);
    }

    public ServerConfig withBufferBudget(long bytes) {
        return new ServerConfig(listenAddress, port, maxConnections, workerThreads, verbosity, storage, bytes, membership, security, watchBufferBytes, watchTotalBytes);
    }

    public ServerConfig withMembership(Membership m) {
        return new ServerConfig(listenAddress, port, maxConnections, workerThreads, verbosity, storage, readBufMemLimit, m, security, watchBufferBytes, watchTotalBytes);
    }

    public ServerConfig withSecurity(Security s) {
        return new ServerConfig(listenAddress, port, maxConnections, workerThreads, verbosity, storage, readBufMemLimit, membership, s, watchBufferBytes, watchTotalBytes);
    }

    public ServerConfig withWatchBufferBytes(long bytes) {
        return new ServerConfig(listenAddress, port, maxConnections, workerThreads, verbosity, storage, readBufMemLimit,
                membership, security, bytes, watchTotalBytes);
    }

    public ServerConfig withWatchTotalBytes(long bytes) {
        return new ServerConfig(listenAddress, port, maxConnections, workerThreads, verbosity, storage, readBufMemLimit,
                membership, security, watchBufferBytes, bytes);
    }

    /** Returns the connection-buffer budget actually used: never below one largest item, so any item can pass. */
    public long effectiveBufferBudget() {
        return Math.max(readBufMemLimit, storage.maxItemSize() + 2L);
    }
}
