package io.memring.client.connection;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A server on the ring: its address, connections and health. */
public final class Node {
    private final InetSocketAddress address;
    private final List<NodeConnection> connections;
    private final NodeHealth health;
    private final AtomicInteger roundRobin = new AtomicInteger();

    public Node(InetSocketAddress address, List<NodeConnection> connections, NodeHealth health) {
        this.address = address;
        this.connections = List.copyOf(connections);
        this.health = health;
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

    public int inFlight() {
        int n = 0;
        for (NodeConnection c : connections) {
            n += c.inFlight();
        }
        return n;
    }

    public boolean isConnected() {
        for (NodeConnection c : connections) {
            if (c.isConnected()) {
                return true;
            }
        }
        return false;
    }

    public void start() {
        connections.forEach(NodeConnection::start);
    }

    public void close() {
        connections.forEach(NodeConnection::close);
    }

    @Override
    public String toString() {
        return address.toString();
    }
}
