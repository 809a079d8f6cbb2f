package io.memring.server.protocol;

import io.memring.server.ServerConfig;
import io.memring.server.stats.ServerStats;
import io.memring.server.storage.FakeClock;
import io.memring.server.storage.Storage;
import io.memring.server.storage.StorageConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;

/** One protocol connection on an {@link EmbeddedChannel} over real storage and a fake clock. */
final class EmbeddedNode implements AutoCloseable, NodeControl {
    final FakeClock clock = new FakeClock();
    final Storage storage;
    final ServerStats stats = new ServerStats();
    final EmbeddedChannel channel;
    int verbosity;
    int flushes;

    EmbeddedNode() {
        this(StorageConfig.defaults());
    }

    EmbeddedNode(StorageConfig config) {
        storage = new Storage(config, clock);
        channel = newChannel();
    }

    EmbeddedChannel newChannel() {
        return new EmbeddedChannel(new MemcachedFrameDecoder(storage, stats, ServerConfig.defaults().withStorage(storage.config()), this));
    }

    /** Sends bytes (ISO-8859-1) and returns every reply byte written so far. */
    String send(String request) {
        return send(channel, request);
    }

    static String send(EmbeddedChannel ch, String request) {
        ch.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        if (ch.isOpen()) {
            ch.flushOutbound();
        }
        ch.checkException();
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            sb.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return sb.toString();
    }

    @Override
    public int verbosity() {
        return verbosity;
    }

    @Override
    public void setVerbosity(int level) {
        verbosity = level;
    }

    @Override
    public void flushAll(int delaySeconds) {
        flushes++;
        storage.flushAll(delaySeconds);
    }

    @Override
    public long pid() {
        return 42;
    }

    @Override
    public int threads() {
        return 1;
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }
}
