package io.memring.jcache.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLoggerFactory;

class EmbeddedNodeTest {

    @Test
    void withoutAnSlf4jBinding_theEmbeddedNodeAnnouncesItselfOnce_onStderr() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(err, true, StandardCharsets.UTF_8);
        AtomicBoolean announced = new AtomicBoolean();
        String line = EmbeddedNode.announcement(4242, 64);
        assertThat(EmbeddedNode.announceOnStderr(new NOPLoggerFactory(), line, out, announced)).isTrue();
        assertThat(EmbeddedNode.announceOnStderr(new NOPLoggerFactory(), line, out, announced)).isFalse();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(line + System.lineSeparator())
                .contains("embedded node on 127.0.0.1:4242").contains("memring.servers");
    }

    @Test
    void withAnSlf4jBinding_theLogSaysIt_andStderrStaysQuiet() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        boolean printed = EmbeddedNode.announceOnStderr(LoggerFactory.getILoggerFactory(), "x",
                new PrintStream(err, true, StandardCharsets.UTF_8), new AtomicBoolean());
        assertThat(printed).isFalse();
        assertThat(err.size()).isZero();
    }
}
