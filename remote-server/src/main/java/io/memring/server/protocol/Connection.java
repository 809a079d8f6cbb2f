package io.memring.server.protocol;

import io.memring.server.ServerConfig;
import io.memring.server.net.MemoryBudget;
import io.memring.server.stats.ServerStats;
import io.memring.server.storage.ArithmeticRequest;
import io.memring.server.storage.MetaGetRequest;
import io.memring.server.storage.Storage;
import io.memring.server.storage.StoreRequest;

/**
 * Per-connection state shared by the command classes: the node's collaborators, reusable request
 * objects (one connection runs one command at a time), and what the framing layer must do next.
 */
final class Connection {
    /**
     * Reply values above this size are counted against the node-wide reply budget; smaller ones are
     * bounded per connection by the output back-pressure alone.
     */
    static final int LARGE_VALUE = 16 * 1024;

    final Storage storage;
    final ServerStats stats;
    final ServerConfig config;
    final NodeControl node;
    /** Data blocks still arriving, node-wide. */
    final MemoryBudget readBudget;
    /** Large reply values not yet written to the socket, node-wide. */
    final MemoryBudget replyBudget;
    /** Bytes of {@link #replyBudget} held by the reply buffer not yet handed to the channel. */
    long replyReserved;

    final StoreRequest store = new StoreRequest();
    final MetaGetRequest metaGet = new MetaGetRequest();
    final ArithmeticRequest arithmetic = new ArithmeticRequest();

    /** Set by a command line: read this many data bytes (including the final CRLF) and call back. */
    int dataToRead = -1;
    /** Set by a command line: discard this many bytes. */
    int bytesToSwallow;
    /** Set by {@code quit}: flush and close. */
    boolean closeRequested;
    /** Set by {@code lru_crawler metadump}: stream this before reading further commands. */
    ReplyStream stream;
    /** What to do with the data block once read. */
    PendingStore pending;
    /** Set by {@code mr_pull <fingerprint>}: a peer's catch-up pull, whose reads run even while this node catches up. */
    boolean catchUpPull;
    /** The {@code mr_client} id this connection's writes are tagged with; 0 until it says one. */
    long origin;
    /** The socket, for a connection that becomes a mutation-stream subscription. */
    io.netty.channel.Channel channel;
    /** This connection's {@code mr_watch} subscription, or null. */
    io.memring.server.watch.Subscriber watch;

    Connection(Storage storage, ServerStats stats, ServerConfig config, NodeControl node,
               MemoryBudget readBudget, MemoryBudget replyBudget) {
        this.storage = storage;
        this.stats = stats;
        this.config = config;
        this.node = node;
        this.readBudget = readBudget;
        this.replyBudget = replyBudget;
    }

    /** Returns false if a value of this size cannot be copied into the reply now (the budget is spent). */
    boolean reserveReply(int valueLength) {
        if (valueLength <= LARGE_VALUE) {
            return true;
        }
        long bytes = valueLength + 2L;
        if (!replyBudget.tryReserve(bytes)) {
            stats.responseObjOom.increment();
            return false;
        }
        replyReserved += bytes;
        return true;
    }

    void expectData(int valueLength, PendingStore then) {
        dataToRead = valueLength + 2;
        pending = then;
    }

    void swallow(long bytes) {
        bytesToSwallow = (int) Math.min(Integer.MAX_VALUE, bytes);
    }
}
