package io.memring.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.server.ServerConfig;
import io.memring.server.net.MemoryBudget;
import io.memring.server.stats.ServerStats;
import io.memring.server.storage.FakeClock;
import io.memring.server.storage.Storage;
import io.memring.server.storage.StorageConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The framing layer's memory rules on embedded channels sharing one pair of node-wide budgets: large
 * data blocks paid from the read budget (or refused with memcached's reply and swallowed), large reply
 * values paid from the reply budget, get lines streamed key by key; every reservation returned.
 */
class ConnectionBudgetsTest {
    private static final int BUDGET = 100 * 1024;

    private final Storage storage = new Storage(StorageConfig.defaults(), new FakeClock());
    private final ServerStats stats = new ServerStats();
    private final MemoryBudget readBudget = new MemoryBudget("read", BUDGET);
    private final MemoryBudget replyBudget = new MemoryBudget("reply", BUDGET);
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private final EmbeddedNode control = new EmbeddedNode();

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        control.close();
    }

    private EmbeddedChannel connect() {
        EmbeddedChannel ch = new EmbeddedChannel(new MemcachedFrameDecoder(storage, stats,
                ServerConfig.defaults().withStorage(storage.config()), control, readBudget, replyBudget));
        channels.add(ch);
        return ch;
    }

    /** A connection whose replies never reach the socket, as if its client never read them. */
    private EmbeddedChannel connectNotReading(List<ChannelPromise> held) {
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                ReferenceCountUtil.release(msg);
                held.add(promise);
            }
        }, new MemcachedFrameDecoder(storage, stats, ServerConfig.defaults().withStorage(storage.config()), control,
                readBudget, replyBudget));
        channels.add(ch);
        return ch;
    }

    private static String value(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append((char) ('a' + i % 26));
        }
        return sb.toString();
    }

    @Test
    void largeBlock_arrivingInPieces_isStoredWhole_andItsBudgetReturned() {
        EmbeddedChannel ch = connect();
        String v = value(60 * 1024);
        assertThat(EmbeddedNode.send(ch, "set big 7 0 " + v.length() + "\r\n" + v.substring(0, 1000))).isEmpty();
        assertThat(readBudget.used()).isEqualTo(v.length() + 2);
        for (int at = 1000; at < v.length(); at += 7000) {
            assertThat(EmbeddedNode.send(ch, v.substring(at, Math.min(v.length(), at + 7000)))).isEmpty();
        }
        assertThat(EmbeddedNode.send(ch, "\r\nget big\r\n")).isEqualTo("STORED\r\nVALUE big 7 " + v.length() + "\r\n" + v + "\r\nEND\r\n");
        assertThat(readBudget.used()).isZero();
        assertThat(replyBudget.used()).isZero();
    }

    @Test
    void largeBlock_withoutCrLf_isABadDataChunk() {
        EmbeddedChannel ch = connect();
        String v = value(40 * 1024);
        EmbeddedNode.send(ch, "set big 0 0 " + v.length() + "\r\n" + v.substring(0, 100));
        assertThat(EmbeddedNode.send(ch, v.substring(100) + "XY" + "mn\r\n")).isEqualTo("CLIENT_ERROR bad data chunk\r\nMN\r\n");
        assertThat(readBudget.used()).isZero();
    }

    /** memcached answers an item it cannot allocate at once, keeps nothing of it and swallows its data. */
    @Test
    void largeBlock_beyondTheReadBudget_isRefusedAsMemcachedDoes_andSwallowed() {
        EmbeddedChannel first = connect();
        EmbeddedChannel second = connect();
        String v = value(60 * 1024);
        EmbeddedNode.send(second, "set k2 0 0 3\r\nold\r\n");
        assertThat(EmbeddedNode.send(first, "set k1 0 0 " + v.length() + "\r\n" + v.substring(0, 10))).isEmpty();
        assertThat(EmbeddedNode.send(second, "set k2 0 0 " + v.length() + "\r\n" + v.substring(0, 10)))
                .isEqualTo("SERVER_ERROR out of memory storing object\r\n");
        assertThat(EmbeddedNode.send(second, v.substring(10) + "\r\nmn\r\n")).isEqualTo("MN\r\n");
        assertThat(EmbeddedNode.send(first, v.substring(10) + "\r\n")).isEqualTo("STORED\r\n");
        // memcached unlinks the old item when a set cannot allocate, so stale data cannot persist
        assertThat(EmbeddedNode.send(second, "get k2\r\n")).isEqualTo("END\r\n");
        assertThat(readBudget.used()).isZero();
        assertThat(EmbeddedNode.send(second, "ms k3 " + v.length() + " q\r\n" + v.substring(0, 10))).isEmpty();
        assertThat(readBudget.used()).isEqualTo(v.length() + 2);
        second.finishAndReleaseAll();
        assertThat(readBudget.used()).as("a connection closed mid-block returns its budget").isZero();
        assertThat(stats.storeNoMemory.sum()).isEqualTo(1);
        assertThat(stats.readBufOom.sum()).as("read_buf_oom").isEqualTo(1);
    }

    @Test
    void noreplySet_beyondTheReadBudget_isSilent() {
        EmbeddedChannel first = connect();
        EmbeddedChannel second = connect();
        String v = value(60 * 1024);
        EmbeddedNode.send(first, "set k1 0 0 " + v.length() + "\r\n");
        assertThat(EmbeddedNode.send(second, "set k2 0 0 " + v.length() + " noreply\r\n" + v.substring(0, 10))).isEmpty();
        assertThat(EmbeddedNode.send(second, v.substring(10) + "\r\nmn\r\n")).isEqualTo("MN\r\n");
        assertThat(EmbeddedNode.send(second, "get k2\r\n")).isEqualTo("END\r\n");
        assertThat(stats.storeNoMemory.sum()).isEqualTo(1);
    }

    @Test
    void largeReplyValues_arePaidFromTheReplyBudget_untilWritten() {
        EmbeddedChannel ch = connect();
        String v = value(60 * 1024);
        EmbeddedNode.send(ch, "set big 0 0 " + v.length() + "\r\n" + v + "\r\n");
        String reply = EmbeddedNode.send(ch, "get big big big\r\n");
        assertThat(reply).isEqualTo(("VALUE big 0 " + v.length() + "\r\n" + v + "\r\n").repeat(3) + "END\r\n");
        assertThat(replyBudget.used()).isZero();
    }

    @Test
    void largeReplyValues_notYetWritten_holdTheReplyBudget_andOthersGetMemcachedsError() {
        EmbeddedChannel reader = connect();
        String v = value(60 * 1024);
        EmbeddedNode.send(reader, "set big 0 0 " + v.length() + "\r\n" + v + "\r\nset small 0 0 1\r\ns\r\n");
        List<ChannelPromise> held = new ArrayList<>();
        EmbeddedChannel stuck = connectNotReading(held);
        EmbeddedNode.send(stuck, "get big\r\n");
        assertThat(replyBudget.used()).isEqualTo(v.length() + 2);

        assertThat(EmbeddedNode.send(reader, "get small big small\r\nmn\r\n"))
                .isEqualTo("VALUE small 0 1\r\ns\r\nSERVER_ERROR out of memory writing get response\r\nMN\r\n");
        assertThat(EmbeddedNode.send(reader, "get " + "x ".repeat(40_000) + "big\r\nmn\r\n"))
                .isEqualTo("SERVER_ERROR out of memory writing get response\r\nMN\r\n");

        assertThat(stats.responseObjOom.sum()).as("response_obj_oom").isEqualTo(2);
        held.forEach(p -> p.setSuccess());
        assertThat(replyBudget.used()).isZero();
        assertThat(EmbeddedNode.send(reader, "get big\r\n")).isEqualTo("VALUE big 0 " + v.length() + "\r\n" + v + "\r\nEND\r\n");
    }

    @Test
    void connectionClosedWithRepliesUnwritten_returnsTheReplyBudget() {
        EmbeddedChannel reader = connect();
        String v = value(60 * 1024);
        EmbeddedNode.send(reader, "set big 0 0 " + v.length() + "\r\n" + v + "\r\n");
        List<ChannelPromise> held = new ArrayList<>();
        EmbeddedChannel stuck = connectNotReading(held);
        EmbeddedNode.send(stuck, "get big\r\n");
        assertThat(replyBudget.used()).isPositive();
        held.forEach(p -> p.setFailure(new java.io.IOException("connection reset")));
        stuck.finishAndReleaseAll();
        assertThat(replyBudget.used()).isZero();
    }

    @Test
    void getLine_tooLongToBuffer_isAnsweredKeyByKey_acrossFragments() {
        EmbeddedChannel ch = connect();
        EmbeddedNode.send(ch, "set a 0 0 1\r\n1\r\nset b 0 0 1\r\n2\r\n");
        String line = "get a " + "x ".repeat(50_000) + "b\r\n";
        StringBuilder reply = new StringBuilder();
        for (int at = 0; at < line.length(); at += 1333) {
            reply.append(EmbeddedNode.send(ch, line.substring(at, Math.min(line.length(), at + 1333))));
        }
        assertThat(reply.toString()).isEqualTo("VALUE a 0 1\r\n1\r\nVALUE b 0 1\r\n2\r\nEND\r\n");
        assertThat(EmbeddedNode.send(ch, "mn\r\n")).isEqualTo("MN\r\n");
    }

    @Test
    void streamedGetLine_withAnOverlongKey_endsWithTheErrorOnceTheLineIsOver() {
        EmbeddedChannel ch = connect();
        EmbeddedNode.send(ch, "set a 0 0 1\r\n1\r\n");
        String reply = EmbeddedNode.send(ch, "gets a " + "x ".repeat(2000));
        assertThat(reply).matches("VALUE a 0 1 \\d+\r\n1\r\n");
        assertThat(EmbeddedNode.send(ch, "k".repeat(300) + " a a a")).isEmpty();
        assertThat(EmbeddedNode.send(ch, " a\r\nmn\r\n")).isEqualTo("CLIENT_ERROR bad command line format\r\nMN\r\n");
    }

    /** memcached answers a long but complete get line whole; we answer it key by key, with the same bytes. */
    @Test
    void completeGetLineLongerThan2048Bytes_isStreamed_withTheSameReply() {
        EmbeddedChannel ch = connect();
        EmbeddedNode.send(ch, "set a 0 0 1\r\n1\r\nset b 0 0 1\r\n2\r\n");
        assertThat(EmbeddedNode.send(ch, "get a " + "x ".repeat(3000) + "b\r\nmn\r\n"))
                .isEqualTo("VALUE a 0 1\r\n1\r\nVALUE b 0 1\r\n2\r\nEND\r\nMN\r\n");
        assertThat(EmbeddedNode.send(ch, "gat 0 a " + "x ".repeat(3000) + "b\r\nmn\r\n"))
                .isEqualTo("VALUE a 0 1\r\n1\r\nVALUE b 0 1\r\n2\r\nEND\r\nMN\r\n");
        assertThat(stats.touchHits.sum()).isEqualTo(2);
        assertThat(EmbeddedNode.send(ch, "gats -1 a " + "x ".repeat(3000) + "\r\nget a\r\n")).matches("VALUE a 0 1 \\d+\r\n1\r\nEND\r\nEND\r\n");
        assertThat(EmbeddedNode.send(ch, "gat soon a " + "x ".repeat(3000) + "\r\nmn\r\n"))
                .isEqualTo("CLIENT_ERROR invalid exptime argument\r\nMN\r\n");
    }

    @Test
    void longLine_thatIsNotAGet_closesTheConnection() {
        EmbeddedChannel ch = connect();
        EmbeddedNode.send(ch, "set " + "k".repeat(3000));
        assertThat(ch.isOpen()).isFalse();
    }
}
