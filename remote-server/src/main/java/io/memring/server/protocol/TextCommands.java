package io.memring.server.protocol;

import io.memring.server.storage.ArithmeticRequest;
import io.memring.server.storage.ItemView;
import io.memring.server.storage.Storage;
import io.memring.server.storage.StoreMode;
import io.memring.server.storage.StoreRequest;
import io.memring.server.storage.StoreStatus;
import io.netty.buffer.ByteBuf;
import java.util.function.Consumer;

/**
 * memcached's classic text commands on items: get/gets/gat/gats, set/add/replace/append/prepend/cas,
 * delete, touch, incr/decr. Argument checks and replies follow memcached 1.6's {@code proto_text.c}.
 */
final class TextCommands {
    static final int KEY_MAX_LENGTH = 250;

    /** memcached's reply when it cannot allocate a get response (ours: the reply budget is spent). */
    static final byte[] OUT_OF_MEMORY_GET = Replies.ascii("SERVER_ERROR out of memory writing get response\r\n");
    /** memcached's reply when a chunk of a large value cannot be allocated while its data block is read. */
    static final byte[] OUT_OF_MEMORY_DURING_READ = Replies.ascii("SERVER_ERROR Out of memory during read\r\n");

    private final Connection c;
    private final HitWriter hit = new HitWriter();
    private final MultiGet multiGet = new MultiGet();
    private final TextPendingStore pendingStore = new TextPendingStore();

    TextCommands(Connection c) {
        this.c = c;
    }

    /** get, gets, gat, gats: {@code touch} commands take an exptime before the keys. */
    void get(Tokens t, ByteBuf out, boolean withCas, boolean touch) {
        int firstKey = 1;
        int exptime = 0;
        if (touch) {
            try {
                exptime = c.storage.clock().toRelativeExpiry(Arguments.int32(t, 1));
            } catch (NumberFormatException e) {
                out.writeBytes(Replies.INVALID_EXPTIME);
                return;
            }
            firstKey = 2;
        }
        for (int i = firstKey; i < t.count(); i++) {
            if (t.length(i) > KEY_MAX_LENGTH) {
                out.writeBytes(Replies.BAD_FORMAT);
                return;
            }
        }
        byte[] refused = touch ? c.node.cluster().refuseWrite(t.bytes(firstKey)) : c.node.cluster().refuseRead();
        if (refused != null) { // a gat line's keys may have other primaries: the first key decides
            out.writeBytes(refused);
            return;
        }
        MultiGet reply = multiGet.start(t, firstKey, withCas, touch, exptime);
        if (reply.writeNext(out)) {
            c.stream = reply; // a large reply continues as the client reads
        }
    }

    /**
     * Answers one key of a get: a hit writes its VALUE block, a miss nothing. Returns false, writing
     * nothing, when the value is large and the node-wide reply budget cannot hold it; the caller
     * then ends the command with {@link #OUT_OF_MEMORY_GET}, as memcached does when it cannot
     * allocate a response.
     */
    boolean getOne(byte[] key, boolean withCas, boolean touch, int exptime, ByteBuf out) {
        return getOne(key, 0, key.length, withCas, touch, exptime, out);
    }

    /** As above, the key being {@code src[off, off + len)} (a token of the command line: no copy). */
    boolean getOne(byte[] src, int off, int len, boolean withCas, boolean touch, int exptime, ByteBuf out) {
        hit.prepare(src, off, len, withCas, out);
        boolean found = c.storage.get(src, off, len, touch, exptime, hit);
        if (hit.refused) {
            return false;
        }
        if (touch) {
            c.stats.cmdTouch.increment();
            (found ? c.stats.touchHits : c.stats.touchMisses).increment();
        } else {
            c.stats.cmdGet.increment();
            (found ? c.stats.getHits : c.stats.getMisses).increment();
        }
        return true;
    }

    /** Writes a hit as {@code VALUE <key> <flags> <bytes> [<cas>]}; reused for every key of the connection. */
    private final class HitWriter implements Consumer<ItemView> {
        private byte[] key;
        private int keyOff;
        private int keyLen;
        private boolean withCas;
        private ByteBuf out;
        boolean refused;

        void prepare(byte[] src, int off, int len, boolean cas, ByteBuf o) {
            key = src;
            keyOff = off;
            keyLen = len;
            withCas = cas;
            out = o;
            refused = false;
        }

