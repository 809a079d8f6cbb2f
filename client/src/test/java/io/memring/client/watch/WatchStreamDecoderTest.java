package io.memring.client.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memring.client.ProtocolException;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WatchStreamDecoderTest {

    static EmbeddedChannel channel() {
        return new EmbeddedChannel(new WatchStreamDecoder(1024));
    }

    static void feed(EmbeddedChannel ch, String s) {
        ch.writeInbound(Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1));
    }

    @Test
    void eventWithValues_splitAcrossReads_decodesWhole() {
        EmbeddedChannel ch = channel();
        String stream = "MW 00000000000000ab 0\r\nME 1 U azE= 42 7 3 0 2 3 9\r\nabxyz\r\nMH 1\r\n";
        for (char c : stream.toCharArray()) {
            feed(ch, String.valueOf(c));
        }
        assertThat((Object) ch.readInbound()).isEqualTo(new WatchLine.Subscribed(0xab, 0));
        WatchLine.Event e = ch.readInbound();
        assertThat(e.seq()).isEqualTo(1);
        assertThat(e.kind()).isEqualTo(MutationKind.UPDATED);
        assertThat(new String(e.key(), StandardCharsets.US_ASCII)).isEqualTo("k1");
        assertThat(e.version()).isEqualTo(42);
        assertThat(e.origin()).isEqualTo(7);
        assertThat(e.flags()).isEqualTo(3);
        assertThat(e.oldFlags()).isEqualTo(9);
        assertThat(new String(e.oldValue(), StandardCharsets.US_ASCII)).isEqualTo("ab");
        assertThat(new String(e.newValue(), StandardCharsets.US_ASCII)).isEqualTo("xyz");
        assertThat((Object) ch.readInbound()).isEqualTo(new WatchLine.Heartbeat(1));
        assertThat(ch.finishAndReleaseAll()).isFalse();
    }

    @Test
    void flushAndUnsignedVersion() {
        EmbeddedChannel ch = channel();
        feed(ch, "ME 5 F - 18446744073709551615 0 0 0 - - -\r\nME 6 N azE= 1 0 4 0 - -\r\n");
        WatchLine.Event e = ch.readInbound();
        WatchLine.Event tenFields = ch.readInbound();
        assertThat(tenFields.oldFlags()).as("no 11th field: the flags").isEqualTo(4);
        assertThat(e.kind()).isEqualTo(MutationKind.FLUSHED);
        assertThat(e.key()).isEmpty();
        assertThat(e.version()).isEqualTo(-1L);
        ch.finishAndReleaseAll();
    }

    @Test
    void stockLines_urlDecodedKeys_skipped_andIgnoredStatuses() {
        EmbeddedChannel ch = channel();
        feed(ch, "OK\r\nts=1.2 gid=3 type=item_store key=a%C3%A9%20b status=stored cmd=add ttl=10 clsid=1 cfd=24 size=1\n");
        feed(ch, "ts=1.3 gid=4 type=item_store key=x status=not_stored cmd=add ttl=0 clsid=1 cfd=24 size=1\nskipped=12\n");
        assertThat((Object) ch.readInbound()).isEqualTo(new WatchLine.Ok());
        WatchLine.StockStore s = ch.readInbound();
        assertThat(s.kind()).isEqualTo(MutationKind.CREATED);
        assertThat(s.key()).isEqualTo("aé b".getBytes(StandardCharsets.UTF_8));
        assertThat(s.ttl()).isEqualTo(10);
        assertThat((Object) ch.readInbound()).isEqualTo(new WatchLine.Ignored());
        assertThat((Object) ch.readInbound()).isEqualTo(new WatchLine.Skipped(12));
        ch.finishAndReleaseAll();
    }

    @Test
    void hostileInput_isAProtocolException_andNothingAfterIt() {
        String[] bad = {
            "ME 1 N !!! 1 0 0 0 - -\r\n", "ME 1 N azE= 1 0 0 0 1025 -\r\n", "ME 1 N azE= 1 0 0 0 1 -\r\nxyz",
            "ME 1 N azE= 1 0 4294967296 0 - -\r\n", "ME 1 N azE= +1 0 0 0 - -\r\n", "ME 1 N azE= 1 0 0 0 - - 1 extra\r\n", "ME 1 N azE= 1 0 0 0 - - 4294967296\r\n",
            "MW 12 0\r\n", "MH\r\n", "HELLO\r\n", "MH 1\n", "ts=1 type=item_store key=%zz status=stored\n",
            "ts=1 type=item_store key=" + "a".repeat(251) + " status=stored\n", "x".repeat(3000),
        };
        for (String b : bad) {
            EmbeddedChannel ch = channel();
            assertThatThrownBy(() -> feed(ch, b)).as(b).isInstanceOf(DecoderException.class)
                    .hasCauseInstanceOf(ProtocolException.class);
            feed(ch, "MH 1\r\n"); // dropped: nothing after an error is trusted
            assertThat((Object) ch.readInbound()).as(b).isNull();
            ch.finishAndReleaseAll();
        }
    }
}
