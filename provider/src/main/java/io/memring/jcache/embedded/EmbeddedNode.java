package io.memring.jcache.embedded;

import io.memring.server.MemringServer;
import io.memring.server.ServerConfig;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.cache.CacheException;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

/**
 * A Memring node on 127.0.0.1, owned by a CachingProvider. Its threads are daemons: an application
 * that returns from {@code main} exits whether or not it closed the provider.
 */
public final class EmbeddedNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedNode.class);
    private static final AtomicBoolean announcedOnStderr = new AtomicBoolean();

    private final MemringServer server;

    private EmbeddedNode(MemringServer server) {
        this.server = server;
    }

    /** Starts a node of {@code memoryMb} whose largest item is {@code maxItemSizeKb}. */
    public static EmbeddedNode start(int memoryMb, int maxItemSizeKb) {
        try {
            ServerConfig config = ServerConfig.defaults().withPort(0).withWorkerThreads(2)
                    .withStorage(ServerConfig.defaults().storage().withMemoryLimit(memoryMb * 1024L * 1024L)
                            .withMaxItemSize(maxItemSizeKb * 1024));
            MemringServer server = MemringServer.startEmbedded(config);
            String line = announcement(server.port(), memoryMb);
            log.info(line);
            if (announceOnStderr(LoggerFactory.getILoggerFactory(), line, System.err, announcedOnStderr)) {
                log.debug("no SLF4J binding: announced the embedded node on stderr");
            }
            return new EmbeddedNode(server);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheException("interrupted while starting the embedded node", e);
        } catch (IllegalArgumentException e) {
            throw new CacheException("cannot start the embedded node (memring.embedded.memoryMb=" + memoryMb
                    + ", memring.embedded.maxItemSizeKb=" + maxItemSizeKb + "): " + e.getMessage(), e);
        }
    }

    static String announcement(int port, int memoryMb) {
        return "Memring: no memring.servers configured: started an embedded node on 127.0.0.1:" + port + " (" + memoryMb
                + " MB), private to this JVM; set memring.servers=host:port,... to share a cluster";
    }

    /**
     * Without an SLF4J binding every log line is dropped, so a plain application would never learn that
     * it runs a private node: say it once per JVM on {@code err}. Returns whether it printed.
     */
    static boolean announceOnStderr(ILoggerFactory loggers, String line, PrintStream err, AtomicBoolean announced) {
        if (loggers instanceof NOPLoggerFactory && announced.compareAndSet(false, true)) {
            err.println(line);
            return true;
        }
        return false;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.port());
    }

    @Override
    public void close() {
        server.close();
    }
}
