package io.memring.server.protocol;

import io.memring.server.ServerConfig;
import io.memring.server.net.MemoryBudget;
import io.memring.server.stats.ConnState;
import io.memring.server.stats.ServerStats;
import io.memring.server.storage.Numbers;
import io.memring.server.storage.Storage;
import io.memring.server.watch.WriteOrigin;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames memcached's text protocol on one connection and runs each command as soon as it is
 * complete, in order, writing replies to a buffer that is flushed when the read batch ends.
 *
 * <p>States: {@code LINE} (wait for a newline), {@code DATA} (a small data block, waiting in the
 * input buffer), {@code BODY} (a large data block, copied into a buffer of its own as it arrives),
 * {@code SWALLOW} (discard a refused data block), {@code KEYS} (a get line over {@value #MAX_LINE}
 * bytes: keys are answered as they arrive), {@code SKIP_LINE} (discard the rest of such a line after
 * an error), {@code CLOSING}. Limits, as memcached: a line with no newline after {@value #MAX_LINE}
 * bytes closes the connection unless it is a get/gets, whose keys are then streamed.
 *
 * <p>Memory, per connection: before each command the reply buffer is handed to the channel once it
 * holds {@value #FLUSH_THRESHOLD} bytes, and if the channel is then over its high water mark (the
 * client does not read) decoding pauses and reading stops until it drains. A read batch that ends
 * with the channel unwritable pauses the same way. So a connection holds at most about one water
 * mark of output plus one command's reply, and one read's worth of input. Long replies are produced
 * in {@value #OUTPUT_CHUNK}-byte pieces under the same rule. Large values in replies and large data
 * blocks in flight are counted against node-wide {@link MemoryBudget}s; what does not fit is answered
 * with memcached's out-of-memory errors instead of being buffered.
 */
public final class MemcachedFrameDecoder extends ByteToMessageDecoder implements ConnState {
    private static final Logger log = LoggerFactory.getLogger(MemcachedFrameDecoder.class);

    static final int MAX_LINE = 2048;
    /**
     * A complete line up to this long is buffered and tokenized, except a get-family line over
     * {@value #MAX_LINE} bytes, which is streamed: a paused multi-get then holds at most a 2 KB line.
     */
    static final int MAX_BUFFERED_LINE = 16 * 1024; // memcached's read buffer: a longer line it never sees whole
    static final int OUTPUT_CHUNK = 16 * 1024;
    static final int FLUSH_THRESHOLD = 32 * 1024;
    /** Largest reply buffer kept for reuse by an idle connection. */
    static final int SPARE_MAX = 16 * 1024;
    /** A data block up to this size may wait in the input buffer; a larger one gets its own budgeted buffer. */
    static final int SMALL_BODY = 16 * 1024;
    /** memcached's largest slab chunk (half its 1 MB page): larger values are stored, and fail, chunk by chunk. */
    static final int MEMCACHED_CHUNK_MAX = 512 * 1024;

    /** First byte of every memcached binary-protocol request. */
    private static final byte BINARY_REQUEST_MAGIC = (byte) 0x80;
    private static final ByteProcessor FIND_SPACE_OR_LF = b -> b != ' ' && b != '\n';
    /** A streamed get key ends at a space, the newline or a NUL (which ends the line for memcached). */
    private static final ByteProcessor FIND_KEY_END = b -> b != ' ' && b != '\n' && b != 0;

    private enum State { LINE, DATA, BODY, SWALLOW, KEYS, SKIP_LINE, CLOSING }

    private final Connection conn;
    private final CommandDispatcher dispatcher;
    private final TextCommands keysCommands;
    private final Tokens tokens = new Tokens();
    private byte[] lineBuf = new byte[256];
    private State state = State.LINE;
    private ByteBuf out;
    /**
     * The last reply buffer handed to the channel, kept (retained once more) for the next reply: once
     * the socket took all of it, the channel's release leaves our reference alone and it is reused, so
     * a request-reply connection allocates no reply buffer per request. Only small ones are kept.
     */
    private ByteBuf spare;
    /** A large data block being received, and its share of the read budget. */
    private ByteBuf body;
    private long bodyReserved;
    /** Streamed multi-get: gets/gats (with CAS), gat/gats (touch, with an exptime); the reply that ends a skipped line. */
    private boolean keysWithCas;
    private boolean keysTouch;
    private int keysExptime;
    private byte[] skippedLineReply;
    private boolean paused;
    /** Input left undecoded after the last decode: part of a command line (for {@code stats conns}). */
    private boolean partialInput;
    private boolean decoding;
    private boolean resuming;
    private boolean resumeAgain;

    /** A decoder with a budget of its own (tests and embedded use); a node shares one across connections. */
    public MemcachedFrameDecoder(Storage storage, ServerStats stats, ServerConfig config, NodeControl node) {
        this(storage, stats, config, node, new MemoryBudget("read_buf_mem_limit", config.effectiveBufferBudget()));
    }

    private MemcachedFrameDecoder(Storage storage, ServerStats stats, ServerConfig config, NodeControl node,
                                  MemoryBudget buffers) {
        this(storage, stats, config, node, buffers, buffers);
    }

    /** A decoder paying data blocks from {@code readBudget} and large reply values from {@code replyBudget}. */
    public MemcachedFrameDecoder(Storage storage, ServerStats stats, ServerConfig config, NodeControl node,
                                 MemoryBudget readBudget, MemoryBudget replyBudget) {
        this.conn = new Connection(storage, stats, config, node, readBudget, replyBudget);
        this.dispatcher = new CommandDispatcher(conn);
        this.keysCommands = dispatcher.text();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        conn.channel = ctx.channel();
        super.handlerAdded(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf buf) {
            conn.stats.bytesRead.add(buf.readableBytes());
        }
        long origin = conn.origin;
        if (origin != 0) {
            WriteOrigin.set(origin); // storage reports this connection's writes on this thread (mutation stream)
        }
        try {
            super.channelRead(ctx, msg);
        } finally {
            if (origin != 0 || conn.origin != 0) {
                WriteOrigin.set(0);
            }
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> ignored) {
        decoding = true;
        try {
            decodeAvailable(ctx, in);
        } finally {
            decoding = false;
            partialInput = in.isReadable();
        }
    }

    /** memcached's state names for a connection between reads (read from the stats thread). */
    @Override
    public String connState() {
        if (conn.watch != null) {
            return "conn_watch"; // memcached's state for a watcher: events flow out, nothing need come in
        }
        return switch (state) {
            case DATA, BODY -> "conn_nread";
            case SWALLOW -> "conn_swallow";
            case KEYS, SKIP_LINE -> "conn_read";
            case LINE -> partialInput ? "conn_read" : null;
            default -> null;
        };
    }

    private void decodeAvailable(ChannelHandlerContext ctx, ByteBuf in) {
        while (true) {
            if (state == State.CLOSING) {
                in.skipBytes(in.readableBytes());
                return;
            }
            if (paused) {
                return;
            }
            if (mustPause(ctx)) {
                continue; // pausing flushes, which may drain the channel and resume at once: look again
            }
            if (conn.stream != null) {
                pumpStream(ctx);
                continue;
            }
            if (!in.isReadable()) {
                return;
            }
            boolean progressed = switch (state) {
                case LINE -> readLine(ctx, in);
                case DATA -> readData(ctx, in);
                case BODY -> readBody(ctx, in);
                case SWALLOW -> swallow(in);
                case KEYS -> readKeys(ctx, in);
                case SKIP_LINE -> skipLine(ctx, in);
                default -> false;
            };
            if (!progressed) {
                return;
            }
        }
    }

    /**
     * Hands a full reply buffer to the channel; returns true (and pauses) if the channel is over its
     * high water mark, i.e. the client is not reading what we already sent.
     */
    private boolean mustPause(ChannelHandlerContext ctx) {
        if (out != null && out.readableBytes() >= FLUSH_THRESHOLD) {
            writeOut(ctx);
            ctx.flush();
        }
        if (!ctx.channel().isWritable()) {
            pause(ctx);
            return true;
        }
        return false;
    }

    /** Reads and runs one command line; returns false if more input is needed (or the connection closes). */
    private boolean readLine(ChannelHandlerContext ctx, ByteBuf in) {
        int start = in.readerIndex();
        if (in.getByte(start) == BINARY_REQUEST_MAGIC) {
            // A binary-protocol client would wait forever for an answer we cannot give: hang up at once.
            log.info("{}: binary protocol is not supported, closing", ctx.channel());
            close(ctx);
            return false;
        }
        int eol = in.forEachByte(start, Math.min(in.readableBytes(), MAX_BUFFERED_LINE), ByteProcessor.FIND_LF);
        if (eol < 0) {
            int pending = in.readableBytes();
            if (pending > MAX_LINE) {
                if (startKeys(in, false)) {
                    return true;
                }
                if (startsWith(in, start, WatchCommands.WATCH_PREFIX)) {
                    // an mr_watch line may be up to MAX_BUFFERED_LINE long: wait for it, or refuse it whole
                    if (pending < MAX_BUFFERED_LINE) {
                        return false;
                    }
                    skipRestOfLine(WatchCommands.LINE_TOO_LONG);
                    return true;
                }
                log.debug("{}: closing, {} bytes without a newline", ctx.channel(), pending);
                close(ctx);
            }
            return false;
        }
        if (eol - start > MAX_LINE && startKeys(in, true)) {
            return true; // a long get line is not tokenized: its keys are answered one by one
        }
        int length = eol - start;
        if (length > 0 && in.getByte(eol - 1) == '\r') {
            length--;
        }
        if (lineBuf.length < length) {
            lineBuf = Arrays.copyOf(lineBuf, Math.max(length, lineBuf.length * 2));
        }
        in.getBytes(start, lineBuf, 0, length);
        in.readerIndex(eol + 1);
        length = untilNul(lineBuf, length);
        tokens.parse(lineBuf, length);
        if (conn.node.verbosity() > 1) {
            // memcached -vv prints every command as "<fd command"
            log.info("<{} {}", ctx.channel().id(), new String(lineBuf, 0, Math.min(length, 300), StandardCharsets.ISO_8859_1));
        }
        conn.dataToRead = -1;
        conn.bytesToSwallow = 0;
        try {
            dispatcher.dispatch(tokens, out(ctx));
        } catch (RuntimeException e) {
            log.warn("{}: command failed", ctx.channel(), e);
            conn.stream = null;
            conn.dataToRead = -1;
            Replies.writeAscii(out(ctx), "SERVER_ERROR internal error\r\n");
        }
        if (conn.stream == null && lineBuf.length > 2 * MAX_LINE) {
            lineBuf = new byte[256]; // don't keep a long line's buffers for the connection's lifetime
            tokens.shrink();
        }
        if (conn.closeRequested) {
            close(ctx);
            return false;
        }
        if (conn.dataToRead >= 0) {
            expectBlock(ctx, in);
        } else if (conn.bytesToSwallow > 0) {
            state = State.SWALLOW;
        }
        return true;
    }

    /**
     * memcached reads a command line as a C string: it ends at the first NUL byte, and what follows
     * on that line is ignored ({@code set a\0b 0 0 1} is {@code set a}, answered ERROR).
     */
    static int untilNul(byte[] line, int length) {
        for (int i = 0; i < length; i++) {
            if (line[i] == 0) {
                return i;
            }
        }
        return length;
    }

    /**
     * A storage command wants its data block. A block already here, or a small one, is read from the
     * input buffer; a large one still arriving gets an exactly sized buffer paid from the node-wide
     * read budget, or, if the budget cannot pay, memcached's out-of-memory reply and is discarded.
     */
    private void expectBlock(ChannelHandlerContext ctx, ByteBuf in) {
        int need = conn.dataToRead;
        if (need <= SMALL_BODY || in.readableBytes() >= need) {
            state = State.DATA;
            return;
        }
        PendingStore pending = conn.pending;
        conn.pending = null;
        conn.dataToRead = -1;
        if (!conn.readBudget.tryReserve(need)) {
            conn.stats.readBufOom.increment();
            pending.outOfMemory(out(ctx), need - 2 > MEMCACHED_CHUNK_MAX);
            conn.swallow(need);
            state = State.SWALLOW;
            return;
        }
        bodyReserved = need;
        try {
            body = ctx.alloc().directBuffer(need, need);
        } catch (OutOfMemoryError e) {
            releaseBody();
            conn.stats.readBufOom.increment();
            log.warn("{}: cannot allocate a {}-byte data block", ctx.channel(), need, e);
            pending.outOfMemory(out(ctx), need - 2 > MEMCACHED_CHUNK_MAX);
            conn.swallow(need);
            state = State.SWALLOW;
            return;
        }
        conn.pending = pending;
        state = State.BODY;
    }

    /** Completes a storage command once its whole data block (plus CRLF) is in the input buffer. */
    private boolean readData(ChannelHandlerContext ctx, ByteBuf in) {
        int need = conn.dataToRead;
        if (in.readableBytes() < need) {
            return false;
        }
        int start = in.readerIndex();
        try {
            completeStore(ctx, in, start, need);
        } finally {
            in.readerIndex(start + need);
        }
        return true;
    }

    /** Copies what has arrived of a large data block into its buffer; completes the command when full. */
    private boolean readBody(ChannelHandlerContext ctx, ByteBuf in) {
        int n = Math.min(in.readableBytes(), body.writableBytes());
        body.writeBytes(in, n);
        if (body.isWritable()) {
            return n > 0;
        }
        try {
            completeStore(ctx, body, 0, body.readableBytes());
        } finally {
            releaseBody();
        }
        return true;
    }

    private void completeStore(ChannelHandlerContext ctx, ByteBuf data, int start, int need) {
        PendingStore pending = conn.pending;
        conn.pending = null;
        conn.dataToRead = -1;
        state = State.LINE;
        if (data.getByte(start + need - 2) == '\r' && data.getByte(start + need - 1) == '\n') {
            pending.complete(data, start, need - 2, out(ctx));
        } else {
            pending.badChunk(out(ctx));
        }
    }

    private void releaseBody() {
        if (body != null) {
            body.release();
            body = null;
        }
        conn.readBudget.release(bodyReserved);
        bodyReserved = 0;
    }

    private boolean swallow(ByteBuf in) {
        int n = Math.min(in.readableBytes(), conn.bytesToSwallow);
        in.skipBytes(n);
        conn.bytesToSwallow -= n;
        if (conn.bytesToSwallow == 0) {
            state = State.LINE;
        }
        return true;
    }

    /**
     * Starts streaming a get-family line longer than {@value #MAX_LINE} bytes: skips the command word
     * (and a gat's exptime) and answers keys as they arrive, so the line costs no memory however long.
     * An incomplete line may only be a get/gets, as in memcached (which closes on anything else); a
     * complete gat/gats line is streamed too.
     */
    private boolean startKeys(ByteBuf in, boolean complete) {
        int i = in.readerIndex();
        int end = in.writerIndex();
        int spaces = 0;
        while (i < end && in.getByte(i) == ' ') {
            i++;
            spaces++;
        }
        if (spaces > 100) {
            return false;
        }
        int after;
        if (startsWith(in, i, "get ")) {
            keysWithCas = false;
            keysTouch = false;
            after = i + 4;
        } else if (startsWith(in, i, "gets ")) {
            keysWithCas = true;
            keysTouch = false;
            after = i + 5;
        } else if (complete && startsWith(in, i, "gat ")) {
            keysWithCas = false;
            keysTouch = true;
            after = i + 4;
        } else if (complete && startsWith(in, i, "gats ")) {
            keysWithCas = true;
            keysTouch = true;
            after = i + 5;
        } else {
            return false;
        }
        in.readerIndex(after);
        state = State.KEYS;
        if (keysTouch) {
            readExptime(in);
        }
        return true;
    }

    /** Reads a streamed gat's exptime token (the line is complete); a bad one ends the line with memcached's error. */
    private void readExptime(ByteBuf in) {
        int r = in.readerIndex();
        while (in.getByte(r) == ' ') {
            r++;
        }
        int sep = in.forEachByte(r, Math.min(in.writerIndex() - r, 32), FIND_SPACE_OR_LF);
        if (sep < 0 || in.getByte(sep) == '\n') {
            skipRestOfLine(Replies.INVALID_EXPTIME);
            return;
        }
        byte[] token = new byte[sep - r];
        in.getBytes(r, token);
        in.readerIndex(sep);
        try {
            keysExptime = conn.storage.clock().toRelativeExpiry(Numbers.parseInt32(token, 0, token.length));
        } catch (NumberFormatException e) {
            skipRestOfLine(Replies.INVALID_EXPTIME);
        }
    }

    /**
     * Answers the keys of a streamed get line that have arrived whole, up to one output chunk;
     * consumed keys leave the input buffer at once, so the line costs no memory however long.
     */
    private boolean readKeys(ChannelHandlerContext ctx, ByteBuf in) {
        ByteBuf o = out(ctx);
        int budgetEnd = o.writerIndex() + OUTPUT_CHUNK;
        boolean progressed = false;
        while (o.writerIndex() < budgetEnd) {
            int r = in.readerIndex();
            int w = in.writerIndex();
            while (r < w && in.getByte(r) == ' ') {
                r++;
            }
            in.readerIndex(r);
            if (r == w) {
                return progressed;
            }
            int window = Math.min(w - r, TextCommands.KEY_MAX_LENGTH + 2); // key, CR, LF
            int sep = in.forEachByte(r, window, FIND_KEY_END);
            if (sep < 0) {
                if (window < TextCommands.KEY_MAX_LENGTH + 2) {
                    return progressed; // the key is not complete yet
                }
                skipRestOfLine(Replies.BAD_FORMAT);
                return true;
            }
            boolean nul = in.getByte(sep) == 0;
            boolean lineEnd = in.getByte(sep) == '\n';
            int keyEnd = lineEnd && sep > r && in.getByte(sep - 1) == '\r' ? sep - 1 : sep;
            int length = keyEnd - r;
            in.readerIndex(sep + 1);
            progressed = true;
            if (length > TextCommands.KEY_MAX_LENGTH) {
                finishKeys(o, Replies.BAD_FORMAT, lineEnd);
                return true;
            }
            if (length > 0) {
                byte[] key = new byte[length];
                in.getBytes(r, key);
                if (!keysCommands.getOne(key, keysWithCas, keysTouch, keysExptime, o)) {
                    finishKeys(o, TextCommands.OUT_OF_MEMORY_GET, lineEnd);
                    return true;
                }
            }
            if (lineEnd || nul) {
                finishKeys(o, Replies.END, lineEnd); // after a NUL the rest of the line is not read
                return true;
            }
        }
        return true;
    }

    /** Ends a streamed get with {@code reply}, now if the line is over, else once its rest is discarded. */
    private void finishKeys(ByteBuf o, byte[] reply, boolean lineEnd) {
        if (lineEnd) {
            o.writeBytes(reply);
            state = State.LINE;
        } else {
            skipRestOfLine(reply);
        }
    }

    private void skipRestOfLine(byte[] reply) {
        skippedLineReply = reply;
        state = State.SKIP_LINE;
    }

    private boolean skipLine(ChannelHandlerContext ctx, ByteBuf in) {
        int eol = in.forEachByte(ByteProcessor.FIND_LF);
        if (eol < 0) {
            in.skipBytes(in.readableBytes());
            return false;
        }
        in.readerIndex(eol + 1);
        out(ctx).writeBytes(skippedLineReply);
        skippedLineReply = null;
        state = State.LINE;
        return true;
    }

    private static boolean startsWith(ByteBuf in, int at, String prefix) {
        if (in.writerIndex() - at < prefix.length()) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (in.getByte(at + k) != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private void pumpStream(ChannelHandlerContext ctx) {
        if (!conn.stream.writeNext(out(ctx))) {
            conn.stream = null;
        }
    }

    private ByteBuf out(ChannelHandlerContext ctx) {
        if (out == null) {
            ByteBuf s = spare;
            if (s != null && s.refCnt() == 1) { // written out and released by the channel: ours alone
                spare = null;
                out = s.clear();
            } else {
                out = ctx.alloc().buffer(1024);
            }
        }
        return out;
    }

    /** Keeps {@code o}, about to be written, as the next reply buffer if there is none and it is small. */
    private void keepSpare(ByteBuf o) {
        if (spare == null && o.capacity() <= SPARE_MAX) {
            spare = o.retain();
        } else if (spare != null && spare.refCnt() == 1 && spare.capacity() < o.capacity() && o.capacity() <= SPARE_MAX) {
            spare.release();
            spare = o.retain();
        }
    }

    /** Hands the reply buffer to the channel; the reply budget it holds is returned once it is on the wire. */
    private void writeOut(ChannelHandlerContext ctx) {
        if (out != null && out.isReadable()) {
            conn.stats.bytesWritten.add(out.readableBytes());
            keepSpare(out);
            long reserved = conn.replyReserved;
            if (reserved > 0) {
                conn.replyReserved = 0;
                MemoryBudget budget = conn.replyBudget;
                ctx.write(out).addListener(f -> budget.release(reserved));
            } else {
                ctx.write(out, ctx.voidPromise());
            }
            out = null;
        }
    }

    private void pause(ChannelHandlerContext ctx) {
        paused = true;
        conn.stats.connYields.increment();
        ctx.channel().config().setAutoRead(false);
        ctx.flush();
    }

    private void close(ChannelHandlerContext ctx) {
        state = State.CLOSING;
        writeOut(ctx);
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Flushes the batch's replies. Unlike {@link ByteToMessageDecoder}, never asks for another read
     * while paused: that would read on from a client that does not read its replies (the defect that
     * let one such client fill direct memory). A channel left unwritable is not paused here: a client
     * that reads drains it before its next request, and one that does not is paused by the check
     * before that request is decoded, so reading stops after at most one more read.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        writeOut(ctx);
        ctx.flush();
        discardSomeReadBytes();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (paused && ctx.channel().isWritable()) {
            paused = false;
            ctx.channel().config().setAutoRead(true);
            if (resuming) {
                resumeAgain = true; // drained by resume's own flush: it looks at the input once more
            } else if (!decoding) {
                resume(ctx); // while decoding, the decode loop sees `paused` cleared and goes on
            }
        }
        super.channelWritabilityChanged(ctx);
    }

    /**
     * Continues a paused long reply, then whatever input is already buffered, until the input is
     * used up or the connection pauses again. A client that waits for its replies sends nothing
     * more, so input left here unread would never be read.
     */
    private void resume(ChannelHandlerContext ctx) throws Exception {
        resuming = true;
        try {
            do {
                resumeAgain = false;
                while (conn.stream != null && !paused && state != State.CLOSING) {
                    if (!mustPause(ctx)) {
                        pumpStream(ctx);
                    }
                }
                if (!paused) {
                    channelRead(ctx, Unpooled.EMPTY_BUFFER);
                }
                writeOut(ctx);
                ctx.flush();
            } while (resumeAgain && !paused);
        } finally {
            resuming = false;
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (out != null) {
            out.release();
            out = null;
        }
        if (spare != null) {
            spare.release();
            spare = null;
        }
        conn.replyBudget.release(conn.replyReserved);
        conn.replyReserved = 0;
        releaseBody();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("{}: closing after I/O error", ctx.channel(), cause);
        } else {
            // an Error (e.g. OutOfMemoryError) or a bug: an operator must see it
            log.warn("{}: closing after unexpected error", ctx.channel(), cause);
        }
        ctx.close();
    }
}
