package io.memring.client;

import io.memring.client.connection.Node;
import io.memring.client.connection.NodeConnection;
import io.memring.client.connection.NodeHealth;
import io.memring.client.ketama.NodeKeys;
import io.memring.client.routing.RingClient;
import io.memring.client.routing.Router;
import io.memring.client.security.ConnectionSetup;
import io.memring.client.watch.Watcher;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Assembles a client: event loops, one {@link Node} per server, the ring router, the API. */
public final class MemcacheClients {
    private MemcacheClients() {
    }

    /** Returns a random id for {@code mr_client}: 64 bits, never 0. */
    static long newClientId() {
        long id;
        do {
            id = java.util.concurrent.ThreadLocalRandom.current().nextLong();
        } while (id == 0);
        return id;
    }

    /** Creates a client and starts connecting to every server (requests may be sent at once). */
    public static RingClient create(ClientConfig config) {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends SocketChannel> channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        // Daemon threads: an application that returns from main (closing its CacheManager or not) lets the JVM exit.
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("memring-client", true), io);
        // One setup for every connection of this client: the TLS context is built (files read) once.
        ConnectionSetup setup = ConnectionSetup.of(config.tls(), config.credentials(), config.connectTimeout());
        long clientId = newClientId();
        List<Node> nodes = new ArrayList<>();
        for (InetSocketAddress address : config.servers()) {
            String name = NodeKeys.spymemcached(address);
            NodeHealth health = new NodeHealth(name, config.failureThreshold(), config.quarantine(), config.ticker());
            List<NodeConnection> connections = new ArrayList<>();
            for (int i = 0; i < config.connectionsPerNode(); i++) {
                connections.add(new NodeConnection(address, config, health, group.next(), channelType, clientId, setup));
            }
            // Scans get a connection of their own, with an idle deadline and a health that never marks the node down.
            nodes.add(new Node(address, connections, health, () -> new NodeConnection(address, config,
                    NodeHealth.detached(name + " (scans)"), group.next(), channelType, config.scanIdleTimeout(), setup)));
        }
        Router router = new Router(nodes, config.failover());
        nodes.forEach(Node::start);
        Watcher watcher = new Watcher(clientId, config, group, channelType, setup);
        return new RingClient(router, clientId, watcher, () -> {
            watcher.close();
            nodes.forEach(Node::close);
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        });
    }
}
