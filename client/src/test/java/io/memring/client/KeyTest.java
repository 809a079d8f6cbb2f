package io.memring.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class KeyTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] filled(int length, char c) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) c);
        return b;
    }

    @Test
    void printableKeys_upTo250Bytes_areValid_andPlain() {
        assertThat(Key.isValid(filled(250, 'x'))).isTrue();
        assertThat(Key.isPlain(filled(250, 'x'))).isTrue();
        assertThat(Key.problem(filled(251, 'x'))).isEqualTo(InvalidKeyException.Reason.TOO_LONG);
    }

    @Test
    void keysWithSpacesControlOrBinaryBytes_areValid_upTo186Bytes() {
        assertThat(Key.isValid(ascii("a b"))).isTrue();
        assertThat(Key.isValid(new byte[] {'a', '\r', '\n', 'b'})).isTrue();
        assertThat(Key.isValid(new byte[186])).isTrue();
        assertThat(Key.isPlain(ascii("a b"))).isFalse();
        assertThat(Key.problem(new byte[187])).isEqualTo(InvalidKeyException.Reason.TOO_LONG_FOR_BASE64);
        byte[] spaceAt200 = filled(200, 'x');
        spaceAt200[100] = ' ';
        assertThat(Key.problem(spaceAt200)).isEqualTo(InvalidKeyException.Reason.TOO_LONG_FOR_BASE64);
        byte[] long300Binary = filled(300, 'x');
        long300Binary[0] = (byte) 0xff;
        assertThat(Key.problem(long300Binary)).isEqualTo(InvalidKeyException.Reason.TOO_LONG_FOR_BASE64);
    }

    @Test
    void check_throwsTypedException_namingTheReason() {
        assertThatThrownBy(() -> Key.check(new byte[0])).isInstanceOf(InvalidKeyException.class)
                .hasMessageContaining("EMPTY")
                .satisfies(e -> assertThat(((InvalidKeyException) e).reason()).isEqualTo(InvalidKeyException.Reason.EMPTY));
        assertThatThrownBy(() -> Key.check(new byte[200])).isInstanceOf(MemcacheException.class)
                .hasMessageContaining("TOO_LONG_FOR_BASE64").hasMessageContaining("200 bytes");
        assertThatThrownBy(() -> Key.check(null)).isInstanceOf(NullPointerException.class).hasMessage("key");
    }
}
