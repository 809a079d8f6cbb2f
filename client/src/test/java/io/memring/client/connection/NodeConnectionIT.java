package io.memring.client.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memring.client.ClientConfig;
import io.memring.client.GetResult;
import io.memring.client.MemcacheException;
import io.memring.client.protocol.MetaRequests;
import io.memring.client.protocol.MetaResponse;
import io.memring.testing.StockMemcached;
import io.netty.buffer.ByteBuf;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** One connection against stock memcached, below the routing layer. */
class NodeConnectionIT {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A request that writes the start of a get and then fails, as an encoder bug would. */
    private static final class HalfWritten extends Request<Void> {
        @Override
        public void encode(ByteBuf out) {
            out.writeCharSequence("mg ", StandardCharsets.US_ASCII);
            throw new IllegalStateException("encoder failed half way");
        }

        @Override
        public boolean onResponse(MetaResponse response) {
            throw new AssertionError("a request that was never sent got a reply: " + response);
        }
    }

    private static SingleRequest<GetResult> get(byte[] key) {
        return new SingleRequest<>(out -> MetaRequests.get(out, key, null, false),
                r -> r.status == MetaResponse.Status.VA ? new GetResult(r.value, r.clientFlags, r.cas) : null);
    }

    @Test
    void requestWhoseEncodingFails_leavesNoBytes_andTheNextRequestsGetTheirOwnReplies() throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (StockMemcached memcached = StockMemcached.start("-t", "1")) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", memcached.port);
            ClientConfig config = ClientConfig.builder().servers(List.of(address)).requestTimeout(Duration.ofSeconds(5)).build();
            NodeHealth health = new NodeHealth("test", 3, Duration.ZERO, io.memring.client.Ticker.system());
            NodeConnection connection = new NodeConnection(address, config, health, group.next(), NioSocketChannel.class);
            connection.start();
            try {
                SingleRequest<StoreOutcome> set = new SingleRequest<>(
                        out -> MetaRequests.set(out, b("k2"), b("value-of-k2"), 0, 0, MetaRequests.Mode.SET, 0, null, false),
                        r -> new StoreOutcome(r.status));
                connection.send(set);
                assertThat(set.future().get(5, TimeUnit.SECONDS).status()).isEqualTo(MetaResponse.Status.HD);

                List<HalfWritten> broken = new ArrayList<>();
                List<SingleRequest<GetResult>> gets = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    HalfWritten h = new HalfWritten();
                    broken.add(h);
                    connection.send(h);
                    SingleRequest<GetResult> g = get(b("k2"));
                    gets.add(g);
                    connection.send(g);
                }
                for (HalfWritten h : broken) {
                    assertThatThrownBy(() -> h.future().get(5, TimeUnit.SECONDS))
                            .hasCauseInstanceOf(MemcacheException.class).hasMessageContaining("encoder failed half way");
                }
                for (SingleRequest<GetResult> g : gets) {
                    GetResult r = g.future().get(5, TimeUnit.SECONDS);
                    assertThat(r).isNotNull();
                    assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("value-of-k2");
                }
                assertThat(health.failures()).isZero();
            } finally {
                connection.close();
            }
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private record StoreOutcome(MetaResponse.Status status) {
    }
}
