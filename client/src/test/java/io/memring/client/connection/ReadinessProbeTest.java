package io.memring.client.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.client.NodeNotReadyException;
import io.memring.client.NotOwnerException;
import io.memring.client.ServerErrorException;
import io.memring.client.Ticker;
import io.memring.client.protocol.ErrorReplies;
import io.memring.client.protocol.MetaResponse;
import io.memring.client.protocol.MetaResponseDecoder;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadinessProbeTest {

    private static List<MetaResponse> decode(String wire) {
        EmbeddedChannel ch = new EmbeddedChannel(new MetaResponseDecoder(1024));
        try {
            ch.writeInbound(Unpooled.copiedBuffer(wire, StandardCharsets.ISO_8859_1));
            List<MetaResponse> out = new ArrayList<>();
            for (MetaResponse r; (r = ch.readInbound()) != null; ) {
                out.add(r);
            }
            return out;
        } finally {
            ch.finishAndReleaseAll();
        }
    }

    private static ReadinessProbe.Answer answer(String wire) {
        ReadinessProbe probe = new ReadinessProbe();
        for (MetaResponse r : decode(wire)) {
            if (probe.onResponse(r)) {
                break;
            }
        }
        return probe.future().getNow(null);
    }

    @Test
    void memringNode_readyOrCatchingUp_withItsFingerprint() {
        assertThat(answer("STAT repl_state ready\r\nSTAT ring_fingerprint 0011223344556677\r\nEND\r\n"))
                .isEqualTo(new ReadinessProbe.Answer(true, "0011223344556677"));
        assertThat(answer("STAT repl_state catching_up\r\nSTAT repl_state_note pulling\r\nEND\r\n").ready()).isFalse();
        assertThat(answer("STAT repl_state ready\r\nEND\r\n")).isEqualTo(new ReadinessProbe.Answer(true, null));
    }

    @Test
    void stockMemcached_answersError_andCountsAsReady() {
        assertThat(answer("ERROR\r\n")).isEqualTo(new ReadinessProbe.Answer(true, null));
    }

    @Test
    void clusterRefusals_becomeTypedExceptions_othersStayServerErrors() {
        List<MetaResponse> r = decode("SERVER_ERROR not owner 127.0.0.1:11211\r\nSERVER_ERROR catching up\r\n"
                + "SERVER_ERROR out of memory storing object\r\nSERVER_ERROR not owner \r\n");
        assertThat(ErrorReplies.toException(r.get(0))).isInstanceOfSatisfying(NotOwnerException.class,
                e -> assertThat(e.owner()).isEqualTo("127.0.0.1:11211"));
        assertThat(ErrorReplies.toException(r.get(1))).isInstanceOf(NodeNotReadyException.class);
        assertThat(ErrorReplies.toException(r.get(2))).isExactlyInstanceOf(ServerErrorException.class);
        assertThat(ErrorReplies.toException(r.get(3))).as("no node named").isExactlyInstanceOf(ServerErrorException.class);
    }

    @Test
    void fingerprintMismatch_isWarnedOncePerNode_matchOrNoneIsNot() {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(NodeHealth.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> events = new ch.qos.logback.core.read.ListAppender<>();
        events.start();
        logger.addAppender(events);
        try {
            NodeHealth health = NodeHealth.detached("n");
            health.onFingerprint("aaaa", "aaaa");
            health.onFingerprint(null, "aaaa");
            assertThat(events.list).isEmpty();
            health.onFingerprint("bbbb", "aaaa");
            health.onFingerprint("bbbb", "aaaa");
            assertThat(events.list).hasSize(1);
            assertThat(events.list.get(0).getLevel()).isEqualTo(ch.qos.logback.classic.Level.WARN);
            assertThat(events.list.get(0).getFormattedMessage()).contains("bbbb").contains("aaaa");
        } finally {
            logger.detachAppender(events);
        }
    }

    @Test
    void notReady_marksDownAtOnce_andAReadyProbeBringsItBack_withoutQuarantine() {
        long[] now = {1_000_000_000L};
        Ticker ticker = () -> now[0];
        NodeHealth health = new NodeHealth("n", 3, Duration.ofSeconds(10), ticker);
        health.onNotReady();
        assertThat(health.isUp()).isFalse();
        health.onProbeSuccess();
        assertThat(health.isUp()).isTrue();
    }
}
