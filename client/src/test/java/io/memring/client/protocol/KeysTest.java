package io.memring.client.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memring.client.InvalidKeyException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeysTest {
    @Test
    void printableKeys_goAsTheyAre_othersAsBase64() {
        byte[] plain = "user:42".getBytes(StandardCharsets.US_ASCII);
        assertThat(Keys.token(plain)).isSameAs(plain);
        assertThat(new String(Keys.token("a b".getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII)).isEqualTo("YSBi");
        assertThat(Keys.isPlain(new byte[] {1, 2})).isFalse();
        assertThat(Keys.isPlain("x".repeat(251).getBytes(StandardCharsets.US_ASCII))).isFalse();
        assertThat(Keys.token(new byte[186])).hasSize(248);
    }

    @Test
    void keysTooLongEvenForBase64_areRefused() {
        assertThatThrownBy(() -> Keys.token(new byte[187])).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> Keys.token(new byte[0])).isInstanceOf(InvalidKeyException.class);
    }

    @Test
    void requests_areMetaProtocolBytes() {
        ByteBuf out = Unpooled.buffer();
        MetaRequests.get(out, "k".getBytes(StandardCharsets.US_ASCII), "7", true);
        MetaRequests.set(out, new byte[] {0, 1}, "hi".getBytes(StandardCharsets.US_ASCII), 5, 60, MetaRequests.Mode.ADD, 0, null, false);
        MetaRequests.delete(out, "k".getBytes(StandardCharsets.US_ASCII), 9, null, true);
        MetaRequests.arithmetic(out, "n".getBytes(StandardCharsets.US_ASCII), false, 3, 10, 0);
        MetaRequests.noop(out);
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(
                "mg k v f c O7 q\r\n"
                        + "ms AAE= 2 b F5 T60 ME c\r\nhi\r\n"
                        + "md k C9 q\r\n"
                        + "ma n v D3 MD N0 J10\r\n"
                        + "mn\r\n");
    }
}
