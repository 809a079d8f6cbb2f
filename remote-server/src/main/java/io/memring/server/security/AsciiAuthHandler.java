package io.memring.server.security;

import io.memring.server.stats.ServerStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * memcached 1.6.18's ASCII authentication ({@code -Y}), in front of the protocol handler of every connection
 * until it authenticates, then removed from the pipeline (what follows the {@code STORED} in the same read
 * goes on to the protocol handler): the connection costs nothing more afterwards.
 *
 * <p>As memcached's {@code try_read_command_asciiauth}: a line is read (no newline within 2048 bytes closes
 * the connection); unless it is {@code set <key> <flags> <exptime> <bytes> ...}, it is answered
 * {@code CLIENT_ERROR unauthenticated} and the connection stays open. Otherwise {@code <bytes>+2} bytes are
 * read: not ending in {@code \r\n} is {@code CLIENT_ERROR bad command line termination}; fewer than two
 * space-separated tokens {@code CLIENT_ERROR bad authentication token format}; a user and password in the
 * file {@code STORED}, any other {@code CLIENT_ERROR authentication failure}. Attempts are counted in
 * {@code auth_cmds}, failures in {@code auth_errors}.
 *
 * <p>Differences, deliberate: several commands that arrive in one read before authentication each get their
 * reply (memcached 1.6.18 overwrites all but the last one's); a data block over {@value #MAX_TOKEN} bytes closes
 * the connection (memcached would wait for it); an address that failed too often ({@link AuthThrottle}) gets
 * {@code CLIENT_ERROR authentication failure} without its password being checked, and is disconnected.
 */
public final class AsciiAuthHandler extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(AsciiAuthHandler.class);
    static final int MAX_LINE = 2048;
    /** Largest user-and-password block accepted (memcached's 16 KB read buffer holds no larger one). */
    static final int MAX_TOKEN = 8 * 1024;
    private static final int MAX_TOKENS = 24;

    private static final byte[] UNAUTHENTICATED = reply("CLIENT_ERROR unauthenticated");
    private static final byte[] BAD_TERMINATION = reply("CLIENT_ERROR bad command line termination");
    private static final byte[] BAD_FORMAT = reply("CLIENT_ERROR bad authentication token format");
    private static final byte[] FAILURE = reply("CLIENT_ERROR authentication failure");
    private static final byte[] STORED = reply("STORED");

    private final java.util.function.Supplier<AuthFile> users;
    private final AuthThrottle throttle;
    private final ServerStats stats;
    /** Bytes of the auth data block still expected (its {@code <bytes>} + 2), or -1 while reading a line. */
    private long blockLength = -1;
    /** Reading stopped because the client does not read its replies. */
    private boolean paused;

    /** {@code users} is asked at each attempt, so a reloaded file applies to connections already open. */
    public AsciiAuthHandler(java.util.function.Supplier<AuthFile> users, AuthThrottle throttle, ServerStats stats) {
        this.users = users;
        this.throttle = throttle;
        this.stats = stats;
    }

    private static byte[] reply(String s) {
        return (s + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int before = in.readerIndex();
        try {
            while (ctx.channel().isActive() && !ctx.isRemoved()) {
                if (!ctx.channel().isWritable()) {
                    // a client that sends and never reads: stop reading until its replies drain (bounded output)
                    paused = true;
                    ctx.channel().config().setAutoRead(false);
                    return;
                }
                if (!step(ctx, in)) {
                    return; // more input needed, or the handler is gone
                }
            }
        } finally {
            stats.bytesRead.add(in.readerIndex() - before); // what is passed on is counted by the protocol handler
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (paused && ctx.channel().isWritable()) {
            paused = false;
            ctx.channel().config().setAutoRead(true);
            channelRead(ctx, Unpooled.EMPTY_BUFFER); // decode what is already buffered
        }
        super.channelWritabilityChanged(ctx);
    }

    /** Handles one line or data block; returns false when more input is needed or the connection ends. */
    private boolean step(ChannelHandlerContext ctx, ByteBuf in) {
        if (blockLength < 0) {
            if (in.readableBytes() < 2) {
                return false;
            }
            int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            if (lf < 0) {
                if (in.readableBytes() > MAX_LINE) {
                    in.skipBytes(in.readableBytes());
                    ctx.close();
                }
                return false;
            }
            byte[] line = new byte[lf - in.readerIndex()];
            in.readBytes(line);
            in.skipBytes(1);
            List<byte[]> tokens = tokenize(line);
            long size = tokens.size() >= 5 && Arrays.equals(tokens.get(0), "set".getBytes(StandardCharsets.US_ASCII))
                    ? strtoul(tokens.get(4)) : -1;
            if (size < 0) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(UNAUTHENTICATED));
                return true;
            }
            if (size > MAX_TOKEN) {
                log.debug("{}: auth data block of {} bytes, closing", ctx.channel(), size);
                in.skipBytes(in.readableBytes());
                ctx.close();
                return false;
            }
            blockLength = size + 2;
        }
        if (in.readableBytes() < blockLength) {
            return false;
        }
        byte[] block = new byte[(int) blockLength];
        in.readBytes(block);
        blockLength = -1;
        int n = block.length;
        if (block[n - 2] != '\r' || block[n - 1] != '\n') {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(BAD_TERMINATION));
            return true;
        }
        List<byte[]> tokens = tokenize(Arrays.copyOf(block, n - 2));
        if (tokens.size() < 2) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(BAD_FORMAT));
            return true;
        }
        return authenticate(ctx, tokens.get(0), tokens.get(1));
    }

    private boolean authenticate(ChannelHandlerContext ctx, byte[] user, byte[] password) {
        stats.authCmds.increment();
        InetAddress from = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : null;
        if (from != null && !throttle.mayTry(from)) {
            stats.authErrors.increment();
            stats.authThrottled.increment();
            log.debug("{}: too many failed authentications from {}, closing", ctx.channel(), from);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(FAILURE)).addListener(ChannelFutureListener.CLOSE);
            return false;
        }
        if (users.get().check(user, password)) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(STORED));
            ctx.pipeline().remove(this); // hands what is left of this read to the protocol handler
            return false;
        }
        stats.authErrors.increment();
        if (from != null) {
            throttle.failed(from);
        }
        ctx.writeAndFlush(Unpooled.wrappedBuffer(FAILURE));
        return true;
    }

    /**
     * memcached's {@code tokenize_command}: the text up to the first NUL, split on spaces (runs of spaces
     * are one separator), at most {@value #MAX_TOKENS} - 1 tokens, the last holding the rest of the line.
     */
    static List<byte[]> tokenize(byte[] line) {
        int len = 0;
        while (len < line.length && line[len] != 0) {
            len++;
        }
        List<byte[]> tokens = new ArrayList<>();
        int s = 0;
        for (int e = 0; e < len; e++) {
            if (line[e] == ' ') {
                if (s != e) {
                    tokens.add(Arrays.copyOfRange(line, s, e));
                    if (tokens.size() == MAX_TOKENS - 1) {
                        return tokens;
                    }
                }
                s = e + 1;
            }
        }
        if (s < len) {
            tokens.add(Arrays.copyOfRange(line, s, len));
        }
        return tokens;
    }

    /**
     * memcached's {@code safe_strtoul}: optional leading whitespace and sign, decimal digits, then the end or
     * whitespace; a negative number is refused. Returns the value (truncated to 32 bits, as memcached stores
     * it) or -1 when the token is not such a number.
     */
    static long strtoul(byte[] token) {
        int i = 0;
        while (i < token.length && isSpace(token[i])) {
            i++;
        }
        boolean negative = false;
        if (i < token.length && (token[i] == '+' || token[i] == '-')) {
            negative = token[i] == '-';
            i++;
        }
        int digitsFrom = i;
        long value = 0;
        boolean overflow = false;
        while (i < token.length && token[i] >= '0' && token[i] <= '9') {
            long next = value * 10 + (token[i] - '0');
            if (value > (Long.MAX_VALUE - 9) / 10) {
                overflow = true;
            }
            value = next;
            i++;
        }
        if (i == digitsFrom || overflow || (i < token.length && !isSpace(token[i]))) {
            return -1;
        }
        if (negative && value != 0) {
            return -1; // strtoul negates; memcached refuses what comes out negative as a signed number (every -N but -0)
        }
        return value & 0xFFFFFFFFL;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == 0x0b || b == '\f' || b == '\r';
    }
}
