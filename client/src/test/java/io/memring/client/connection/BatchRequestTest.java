package io.memring.client.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.client.ServerErrorException;
import io.memring.client.protocol.MetaResponse;
import io.memring.client.protocol.MetaResponseDecoder;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BatchRequestTest {

    private static List<MetaResponse> decode(String wire) {
        EmbeddedChannel ch = new EmbeddedChannel(new MetaResponseDecoder(1 << 20));
        ch.writeInbound(Unpooled.copiedBuffer(wire, StandardCharsets.US_ASCII));
        List<MetaResponse> out = new ArrayList<>();
        MetaResponse r;
        while ((r = ch.readInbound()) != null) {
            out.add(r);
        }
        ch.finishAndReleaseAll();
        return out;
    }

    private static BatchRequest<TreeMap<Integer, String>> batch(int n) {
        TreeMap<Integer, String> hits = new TreeMap<>();
        return new BatchRequest<>(n, (out, i) -> { }, (i, r) -> hits.put(i, new String(r.value, StandardCharsets.US_ASCII)), () -> hits);
    }

    @Test
    void repliesInAnyOrder_areMatchedByOpaque_andQuietMissesAreAbsent() {
        BatchRequest<TreeMap<Integer, String>> b = batch(5);
        boolean done = false;
        for (MetaResponse r : decode("VA 1 O3\r\nd\r\nVA 1 O0\r\na\r\nMN\r\n")) {
            done = b.onResponse(r);
        }
        assertThat(done).isTrue();
        assertThat(b.future().join()).containsExactly(java.util.Map.entry(0, "a"), java.util.Map.entry(3, "d"));
    }

    @Test
    void batchIsNotDoneBeforeMn() {
        BatchRequest<TreeMap<Integer, String>> b = batch(2);
        for (MetaResponse r : decode("VA 1 O1\r\nb\r\n")) {
            assertThat(b.onResponse(r)).isFalse();
        }
        assertThat(b.isDone()).isFalse();
    }

    @Test
    void errorLineInBatch_failsTheBatchAtMn() {
        BatchRequest<TreeMap<Integer, String>> b = batch(2);
        for (MetaResponse r : decode("CLIENT_ERROR bad command line format\r\nMN\r\n")) {
            b.onResponse(r);
        }
        assertThat(b.future()).isCompletedExceptionally();
        assertThat(b.future()).failsWithin(java.time.Duration.ZERO).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOf(ServerErrorException.class).withMessageContaining("bad command line format");
    }

    @Test
    void replyWithUnknownOpaque_failsTheBatch() {
        BatchRequest<TreeMap<Integer, String>> b = batch(2);
        for (MetaResponse r : decode("VA 1 O9\r\nz\r\nMN\r\n")) {
            b.onResponse(r);
        }
        assertThat(b.future()).isCompletedExceptionally();
    }
    @Test
    void itemReplyItsHandlerRefuses_failsTheBatchAtMn() {
        // deleteManyIfCas maps each reply; an unexpected status ("NS" to an md) made the batch complete
        // normally at MN, reporting the item as deleted (the handler's exception only closed the connection)
        BatchRequest<String> b = new BatchRequest<>(1, (out, i) -> { }, (i, r) -> {
            throw new ServerErrorException("unexpected reply: " + r);
        }, () -> "all deleted");

        for (MetaResponse r : decode("NS O0\r\nMN\r\n")) {
            b.onResponse(r);
        }

        assertThat(b.future()).failsWithin(java.time.Duration.ZERO).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOf(ServerErrorException.class).withMessageContaining("NS");
    }
}
