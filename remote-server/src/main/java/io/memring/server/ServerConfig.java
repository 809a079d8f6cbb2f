package io.memring.server;

import io.memring.server.cluster.Membership;
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
 * @param readBufMemLimit bytes of data blocks in flight across all connections ({@code -o read_buf_mem_limit=MB});
 *     a storage command whose block does not fit is answered {@code SERVER_ERROR out of memory storing object}
 * @param respObjMemLimit bytes of large reply values waiting for slow readers across all connections
 *     ({@code -o resp_obj_mem_limit=MB}); a get that does not fit is answered
 *     {@code SERVER_ERROR out of memory writing get response}
 * @param membership the ring this node is part of ({@code --peers}, {@code --replicas}); standalone by default
 */
public record ServerConfig(String listenAddress, int port, int maxConnections, int workerThreads, int verbosity,
                           StorageConfig storage, long readBufMemLimit, long respObjMemLimit, Membership membership) {

    public static final String VERSION = "1.6.18-memring-0.1.0";
    /** Default of both connection-buffer budgets (memcached's default is unlimited; ours is a bound). */
    public static final long DEFAULT_BUFFER_BUDGET = 32L << 20;

    /** A config with the default connection-buffer budgets. */
    public ServerConfig(String listenAddress, int port, int maxConnections, int workerThreads, int verbosity,
                        StorageConfig storage) {
        this(listenAddress, port, maxConnections, workerThreads, verbosity, storage, DEFAULT_BUFFER_BUDGET, DEFAULT_BUFFER_BUDGET);
    }

    /** A standalone node (no peers). */
    public ServerConfig(String listenAddress, int port, int maxConnections, int workerThreads, int verbosity,
                        StorageConfig storage, long readBufMemLimit, long respObjMemLimit) {
        this(listenAddress, port, maxConnections, workerThreads, verbosity, storage, readBufMemLimit, respObjMemLimit,
                Membership.standalone());
    }

    public ServerConfig {
        if (membership == null) {
            throw new IllegalArgumentException("membership must not be null (Membership.standalone() for none)");
        }
        if (readBufMemLimit < 0 || respObjMemLimit < 0) {
            throw new IllegalArgumentException("buffer budgets must not be negative");
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
        return new ServerConfig(listenAddress, p, maxConnections, workerThreads, verbosity, storage, readBufMemLimit, respObjMemLimit, membership);
    }

    public ServerConfig withMaxConnections(int n) {
        return new ServerConfig(listenAddress, port, n, workerThreads, verbosity, storage, readBufMemLimit, respObjMemLimit, membership);
    }

    public ServerConfig withWorkerThreads(int n) {
        return new ServerConfig(listenAddress, port, maxConnections, n, verbosity, storage, readBufMemLimit, respObjMemLimit, membership);
    }

    public ServerConfig withStorage(StorageConfig s) {
        return new ServerConfig(listenAddress, port, maxConnections, workerThreads, verbosity, s, readBufMemLimit, respObjMemLimit, membership);
    }

    public ServerConfig withBufferBudgets(long readBytes, long replyBytes) {
        return new ServerConfig(listenAddress, port, maxConnections, workerThreads, verbosity, storage, readBytes, replyBytes, membership);
    }

    public ServerConfig withMembership(Membership m) {
        return new ServerConfig(listenAddress, port, maxConnections, workerThreads, verbosity, storage, readBufMemLimit, respObjMemLimit, m);
    }

    /** Returns the data-block budget actually used: never below one largest item, so any item can be stored. */
    public long effectiveReadBudget() {
        return Math.max(readBufMemLimit, storage.maxItemSize() + 2L);
    }

    /** Returns the reply budget actually used: never below one largest item, so any item can be read. */
    public long effectiveReplyBudget() {
        return Math.max(respObjMemLimit, storage.maxItemSize() + 2L);
    }
}
