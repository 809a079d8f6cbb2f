package io.memring.server.protocol;

/** Node-wide settings that commands may change at run time ({@code verbosity}, delayed {@code flush_all}). */
public interface NodeControl {
    /** Returns the current verbosity. */
    int verbosity();

    void setVerbosity(int level);

    /**
     * Invalidates every item stored before {@code delaySeconds} from now (0 = now; over 30 days = a
     * unix time), replacing any flush still pending.
     */
    void flushAll(int delaySeconds);

    /** Returns the process id reported by {@code stats}. */
    long pid();

    /** Returns the number of event-loop threads. */
    int threads();

    /** Returns who may run client commands on which keys here (ownership, readiness); standalone: everyone. */
    default io.memring.server.cluster.ClusterGate cluster() {
        return io.memring.server.cluster.ClusterGate.standalone();
    }

    /** Returns the node's mutation stream, or null when it offers none ({@code mr_watch} is then unknown). */
    default io.memring.server.watch.WatchHub watches() {
        return null;
    }

    /** Writes the cluster's lines of {@code stats} (replication, membership); nothing on a standalone node. */
    default void clusterStats(io.memring.server.stats.StatSink out) {
    }

    /**
     * memcached's {@code refresh_certs}: reads the TLS certificate, key and CA files again for new connections.
     * Returns the reply line without its CRLF: {@code OK}, or an error saying why (the old files stay in use).
     */
    default String refreshCerts() {
        return "Error TLS not enabled";
    }
}