        @Override
        public void accept(ItemView item) {
            if (!c.reserveReply(item.valueLength())) {
                refused = true;
                return;
            }
            out.writeBytes(Replies.VALUE);
            out.writeBytes(key, keyOff, keyLen);
            out.writeByte(' ');
            Replies.writeUnsigned(out, item.clientFlags() & 0xffffffffL);
            out.writeByte(' ');
            Replies.writeUnsigned(out, item.valueLength());
            if (withCas) {
                out.writeByte(' ');
                Replies.writeUnsigned(out, item.cas());
            }
            out.writeBytes(Replies.CRLF);
            item.copyValue(out);
            out.writeBytes(Replies.CRLF);
            out = null;
            key = null;
        }
    }

    /**
     * The hits of one get command whose line is already tokenized, written in bounded pieces and
     * ended by END. One per connection: the framing layer reads no further line until it is done.
     */
    private final class MultiGet implements ReplyStream {
        private Tokens tokens;
        private boolean withCas;
        private boolean touch;
        private int exptime;
        private int next;

        MultiGet start(Tokens t, int firstKey, boolean cas, boolean touchToo, int exp) {
            tokens = t;
            next = firstKey;
            withCas = cas;
            touch = touchToo;
            exptime = exp;
            return this;
        }

        @Override
        public boolean writeNext(ByteBuf out) {
            int budgetEnd = out.writerIndex() + MemcachedFrameDecoder.OUTPUT_CHUNK;
            while (next < tokens.count()) {
                if (out.writerIndex() >= budgetEnd) {
                    return true;
                }
                int k = next++;
                if (!getOne(tokens.line(), tokens.start(k), tokens.length(k), withCas, touch, exptime, out)) {
                    out.writeBytes(OUT_OF_MEMORY_GET);
                    tokens = null;
                    return false;
                }
            }
            out.writeBytes(Replies.END);
            tokens = null;
            return false;
        }
    }

    /** set/add/replace/append/prepend (6 or 7 tokens) and cas (7 or 8 tokens). */
    void update(Tokens t, ByteBuf out, StoreMode mode) {
        boolean noreply = Arguments.noreply(t);
        if (t.length(1) > KEY_MAX_LENGTH) {
            reply(out, Replies.BAD_FORMAT, noreply);
            return;
        }
        int flags;
        int exptime;
        int vlen;
        long cas = 0;
        try {
            flags = (int) Arguments.uint32(t, 2);
            exptime = Arguments.int32(t, 3);
            vlen = Arguments.int32(t, 4);
            if (mode == StoreMode.CAS) {
                cas = Arguments.uint64(t, 5);
            }
        } catch (NumberFormatException e) {
            reply(out, Replies.BAD_FORMAT, noreply);
            return;
        }
        if (vlen < 0 || vlen > Integer.MAX_VALUE - 2) {
            reply(out, Replies.BAD_FORMAT, noreply);
            return;
        }
        StoreRequest r = c.store.reset();
        r.mode = mode;
        r.key = t.bytes(1);
        r.clientFlags = flags;
        r.exptime = c.storage.clock().toRelativeExpiry(exptime);
        r.compareCas = cas;
        byte[] refused = c.node.cluster().refuseWrite(r.key);
        if (refused != null) {
            out.writeBytes(refused); // errors go out even with noreply, as memcached's out_errstring
            c.swallow(vlen + 2L);
            return;
        }
        if ((long) vlen + r.key.length + Storage.itemHeaderSize() > c.storage.itemSizeLimit()) {
            // Too large to ever store: refuse now and discard the data without buffering it.
            c.stats.storeTooLarge.increment();
            reply(out, Replies.TOO_LARGE, noreply);
            if (mode == StoreMode.SET) {
                c.storage.delete(r.key);
            }
            c.swallow(vlen + 2L);
            return;
        }
        c.expectData(vlen, pendingStore.prepare(r, mode, noreply));
    }

    /**
     * A text storage command waiting for its data block; one per connection, since a connection runs
     * one command at a time (no allocation per set).
     */
    private final class TextPendingStore implements PendingStore {
        private StoreRequest r;
        private StoreMode mode;
        private boolean noreply;

        PendingStore prepare(StoreRequest request, StoreMode m, boolean quiet) {
            r = request;
            mode = m;
            noreply = quiet;
            return this;
        }

        @Override
        public void complete(ByteBuf data, int index, int length, ByteBuf o) {
            c.stats.cmdSet.increment();
            StoreStatus status = c.storage.store(r.withData(data, index, length));
            c.stats.countStore(mode == StoreMode.CAS, status == StoreStatus.STORED, status == StoreStatus.EXISTS);
            reply(o, storeReply(status), noreply);
        }

        @Override
        public void badChunk(ByteBuf o) {
            reply(o, Replies.BAD_DATA_CHUNK, noreply);
        }

