package io.memring.client;

import io.memring.client.security.Credentials;
import io.memring.client.security.TlsSettings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Immutable client settings; build with {@link #builder()}.
 *
 * @param servers the ring's nodes, in any order (placement depends only on their addresses)
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout time from submission to reply before a request fails with
 *     {@link RequestTimeoutException}
 * @param connectionsPerNode pipelined connections to each node
 * @param maxInFlightPerConnection queued plus unanswered requests per connection; beyond it requests
 *     fail at once with {@link OverloadException}
 * @param failover what requests for a down node do
 * @param failureThreshold consecutive failures (timeouts, closed or refused connections) that mark a
 *     node down
 * @param reconnectMin first reconnect delay; doubles per failed attempt
 * @param reconnectMax reconnect delay cap (also the probe interval of a down node)
 * @param ioThreads Netty event-loop threads
 * @param maxValueLength the largest value accepted in a reply
 * @param quarantine how long a node marked down stays out after its last failure: it comes back only
 *     when a probe succeeds at least this long after the last failure (timeouts and failed probes
 *     included); replies to old requests never bring it back
 * @param scanIdleTimeout a key scan ({@code lru_crawler metadump}, on a connection of its own) fails
 *     when no data arrives for this long; its failures never count against the node's health
 * @param ticker the clock of health decisions (quarantine); a fake one in tests
 * @param tls TLS on every connection to a node, or null for plain TCP
 * @param credentials memcached ASCII authentication ({@code -Y}) on every connection, or null for none
 */
public record ClientConfig(List<InetSocketAddress> servers, Duration connectTimeout, Duration requestTimeout,
                           int connectionsPerNode, int maxInFlightPerConnection, FailoverPolicy failover,
                           int failureThreshold, Duration reconnectMin, Duration reconnectMax, int ioThreads,
                           int maxValueLength, Duration quarantine, Duration scanIdleTimeout, Ticker ticker,
                           TlsSettings tls, Credentials credentials) {

    public ClientConfig {
        servers = List.copyOf(servers);
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("at least one server is required");
        }
        if (new java.util.HashSet<>(servers).size() != servers.size()) {
            throw new IllegalArgumentException("duplicate server in " + servers);
        }
        Objects.requireNonNull(failover, "failover");
        Objects.requireNonNull(ticker, "ticker");
        requirePositive(scanIdleTimeout, "scanIdleTimeout");
        if (quarantine == null || quarantine.isNegative()) {
            throw new IllegalArgumentException("quarantine must be zero or positive");
        }
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(requestTimeout, "requestTimeout");
        requirePositive(reconnectMin, "reconnectMin");
        requirePositive(reconnectMax, "reconnectMax");
        if (connectionsPerNode < 1 || maxInFlightPerConnection < 1 || failureThreshold < 1 || ioThreads < 1 || maxValueLength < 1) {
            throw new IllegalArgumentException("counts must be positive");
        }
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Parses "host:port,host:port" (IPv6 as [addr]:port). */
    public static List<InetSocketAddress> parseServers(String spec) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String part : spec.split("[,\\s]+")) {
            if (part.isBlank()) {
                continue;
            }
            int colon = part.lastIndexOf(':');
            if (colon <= 0 || colon == part.length() - 1) {
                throw new IllegalArgumentException("server must be host:port: " + part);
            }
            String host = part.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(part.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port in " + part, e);
            }
            out.add(new InetSocketAddress(host, port));
        }
        return out;
    }

    /** The connect timeout when none is set (also the JCache provider's default). */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** The request timeout when none is set (also the JCache provider's default). */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);

    /** A validating builder with the defaults listed on each setter. */
    public static final class Builder {
        private List<InetSocketAddress> servers = List.of();
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private int connectionsPerNode = 1;
        private int maxInFlightPerConnection = 16_384;
        private FailoverPolicy failover = FailoverPolicy.FAILOVER;
        private int failureThreshold = 3;
        private Duration reconnectMin = Duration.ofMillis(50);
        private Duration reconnectMax = Duration.ofSeconds(2);
        private int ioThreads = Math.min(4, Runtime.getRuntime().availableProcessors());
        private int maxValueLength = 64 * 1024 * 1024;
        private Duration quarantine = Duration.ofSeconds(10);
        private Duration scanIdleTimeout = Duration.ofSeconds(10);
        private Ticker ticker = Ticker.system();
        private TlsSettings tls;
        private Credentials credentials;

        public Builder servers(List<InetSocketAddress> s) {
            this.servers = s;
            return this;
        }

        /** "host:port,host:port". */
        public Builder servers(String spec) {
            return servers(parseServers(spec));
        }

        /** Default 2 s. */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        /** Default 2 s ({@link #DEFAULT_REQUEST_TIMEOUT}). */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = d;
            return this;
        }

        /** Default 1. */
        public Builder connectionsPerNode(int n) {
            this.connectionsPerNode = n;
            return this;
        }

        /** Default 16,384. */
        public Builder maxInFlightPerConnection(int n) {
            this.maxInFlightPerConnection = n;
            return this;
        }

        /** Default {@link FailoverPolicy#FAILOVER}. */
        public Builder failover(FailoverPolicy p) {
            this.failover = p;
            return this;
        }

        /** Default 3. */
        public Builder failureThreshold(int n) {
            this.failureThreshold = n;
            return this;
        }

        /** Defaults 50 ms and 2 s. */
        public Builder reconnect(Duration min, Duration max) {
            this.reconnectMin = min;
            this.reconnectMax = max;
            return this;
        }

        /** Default min(4, cores). */
        public Builder ioThreads(int n) {
            this.ioThreads = n;
            return this;
        }

        /** Default 64 MB. */
        public Builder maxValueLength(int n) {
            this.maxValueLength = n;
            return this;
        }

        /** Default 10 s: a node marked down returns only after a probe succeeds this long after its last failure. */
        public Builder quarantine(Duration d) {
            this.quarantine = d;
            return this;
        }

        /** Default 10 s without data before a key scan fails. */
        public Builder scanIdleTimeout(Duration d) {
            this.scanIdleTimeout = d;
            return this;
        }

        /** Default {@link Ticker#system()}. */
        public Builder ticker(Ticker t) {
            this.ticker = t;
            return this;
        }

        /** Default none (plain TCP): TLS on every connection, with these trust and client-certificate settings. */
        public Builder tls(TlsSettings t) {
            this.tls = t;
            return this;
        }

        /**
         * Default none: authenticate every connection with memcached's ASCII authentication ({@code -Y}).
         * A node that does not ask for it is not sent the password (logged at WARN once).
         */
        public Builder credentials(Credentials c) {
            this.credentials = c;
            return this;
        }

        public ClientConfig build() {
            return new ClientConfig(servers, connectTimeout, requestTimeout, connectionsPerNode, maxInFlightPerConnection,
                    failover, failureThreshold, reconnectMin, reconnectMax, ioThreads, maxValueLength, quarantine,
                    scanIdleTimeout, ticker, tls, credentials);
        }
    }
}
