package io.memring.client.connection;

import io.memring.client.ConnectionClosedException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A server on the ring: its address, its pipelined request connections, its health, and a separate
 * connection for key scans, opened on the first scan. A scan streams a line per item for as long as the
 * node holds items, so it must neither hold up requests queued behind it nor count against the node's
 * health.
 */
public final class Node {
    private final InetSocketAddress address;
    private final List<NodeConnection> connections;
    private final NodeHealth health;
    private final Supplier<NodeConnection> scanConnectionFactory;
    private final AtomicInteger roundRobin = new AtomicInteger();
    private NodeConnection scanConnection; // guarded by this
    private boolean closed; // guarded by this

    public Node(InetSocketAddress address, List<NodeConnection> connections, NodeHealth health,
                Supplier<NodeConnection> scanConnectionFactory) {
        this.address = address;
        this.connections = List.copyOf(connections);
        this.health = health;
        this.scanConnectionFactory = scanConnectionFactory;
    }

    public InetSocketAddress address() {
        return address;
    }

    public NodeHealth health() {
        return health;
    }

    public boolean isUp() {
        return health.isUp();
    }

    /** Sends on the connection chosen by {@code affinity} (a key hash keeps one key's requests in order). */
    public void send(Request<?> r, int affinity) {
        connections.get(Math.floorMod(affinity, connections.size())).send(r);
    }

    /** Sends on the next connection in turn. */
    public void send(Request<?> r) {
        send(r, roundRobin.getAndIncrement());
    }

    /** Sends a scan on the node's scan connection, opening it on first use. */
    public void sendScan(Request<?> r) {
        NodeConnection c;
        synchronized (this) {
            if (closed) {
                r.fail(new ConnectionClosedException("client closed"));
                return;
            }
            if (scanConnection == null) {
                scanConnection = scanConnectionFactory.get();
                scanConnection.start();
            }
            c = scanConnection;
        }
        c.send(r);
    }

    public int inFlight() {
        int n = 0;
        for (NodeConnection c : connections) {
            n += c.inFlight();
        }
        return n;
    }

    /** Returns whether a connection found a Memring node here ({@code mr_client} answered OK). */
    public boolean isMemringNode() {
        for (NodeConnection c : connections) {
            if (c.isMemringNode()) {
                return true;
            }
        }
        return false;
    }

    public boolean isConnected() {
        for (NodeConnection c : connections) {
            if (c.isConnected()) {
                return true;
            }
        }
        return false;
    }

    /** Completes when every request connection has made its first connect attempt. */
    public CompletableFuture<Void> firstAttempts() {
        return CompletableFuture.allOf(
                connections.stream().map(NodeConnection::firstAttempt).toArray(CompletableFuture[]::new));
    }

    public void start() {
        connections.forEach(NodeConnection::start);
    }

    public void close() {
        NodeConnection scans;
        synchronized (this) {
            closed = true;
            scans = scanConnection;
        }
        connections.forEach(NodeConnection::close);
        if (scans != null) {
            scans.close();
        }
    }

    @Override
    public String toString() {
        return address.toString();
    }
}
