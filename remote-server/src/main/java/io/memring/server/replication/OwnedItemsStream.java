package io.memring.server.replication;

import io.memring.server.storage.Storage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * Streams every live item whose key {@code wanted} accepts as SET frames (their own versions,
 * {@code shippedAtMs} 0) onto a channel: the full resync of a peer, and the answer to a DUMP request.
 * Walks the storage a bounded slice at a time on the channel's event loop and pauses while the channel
 * is not writable ({@link #resume} from the handler's writability event), so it never buffers more
 * than a slice beyond the channel's high water mark. Items changed during the walk also travel on the
 * live stream; last-writer-wins makes the overlap harmless.
 */
final class OwnedItemsStream {
    /** Index positions per slice: short shard-lock holds, a few hundred frames at most. */
    private static final int SLICE = 256;
    /** Slices walked per event-loop task before the stream yields to the loop's other channels. */
    private static final int SLICES_PER_TASK = 4;

    private final Storage storage;
    private final Predicate<byte[]> wanted;
    private final Channel channel;
    private final LongConsumer onDone;
    private final LongConsumer onWritten;
    private int shard;
    private int cursor;
    private long items;
    private boolean finished;

    OwnedItemsStream(Storage storage, Predicate<byte[]> wanted, Channel channel, LongConsumer onDone) {
        this(storage, wanted, channel, n -> { }, onDone);
    }

    /**
     * @param onWritten the number of frames of each slice as it is written (a stream cut short by a
     *     lost link still counts what it wrote)
     * @param onDone the total, once every item was written
     */
    OwnedItemsStream(Storage storage, Predicate<byte[]> wanted, Channel channel, LongConsumer onWritten, LongConsumer onDone) {
        this.onWritten = onWritten;
        this.storage = storage;
        this.wanted = wanted;
        this.channel = channel;
        this.onDone = onDone;
    }

    void start() {
        channel.eventLoop().execute(this::step);
    }

    /** Continues after the channel became writable again. */
    void resume() {
        if (channel.eventLoop().inEventLoop()) {
            step();
        } else {
            channel.eventLoop().execute(this::step);
        }
    }

    boolean finished() {
        return finished;
    }

    /**
     * Whether this stream will send nothing more: finished, or its channel is gone. A stream paused
     * for writability when its channel closed is never resumed (no writability event follows), so
     * without this a link that came back would wait for it forever and never resync.
     */
    boolean over() {
        return finished || !channel.isActive();
    }

    private void step() {
        if (finished) {
            return;
        }
        if (!channel.isActive()) {
            finished = true; // the link's loss marks the peer for another resync
            return;
        }
        List<ByteBuf> out = new ArrayList<>();
        int slices = 0;
        while (channel.isWritable() && shard < storage.shardCount()) {
            if (slices++ == SLICES_PER_TASK) {
                // Yield the event loop between bursts: with a reader that keeps up, the whole walk ran as
                // one task and starved every client connection sharing the loop (-t 1) for seconds.
                channel.eventLoop().execute(this::step);
                return;
            }
            int next = storage.crawl(shard, cursor, SLICE, item -> {
                byte[] key = item.key();
                if (wanted.test(key)) {
                    out.add(PeerFrames.set(channel.alloc(), key, item.clientFlags(), storage.toUnixExptime(item.exptime()),
                            item.cas(), 0, item::copyValue, item.valueLength()));
                }
            });
            if (next < 0) {
                shard++;
                cursor = 0;
            } else {
                cursor = next;
            }
            for (ByteBuf b : out) {
                channel.write(b, channel.voidPromise());
            }
            items += out.size();
            onWritten.accept(out.size());
            out.clear();
            channel.flush();
        }
        if (shard >= storage.shardCount()) {
            finished = true;
            onDone.accept(items);
        }
    }
}