        @Override
        public void outOfMemory(ByteBuf o, boolean chunked) {
            c.stats.storeNoMemory.increment();
            if (chunked) {
                reply(o, OUT_OF_MEMORY_DURING_READ, noreply);
                return;
            }
            // memcached: a failed allocation unlinks the old item on set, so stale data cannot persist.
            if (mode == StoreMode.SET) {
                c.storage.delete(r.key);
            }
            reply(o, Replies.OUT_OF_MEMORY_STORING, noreply);
        }
    }

    private byte[] storeReply(StoreStatus status) {
        switch (status) {
            case STORED:
                return Replies.STORED;
            case EXISTS:
                return Replies.EXISTS;
            case NOT_FOUND:
                return Replies.NOT_FOUND;
            case NOT_STORED:
                return Replies.NOT_STORED;
            case TOO_LARGE:
                c.stats.storeTooLarge.increment();
                return Replies.TOO_LARGE;
            case NO_MEMORY:
                c.stats.storeNoMemory.increment();
                return Replies.OUT_OF_MEMORY_STORING;
            default:
                return Replies.ascii("SERVER_ERROR Unhandled storage type.\r\n");
        }
    }

    void delete(Tokens t, ByteBuf out) {
        int n = t.memcachedCount();
        boolean noreply = false;
        if (n > 3) {
            boolean holdIsZero = t.is(2, "0");
            noreply = Arguments.noreply(t);
            boolean valid = (n == 4 && (holdIsZero || noreply)) || (n == 5 && holdIsZero && noreply);
            if (!valid) {
                reply(out, Replies.DELETE_USAGE, noreply);
                return;
            }
        }
        if (t.length(1) > KEY_MAX_LENGTH) {
            reply(out, Replies.BAD_FORMAT, noreply);
            return;
        }
        if (refuse(t, out)) {
            return;
        }
        StoreStatus status = c.storage.delete(t.bytes(1));
        if (status == StoreStatus.DELETED) {
            c.stats.deleteHits.increment();
            reply(out, Replies.DELETED, noreply);
        } else {
            c.stats.deleteMisses.increment();
            reply(out, Replies.NOT_FOUND, noreply);
        }
    }

    void touch(Tokens t, ByteBuf out) {
        boolean noreply = Arguments.noreply(t);
        if (t.length(1) > KEY_MAX_LENGTH) {
            reply(out, Replies.BAD_FORMAT, noreply);
            return;
        }
        int exptime;
        try {
            exptime = Arguments.int32(t, 2);
        } catch (NumberFormatException e) {
            reply(out, Replies.INVALID_EXPTIME, noreply);
            return;
        }
        if (refuse(t, out)) {
            return;
        }
        boolean hit = c.storage.touch(t.bytes(1), c.storage.clock().toRelativeExpiry(exptime));
        c.stats.cmdTouch.increment();
        (hit ? c.stats.touchHits : c.stats.touchMisses).increment();
        reply(out, hit ? Replies.TOUCHED : Replies.NOT_FOUND, noreply);
    }

    void arithmetic(Tokens t, ByteBuf out, boolean incr) {
        boolean noreply = Arguments.noreply(t);
        if (t.length(1) > KEY_MAX_LENGTH) {
            reply(out, Replies.BAD_FORMAT, noreply);
            return;
        }
        long delta;
        try {
            delta = Arguments.uint64(t, 2);
        } catch (NumberFormatException e) {
            reply(out, Replies.INVALID_DELTA, noreply);
            return;
        }
        if (refuse(t, out)) {
            return;
        }
        ArithmeticRequest r = c.arithmetic.reset();
        r.key = t.bytes(1);
        r.incr = incr;
        r.delta = delta;
        StoreStatus status = c.storage.arithmetic(r);
        switch (status) {
            case STORED -> {
                (incr ? c.stats.incrHits : c.stats.decrHits).increment();
                if (!noreply) {
                    Replies.writeUnsigned(out, r.value);
                    out.writeBytes(Replies.CRLF);
                }
            }
            case NOT_FOUND -> {
                (incr ? c.stats.incrMisses : c.stats.decrMisses).increment();
                reply(out, Replies.NOT_FOUND, noreply);
            }
            case NON_NUMERIC -> reply(out, Replies.NON_NUMERIC, noreply);
            default -> reply(out, Replies.OUT_OF_MEMORY, noreply);
        }
    }

    /** Answers the cluster's refusal of a write of token 1's key, if any (even with noreply). */
    private boolean refuse(Tokens t, ByteBuf out) {
        byte[] refused = c.node.cluster().refuseWrite(t.bytes(1));
        if (refused != null) {
            out.writeBytes(refused);
            return true;
        }
        return false;
    }

    /** Writes {@code line} unless noreply; memcached's {@code out_string}. */
    static void reply(ByteBuf out, byte[] line, boolean noreply) {
        if (!noreply) {
            out.writeBytes(line);
        }
    }
}
