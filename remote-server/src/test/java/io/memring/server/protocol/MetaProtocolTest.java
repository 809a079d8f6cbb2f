package io.memring.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetaProtocolTest {
    private final EmbeddedNode node = new EmbeddedNode();

    @AfterEach
    void close() {
        node.close();
    }

    @Test
    void msThenMg_returnsRequestedFlagsInOrder() {
        assertThat(node.send("ms k 2 F7 T100\r\nhi\r\n")).isEqualTo("HD\r\n");
        assertThat(node.send("mg k s v f t k Oab\r\n")).isEqualTo("VA 2 s2 f7 t100 kk Oab\r\nhi\r\n");
        assertThat(node.send("mg k\r\n")).isEqualTo("HD\r\n");
    }

    @Test
    void mg_miss_returnsEn_orNothingWhenQuiet() {
        assertThat(node.send("mg nope v\r\n")).isEqualTo("EN\r\n");
        assertThat(node.send("mg nope v O1 k\r\n")).isEqualTo("EN O1 knope\r\n");
        assertThat(node.send("mg nope v q\r\nmn\r\n")).isEqualTo("MN\r\n");
    }

    @Test
    void ms_casCompareAndReturn() {
        String reply = node.send("ms k 1 c\r\na\r\n");
        assertThat(reply).matches("HD c\\d+\r\n");
        String cas = reply.substring(4, reply.length() - 2);
        assertThat(node.send("ms k 1 C" + cas + "\r\nb\r\n")).isEqualTo("HD\r\n");
        assertThat(node.send("ms k 1 C" + cas + "\r\nc\r\n")).isEqualTo("EX\r\n");
        assertThat(node.send("ms nope 1 C1\r\nc\r\n")).isEqualTo("NF\r\n");
    }

    @Test
    void ms_modes() {
        assertThat(node.send("ms k 1 MR\r\na\r\n")).isEqualTo("NS\r\n");
        assertThat(node.send("ms k 1 ME\r\na\r\n")).isEqualTo("HD\r\n");
        assertThat(node.send("ms k 1 ME\r\nb\r\n")).isEqualTo("NS\r\n");
        assertThat(node.send("ms k 1 MA\r\nz\r\n")).isEqualTo("HD\r\n");
        assertThat(node.send("ms k 1 MP\r\n<\r\n")).isEqualTo("HD\r\n");
        assertThat(node.send("mg k v\r\n")).isEqualTo("VA 3\r\n<az\r\n");
        assertThat(node.send("ms k 1 MX\r\nq\r\n")).isEqualTo("CLIENT_ERROR invalid mode for ms M token\r\n");
    }

    @Test
    void ms_quietSuppressesOnlySuccess() {
        assertThat(node.send("ms k 1 q\r\na\r\nms k 1 q ME\r\nb\r\nmn\r\n")).isEqualTo("NS\r\nMN\r\n");
    }

    @Test
    void base64Keys_roundTrip() {
        // "\u0001\u0002" in base64 is AQI=
        assertThat(node.send("ms AQI= 1 b k\r\nx\r\n")).isEqualTo("HD kAQI= b\r\n");
        assertThat(node.send("mg AQI= b v k\r\n")).isEqualTo("VA 1 kAQI= b\r\nx\r\n");
        assertThat(node.send("mg !!! b v\r\n")).isEqualTo("CLIENT_ERROR error decoding key\r\n");
    }

    @Test
    void md_deletesOrInvalidates() {
        node.send("ms k 1\r\na\r\n");
        assertThat(node.send("md k I T30\r\n")).isEqualTo("HD\r\n");
        // A stale item: first reader wins the recache token, the next sees it taken.
        assertThat(node.send("mg k v c\r\n")).matches("VA 1 c\\d+ X W\r\na\r\n");
        assertThat(node.send("mg k v\r\n")).isEqualTo("VA 1 Z X\r\na\r\n");
        assertThat(node.send("md k q\r\nmd k\r\n")).isEqualTo("NF\r\n");
        assertThat(node.send("md k C5\r\n")).isEqualTo("NF\r\n");
    }

    @Test
    void mg_vivifyOnMiss_winsOnce() {
        assertThat(node.send("mg k N30 s t\r\n")).isEqualTo("HD s0 t30 W\r\n");
        assertThat(node.send("mg k N30 s\r\n")).isEqualTo("HD s0 Z\r\n");
    }

    @Test
    void mg_recacheWinsWhenTtlBelowThreshold() {
        node.send("ms k 1 T10\r\na\r\n");
        assertThat(node.send("mg k R30 v\r\n")).isEqualTo("VA 1 W\r\na\r\n");
        assertThat(node.send("mg k R30 v\r\n")).isEqualTo("VA 1 Z\r\na\r\n");
    }

    @Test
    void mg_hitAndLastAccess_reflectStateBeforeThisRequest() {
        node.send("ms k 1\r\na\r\n");
        node.clock.advance(3);
        assertThat(node.send("mg k h l\r\n")).isEqualTo("HD h0 l3\r\n");
        assertThat(node.send("mg k h l\r\n")).isEqualTo("HD h1 l0\r\n");
    }

    @Test
    void ma_incrDecrVivifyAndModes() {
        assertThat(node.send("ma n\r\n")).isEqualTo("NF\r\n");
        assertThat(node.send("ma n N0 J10 v\r\n")).isEqualTo("VA 2\r\n10\r\n");
        assertThat(node.send("ma n D5 v\r\n")).isEqualTo("VA 2\r\n15\r\n");
        assertThat(node.send("ma n MD D20 v\r\n")).isEqualTo("VA 1\r\n0\r\n");
        assertThat(node.send("ma n q\r\nmn\r\n")).isEqualTo("MN\r\n");
        assertThat(node.send("ma n Mx\r\n")).isEqualTo("CLIENT_ERROR invalid mode for ma M token\r\n");
        assertThat(node.send("ma n D1 D2\r\n")).isEqualTo("CLIENT_ERROR invalid or duplicate flag\r\n");
    }

    @Test
    void flagErrors_matchMemcached() {
        assertThat(node.send("mg k v v\r\n")).isEqualTo("CLIENT_ERROR duplicate flag\r\n");
        assertThat(node.send("mg k zz\r\n")).isEqualTo("CLIENT_ERROR invalid flag\r\n");
        assertThat(node.send("mg k O" + "a".repeat(40) + "\r\n")).isEqualTo("CLIENT_ERROR opaque token too long\r\n");
        assertThat(node.send("mg k Tx\r\n")).isEqualTo("CLIENT_ERROR bad token in command line format\r\n");
        assertThat(node.send("mg\r\n")).isEqualTo("ERROR\r\n");
        assertThat(node.send("ms k\r\n")).isEqualTo("CLIENT_ERROR bad command line format\r\n");
        assertThat(node.send("mg k a b c d e f g h i j l m n o p q r s t u\r\n")).isEqualTo("CLIENT_ERROR options flags are too long\r\n");
        assertThat(node.send("mz k\r\n")).isEqualTo("ERROR\r\n");
    }

    @Test
    void ms_flagErrorSwallowsTheDataBlock() {
        assertThat(node.send("ms k 2 v v\r\nhi\r\nmn\r\n")).isEqualTo("CLIENT_ERROR duplicate flag\r\nMN\r\n");
    }

    @Test
    void me_describesItem() {
        node.send("ms k 2\r\nhi\r\n");
        assertThat(node.send("me k\r\n")).matches("ME k exp=-1 la=0 cas=\\d+ fetch=no cls=1 size=46\r\n");
        assertThat(node.send("me nope\r\n")).isEqualTo("EN\r\n");
    }

    @Test
    void mn_isAnsweredInPipelineOrder() {
        assertThat(node.send("ms a 1 q\r\n1\r\nmg a v q\r\nmg b v q\r\nmn\r\n")).isEqualTo("VA 1\r\n1\r\nMN\r\n");
    }
}
