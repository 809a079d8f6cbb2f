package io.memring.client.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.memring.client.ProtocolException;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetaResponseDecoderTest {
    private final EmbeddedChannel ch = new EmbeddedChannel(new MetaResponseDecoder(1024));

    @AfterEach
    void finish() {
        ch.finishAndReleaseAll();
    }

    /** Feeds bytes to a fresh decoder and returns what it threw. */
    private static Throwable errorFor(String wire) {
        EmbeddedChannel bad = new EmbeddedChannel(new MetaResponseDecoder(1024));
        try {
            bad.writeInbound(Unpooled.copiedBuffer(wire, StandardCharsets.ISO_8859_1));
            return null;
        } catch (DecoderException e) {
            return e.getCause();
        } finally {
            bad.releaseInbound();
            bad.close();
        }
    }

    private void feed(String s) {
        ch.writeInbound(Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1));
    }

    private MetaResponse next() {
        return ch.readInbound();
    }

    @Test
    void valueWithFlags() {
        feed("VA 5 f7 c123 Oab kkey\r\nhello\r\n");
        MetaResponse r = next();
        assertThat(r.status).isEqualTo(MetaResponse.Status.VA);
        assertThat(new String(r.value, StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(r.clientFlags).isEqualTo(7);
        assertThat(r.cas).isEqualTo(123);
        assertThat(r.opaque).isEqualTo("ab");
        assertThat(new String(r.keyToken, StandardCharsets.US_ASCII)).isEqualTo("key");
    }

    @Test
    void everyStatusLine() {
        feed("HD c9\r\nEN\r\nNS\r\nEX\r\nNF O3\r\nMN\r\nOK\r\nVERSION 1.6.18\r\nERROR\r\nCLIENT_ERROR bad data chunk\r\nSERVER_ERROR out of memory\r\n");
        assertThat(next().cas).isEqualTo(9);
        assertThat(next().status).isEqualTo(MetaResponse.Status.EN);
        assertThat(next().status).isEqualTo(MetaResponse.Status.NS);
        assertThat(next().status).isEqualTo(MetaResponse.Status.EX);
        assertThat(next().opaque).isEqualTo("3");
        assertThat(next().status).isEqualTo(MetaResponse.Status.MN);
        assertThat(next().status).isEqualTo(MetaResponse.Status.OK);
        assertThat(next().rest).isEqualTo("1.6.18");
        assertThat(next().isError()).isTrue();
        MetaResponse clientError = next();
        assertThat(clientError.status).isEqualTo(MetaResponse.Status.CLIENT_ERROR);
        assertThat(clientError.rest).isEqualTo("bad data chunk");
        assertThat(next().status).isEqualTo(MetaResponse.Status.SERVER_ERROR);
    }

    @Test
    void partialFrames_areReassembled() {
        feed("V");
        feed("A 3 f");
        assertThat((Object) next()).isNull();
        feed("1\r\nab");
        assertThat((Object) next()).isNull();
        feed("c\r");
        assertThat((Object) next()).isNull();
        feed("\nH");
        MetaResponse r = next();
        assertThat(new String(r.value, StandardCharsets.US_ASCII)).isEqualTo("abc");
        feed("D\r\n");
        assertThat(next().status).isEqualTo(MetaResponse.Status.HD);
    }

    @Test
    void valueContainingCrlf_isReadByLength() {
        feed("VA 4\r\na\r\nb\r\n");
        assertThat(new String(next().value, StandardCharsets.US_ASCII)).isEqualTo("a\r\nb");
    }

    @Test
    void garbage_isAProtocolError() {
        assertThat(errorFor("HELLO WORLD\r\n")).isInstanceOf(ProtocolException.class);
    }

    @Test
    void oversizedValue_isAProtocolError() {
        assertThat(errorFor("VA 999999 f0\r\n")).isInstanceOf(ProtocolException.class);
    }

    @Test
    void valueNotEndingInCrlf_isAProtocolError() {
        assertThat(errorFor("VA 2\r\nabcd")).isInstanceOf(ProtocolException.class);
    }

    @Test
    void overlongLine_isAProtocolError() {
        assertThat(errorFor("HD " + "x".repeat(9000))).isInstanceOf(ProtocolException.class);
    }

    @Test
    void bareNewline_isAProtocolError() {
        assertThat(errorFor("HD\n")).isInstanceOf(ProtocolException.class);
    }
}
