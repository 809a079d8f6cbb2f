package io.memring.jcache.embedded;

import io.memring.server.MemringServer;
import io.memring.server.ServerConfig;
import java.net.InetSocketAddress;
import javax.cache.CacheException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A Memring node on 127.0.0.1, owned by a CachingProvider. */
public final class EmbeddedNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedNode.class);

    private final MemringServer server;

    private EmbeddedNode(MemringServer server) {
        this.server = server;
    }

    public static EmbeddedNode start(int memoryMb) {
        try {
            ServerConfig config = ServerConfig.defaults().withPort(0).withWorkerThreads(2)
                    .withStorage(ServerConfig.defaults().storage().withMemoryLimit(memoryMb * 1024L * 1024L));
            MemringServer server = MemringServer.start(config);
            log.info("no memring.servers configured: started an embedded node on 127.0.0.1:{} ({} MB)", server.port(), memoryMb);
            return new EmbeddedNode(server);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheException("interrupted while starting the embedded node", e);
        }
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.port());
    }

    @Override
    public void close() {
        server.close();
    }
}
