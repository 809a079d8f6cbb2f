package io.memring.jcache.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.client.ClientConfig;
import io.memring.client.MemcacheClient;
import io.memring.client.MemcacheClients;
import io.memring.server.MemringServer;
import io.memring.server.ServerConfig;
import io.memring.testing.StockMemcached;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** The server kind from {@code version}: Memring nodes keep the plain layout, stock memcached gets generations. */
class ServerKindsIT {

    private static MemcacheClient client(int port) {
        return MemcacheClients.create(ClientConfig.builder().servers("127.0.0.1:" + port).build());
    }

    @Test
    void memringNode_isMemring_andItsCachesArePlainNamespaces() throws Exception {
        try (MemringServer node = MemringServer.start(ServerConfig.defaults().withPort(0));
             MemcacheClient client = client(node.port())) {
            String version = ServerKinds.version(new InetSocketAddress("127.0.0.1", node.port()), 2000);
            assertThat(ServerKinds.kindOf(version)).isEqualTo(ServerKinds.Kind.MEMRING);
            RingStores stores = new RingStores(client);
            assertThat(stores.generational()).isFalse();
            assertThat(stores.forCache("c")).isInstanceOf(RingStore.class);
        }
    }

    @Test
    void stockMemcached_isStock_andItsCachesAreGenerational() throws Exception {
        try (StockMemcached node = StockMemcached.start();
             MemcacheClient client = client(node.port)) {
            String version = ServerKinds.version(new InetSocketAddress("127.0.0.1", node.port), 2000);
            assertThat(version).startsWith("1.6");
            assertThat(ServerKinds.kindOf(version)).isEqualTo(ServerKinds.Kind.STOCK);
            RingStores stores = new RingStores(client);
            assertThat(stores.generational()).isTrue();
            assertThat(stores.forCache("c")).isInstanceOf(GenerationalStore.class);
        }
    }

    @Test
    void noListener_orAnEndlessLine_isUnknown() throws Exception {
        int closedPort = StockMemcached.freePort();
        assertThat(ServerKinds.version(new InetSocketAddress("127.0.0.1", closedPort), 500)).isNull();
        assertThat(ServerKinds.kindOf(null)).isEqualTo(ServerKinds.Kind.UNKNOWN);

        try (ServerSocket hostile = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = hostile.accept(); OutputStream out = s.getOutputStream()) {
                    out.write("VERSION ".getBytes());
                    out.write(new byte[4096]); // no line end within the limit
                    out.flush();
                    s.getInputStream().read(); // hold until the probe gives up
                } catch (IOException ignored) {
                    // the probe closed the connection
                }
            });
            t.start();
            assertThat(ServerKinds.version(new InetSocketAddress("127.0.0.1", hostile.getLocalPort()), 2000)).isNull();
            t.join(5000);
        }
    }
}
