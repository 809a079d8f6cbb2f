package io.memring.client.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memring.client.ProtocolException;
import io.memring.client.ServerBusyException;
import io.memring.client.protocol.MetaResponse;
import io.memring.client.protocol.MetaResponseDecoder;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetadumpRequestTest {
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

    @Test
    void escapedKeys_areDecoded_andFiltered() {
        MetadumpRequest scan = new MetadumpRequest(k -> k[0] == 'a');
        for (MetaResponse r : decode("key=a%20b exp=-1 la=1 cas=2 fetch=no cls=1 size=60\r\nkey=zz exp=-1\r\nkey=a%25 exp=-1\r\nEND\r\n")) {
            scan.onResponse(r);
        }
        assertThat(scan.future().join()).extracting(k -> new String(k, StandardCharsets.ISO_8859_1)).containsExactly("a b", "a%");
        assertThat(scan.extendsDeadlineOnProgress()).isTrue();
    }

    @Test
    void busyCrawler_isATypedError() {
        MetadumpRequest scan = new MetadumpRequest(k -> true);
        assertThat(scan.onResponse(decode("BUSY currently processing crawler request\r\n").get(0))).isTrue();
        assertThatThrownBy(() -> scan.future().join()).hasCauseInstanceOf(ServerBusyException.class);
    }

    @Test
    void brokenEscapes_areProtocolErrors() {
        assertThatThrownBy(() -> MetadumpRequest.decodeKey("key=a%2 exp=-1")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> MetadumpRequest.decodeKey("key=a%zz exp=-1")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> MetadumpRequest.decodeKey("key=a%")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> MetadumpRequest.decodeKey("kex=a")).isInstanceOf(ProtocolException.class);
    }
}
