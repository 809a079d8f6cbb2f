package io.memring.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.server.stats.ServerStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AsciiAuthHandlerTest {
    @TempDir
    Path dir;
    private final ServerStats stats = new ServerStats();
    private final AtomicLong nanos = new AtomicLong();
    private AuthFile users;

    @BeforeEach
    void users() throws Exception {
        Path f = dir.resolve("auth");
        Files.writeString(f, "alice:secret\n");
        users = AuthFile.load(f);
    }

    private final AuthThrottle throttle = new AuthThrottle(nanos::get);

    /** A channel whose peer is 127.0.0.1, as every test client: the throttle counts per address. */
    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new AsciiAuthHandler(() -> users, throttle, stats)) {
            @Override
            protected java.net.SocketAddress remoteAddress0() {
                return new java.net.InetSocketAddress("127.0.0.1", 40000);
            }
        };
    }

    private static String replies(EmbeddedChannel ch) {
        StringBuilder out = new StringBuilder();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            out.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        return out.toString();
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    @Test
    void pipelinedCommandsBeforeAuth_eachGetTheirReply() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes("version\r\nget a\r\nset a 0 0 10\r\nalice oops\r\n"));
        assertThat(replies(ch)).isEqualTo("CLIENT_ERROR unauthenticated\r\nCLIENT_ERROR unauthenticated\r\n"
                + "CLIENT_ERROR authentication failure\r\n");
        assertThat(ch.isActive()).isTrue();
        assertThat(stats.authCmds.sum()).isEqualTo(1);
        assertThat(stats.authErrors.sum()).isEqualTo(1);
        ch.finishAndReleaseAll();
    }

    @Test
    void success_removesTheHandler_andPassesTheRestOfTheReadOn() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes("set a 0 0 12\r\nalice secret\r\nget a\r\n"));
        assertThat(replies(ch)).isEqualTo("STORED\r\n");
        assertThat(ch.pipeline().get(AsciiAuthHandler.class)).isNull();
        ByteBuf passedOn = ch.readInbound();
        assertThat(passedOn.toString(StandardCharsets.US_ASCII)).isEqualTo("get a\r\n");
        passedOn.release();
        assertThat(stats.bytesRead.sum()).isEqualTo("set a 0 0 12\r\nalice secret\r\n".length());
        ch.finishAndReleaseAll();
    }

    @Test
    void credentialsSplitAcrossReads_areAssembled() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes("se"));
        ch.writeInbound(bytes("t a 0 0 12\r\nalice "));
        assertThat(replies(ch)).isEmpty();
        ch.writeInbound(bytes("secret\r\n"));
        assertThat(replies(ch)).isEqualTo("STORED\r\n");
        ch.finishAndReleaseAll();
    }

    @Test
    void lineWithoutNewlineOver2048Bytes_closes() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes("x".repeat(2049)));
        assertThat(ch.isActive()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void hugeDataBlock_closesInsteadOfBuffering() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(bytes("set a 0 0 1000000\r\n"));
        assertThat(ch.isActive()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void afterTheBurst_attemptsAreRefusedUncheckedAndClosed_untilRefilled() {
        for (int i = 0; i < AuthThrottle.BURST; i++) {
            EmbeddedChannel ch = channel();
            ch.writeInbound(bytes("set a 0 0 10\r\nalice oops\r\n"));
            assertThat(replies(ch)).isEqualTo("CLIENT_ERROR authentication failure\r\n");
            assertThat(ch.isActive()).isTrue();
            ch.finishAndReleaseAll();
        }
        EmbeddedChannel throttled = channel();
        throttled.writeInbound(bytes("set a 0 0 12\r\nalice secret\r\n"));
        assertThat(replies(throttled)).isEqualTo("CLIENT_ERROR authentication failure\r\n");
        assertThat(throttled.isActive()).isFalse();
        assertThat(stats.authThrottled.sum()).isEqualTo(1);
        nanos.addAndGet(AuthThrottle.REFILL_MILLIS * 1_000_000);
        EmbeddedChannel later = channel();
        later.writeInbound(bytes("set a 0 0 12\r\nalice secret\r\n"));
        assertThat(replies(later)).isEqualTo("STORED\r\n");
        later.finishAndReleaseAll();
    }

    @Test
    void unauthenticatedClientThatNeverReads_stopsBeingRead_outputBounded() {
        EmbeddedChannel ch = channel();
        ch.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(64, 128));
        ch.pipeline().addFirst(new io.netty.channel.ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(io.netty.channel.ChannelHandlerContext ctx) {
                // never flushed: the socket is full
            }
        });
        ch.writeInbound(bytes("x\r\n".repeat(100)));
        assertThat(ch.isWritable()).isFalse();
        assertThat(ch.config().isAutoRead()).isFalse();
        assertThat(ch.unsafe().outboundBuffer().totalPendingWriteBytes()).isLessThan(300);
        ch.finishAndReleaseAll();
    }

    @Test
    void strtoul_asMemcached() {
        assertThat(AsciiAuthHandler.strtoul("12\r".getBytes(StandardCharsets.US_ASCII))).isEqualTo(12);
        assertThat(AsciiAuthHandler.strtoul("+7".getBytes(StandardCharsets.US_ASCII))).isEqualTo(7);
        assertThat(AsciiAuthHandler.strtoul("-1".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);
        assertThat(AsciiAuthHandler.strtoul("12x".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);
        assertThat(AsciiAuthHandler.strtoul("".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);
        assertThat(AsciiAuthHandler.strtoul("4294967298".getBytes(StandardCharsets.US_ASCII))).isEqualTo(2);
    }

    @Test
    void tokenize_stopsAtNul_andSkipsRunsOfSpaces() {
        assertThat(AsciiAuthHandler.tokenize("  alice   secret ".getBytes(StandardCharsets.US_ASCII)))
                .extracting(b -> new String(b, StandardCharsets.US_ASCII)).containsExactly("alice", "secret");
        assertThat(AsciiAuthHandler.tokenize("alice\0 secret".getBytes(StandardCharsets.US_ASCII))).hasSize(1);
    }
}
