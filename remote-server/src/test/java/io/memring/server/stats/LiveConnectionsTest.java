package io.memring.server.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveConnectionsTest {

    @Test
    void address_isMemcachedsConnText() throws Exception {
        assertThat(LiveConnections.address(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 11211)))
                .isEqualTo("tcp:127.0.0.1:11211");
        assertThat(LiveConnections.address(new InetSocketAddress(InetAddress.getByName("::1"), 5)))
                .isEqualTo("tcp6:[0:0:0:0:0:0:0:1]:5");
    }

    @Test
    void tracker_reportsStates_andForgetsClosedChannels() {
        LiveConnections live = new LiveConnections();
        List<String> seenInsideRead = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(DefaultChannelId.newInstance(), live.tracker(), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                seenInsideRead.add(live.snapshot().get(0).state());
                io.netty.util.ReferenceCountUtil.release(msg);
            }
        });
        assertThat(live.snapshot()).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo("conn_new_cmd");
            assertThat(e.listenAddr()).isNotNull();
            assertThat(e.secsSinceLastCmd()).isZero();
        });
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'x'}));
        assertThat(seenInsideRead).containsExactly("conn_parse_cmd");
        assertThat(live.snapshot().get(0).state()).isEqualTo("conn_waiting");
        assertThat(live.structures()).isEqualTo(1);

        EmbeddedChannel second = new EmbeddedChannel(DefaultChannelId.newInstance(), live.tracker());
        assertThat(live.snapshot()).hasSize(2);
        assertThat(live.structures()).isEqualTo(2);
        ch.close();
        second.close();
        assertThat(live.snapshot()).isEmpty();
        assertThat(live.structures()).as("a peak, not a gauge").isEqualTo(2);
    }

    @Test
    void listener_isListedAsListening() {
        LiveConnections live = new LiveConnections();
        EmbeddedChannel server = new EmbeddedChannel();
        live.addListener(server);
        assertThat(live.snapshot()).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo("conn_listening");
            assertThat(e.listenAddr()).isNull();
        });
        assertThat(live.structures()).isEqualTo(1);
        server.close();
        assertThat(live.snapshot()).isEmpty();
        assertThat(live.structures()).isZero();
    }

    @Test
    void idleKick_countsFromTheLastRead_notFromTheConnect() {
        LiveConnections live = new LiveConnections();
        EmbeddedChannel ch = new EmbeddedChannel(DefaultChannelId.newInstance(), live.tracker(), new ConnStateHandler());
        long idle = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(1000);
        long connected = System.nanoTime();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> System.nanoTime() - connected > idle * 6 / 10);
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'x'}));
        long lastRead = System.nanoTime();
        // past the idle time counted from the connect, not from the read: still open
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> System.nanoTime() - connected > idle + idle / 5);
        if (System.nanoTime() - lastRead < idle) { // (a descheduled test thread may be late: then skip this check)
            assertThat(live.kickIdle(idle)).isZero();
            assertThat(ch.isOpen()).isTrue();
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> {
            ch.runPendingTasks();
            return live.kickIdle(idle) == 1 || !ch.isOpen();
        });
        assertThat(ch.isOpen()).isFalse();
    }

    /** The protocol handler a kickable connection has; swallows input. */
    private static final class ConnStateHandler extends ChannelInboundHandlerAdapter implements ConnState {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            io.netty.util.ReferenceCountUtil.release(msg);
        }

        @Override
        public String connState() {
            return null;
        }
    }
}
