package io.memring.server.protocol;

import io.memring.server.ServerConfig;
import io.memring.server.stats.ServerStats;
import io.memring.server.storage.Storage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames memcached's text protocol on one connection and runs each command as soon as it is
 * complete, in order, writing replies to a buffer that is flushed when the read batch ends.
 *
 * <p>States: {@code LINE} (wait for a newline), {@code DATA} (wait for a storage command's data
 * block and its CRLF), {@code SWALLOW} (discard a refused data block), {@code CLOSING}. Limits, as
 * memcached: a line with no newline after {@value #MAX_LINE} bytes closes the connection unless it is
 * a multi-get, which may run to {@value #MAX_MULTIGET_LINE} bytes.
 *
 * <p>Back-pressure: once a reply buffer reaches {@link #FLUSH_THRESHOLD} it is written out; if the
 * socket is then unwritable (the client does not read), decoding pauses and reading stops until the
 * client catches up. Long replies (multi-gets, metadump) are produced in {@link #OUTPUT_CHUNK} pieces
 * under the same rule, so a client that never reads costs a bounded amount of memory.
 */
public final class MemcachedFrameDecoder extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(MemcachedFrameDecoder.class);

    static final int MAX_LINE = 2048;
    static final int MAX_MULTIGET_LINE = 4 * 1024 * 1024;
    static final int OUTPUT_CHUNK = 64 * 1024;
    static final int FLUSH_THRESHOLD = 256 * 1024;

    /** First byte of every memcached binary-protocol request. */
    private static final byte BINARY_REQUEST_MAGIC = (byte) 0x80;

    private enum State { LINE, DATA, SWALLOW, CLOSING }

    private final Connection conn;
    private final CommandDispatcher dispatcher;
    private final Tokens tokens = new Tokens();
    private byte[] lineBuf = new byte[256];
    private State state = State.LINE;
    private ByteBuf out;
    private boolean paused;
    private boolean decoding;
    private boolean resuming;

    public MemcachedFrameDecoder(Storage storage, ServerStats stats, ServerConfig config, NodeControl node) {
        this.conn = new Connection(storage, stats, config, node);
        this.dispatcher = new CommandDispatcher(conn);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf buf) {
            conn.stats.bytesRead.add(buf.readableBytes());
        }
        super.channelRead(ctx, msg);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> ignored) {
        decoding = true;
        try {
            decodeAvailable(ctx, in);
        } finally {
            decoding = false;
        }
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
            if (out != null && out.readableBytes() >= FLUSH_THRESHOLD) {
                writeOut(ctx);
                if (!ctx.channel().isWritable()) {
                    pause(ctx);
                    continue; // the flush may have drained it at once; the loop checks `paused`
                }
            }
            if (conn.stream != null) {
                pumpStream(ctx);
                continue;
            }
            if (!in.isReadable()) {
                return;
            }
            switch (state) {
                case LINE -> {
                    if (!readLine(ctx, in)) {
                        return;
                    }
                }
                case DATA -> {
                    if (!readData(ctx, in)) {
                        return;
                    }
                }
                case SWALLOW -> {
                    int n = Math.min(in.readableBytes(), conn.bytesToSwallow);
                    in.skipBytes(n);
                    conn.bytesToSwallow -= n;
                    if (conn.bytesToSwallow == 0) {
                        state = State.LINE;
                    }
                }
                default -> {
                    return;
                }
            }
        }
    }

    /** Reads and runs one command line; returns false if more input is needed (or the connection closes). */
    private boolean readLine(ChannelHandlerContext ctx, ByteBuf in) {
        int start = in.readerIndex();
        if (in.getByte(start) == BINARY_REQUEST_MAGIC) {
            // A binary-protocol client would wait forever for an answer we cannot give: hang up at once.
            log.info("{}: binary protocol is not supported, closing", ctx.channel());
            state = State.CLOSING;
            closeAfterFlush(ctx);
            return false;
        }
        int eol = in.forEachByte(start, in.readableBytes(), ByteProcessor.FIND_LF);
        if (eol < 0) {
            int pending = in.readableBytes();
            if (pending > MAX_LINE && (!isMultiGet(in) || pending > MAX_MULTIGET_LINE)) {
                log.debug("{}: closing, {} bytes without a newline", ctx.channel(), pending);
                state = State.CLOSING;
                closeAfterFlush(ctx);
            }
            return false;
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
        tokens.parse(lineBuf, length);
        if (conn.node.verbosity() > 1) {
            // memcached -vv prints every command as "<fd command"
            log.info("<{} {}", ctx.channel().id(), new String(lineBuf, 0, Math.min(length, 300), java.nio.charset.StandardCharsets.ISO_8859_1));
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
        if (lineBuf.length > 64 * 1024) {
            lineBuf = new byte[256]; // don't keep a multi-get's buffer for the connection's lifetime
        }
        if (conn.closeRequested) {
            state = State.CLOSING;
            closeAfterFlush(ctx);
            return false;
        }
        if (conn.dataToRead >= 0) {
            state = State.DATA;
        } else if (conn.bytesToSwallow > 0) {
            state = State.SWALLOW;
        }
        return true;
    }

    /** Completes a storage command once its whole data block (plus CRLF) has arrived. */
    private boolean readData(ChannelHandlerContext ctx, ByteBuf in) {
        int need = conn.dataToRead;
        if (in.readableBytes() < need) {
            return false;
        }
        int start = in.readerIndex();
        PendingStore pending = conn.pending;
        conn.pending = null;
        conn.dataToRead = -1;
        state = State.LINE;
        try {
            if (in.getByte(start + need - 2) == '\r' && in.getByte(start + need - 1) == '\n') {
                pending.complete(in, start, need - 2, out(ctx));
            } else {
                pending.badChunk(out(ctx));
            }
        } finally {
            in.readerIndex(start + need);
        }
        return true;
    }

    private static boolean isMultiGet(ByteBuf in) {
        int i = in.readerIndex();
        int spaces = 0;
        while (i < in.writerIndex() && in.getByte(i) == ' ') {
            i++;
            spaces++;
        }
        if (spaces > 100 || in.writerIndex() - i < 5) {
            return false;
        }
        return startsWith(in, i, "get ") || startsWith(in, i, "gets ");
    }

    private static boolean startsWith(ByteBuf in, int at, String prefix) {
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
            out = ctx.alloc().buffer(1024);
        }
        return out;
    }

    private void writeOut(ChannelHandlerContext ctx) {
        if (out != null && out.isReadable()) {
            conn.stats.bytesWritten.add(out.readableBytes());
            ctx.write(out, ctx.voidPromise());
            out = null;
        }
    }

    private void pause(ChannelHandlerContext ctx) {
        paused = true;
        conn.stats.connYields.increment();
        ctx.channel().config().setAutoRead(false);
        ctx.flush();
    }

    private void closeAfterFlush(ChannelHandlerContext ctx) {
        writeOut(ctx);
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        writeOut(ctx);
        ctx.flush();
        super.channelReadComplete(ctx);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (paused && ctx.channel().isWritable()) {
            paused = false;
            ctx.channel().config().setAutoRead(true);
            if (!decoding && !resuming) {
                resuming = true;
                try {
                    resume(ctx);
                } finally {
                    resuming = false;
                }
            }
        }
        super.channelWritabilityChanged(ctx);
    }

    /** Continues a paused long reply, then whatever input is already buffered. */
    private void resume(ChannelHandlerContext ctx) throws Exception {
        while (conn.stream != null && !paused && state != State.CLOSING) {
            pumpStream(ctx);
            if (out != null && out.readableBytes() >= FLUSH_THRESHOLD) {
                writeOut(ctx);
                if (!ctx.channel().isWritable()) {
                    pause(ctx);
                }
            }
        }
        if (!paused) {
            channelRead(ctx, Unpooled.EMPTY_BUFFER);
        }
        writeOut(ctx);
        ctx.flush();
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (out != null) {
            out.release();
            out = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("{}: closing after error", ctx.channel(), cause);
        ctx.close();
    }
}
