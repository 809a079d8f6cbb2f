package io.memring.client.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterestTest {

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void coveredPrefixes_areDropped() {
        Interest i = Interest.of(1, List.of(b("jc:a:"), b("jc:a:x"), b("jc:b:"), b("jc:a:")), false, 1);
        assertThat(i.prefixes()).extracting(p -> new String(p, StandardCharsets.UTF_8)).containsExactlyInAnyOrder("jc:a:", "jc:b:");
        assertThat(i.line(0xabL)).startsWith("mr_watch 00000000000000ab keys ").endsWith("\r\n");
        assertThat(i.line(0xabL).trim().split(" ")).hasSize(5);
    }

    @Test
    void aUnionTooBigForOneLine_isWidened_andStillCoversEveryPrefix() {
        List<byte[]> wanted = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            wanted.add(b("jc:" + "cache-with-a-long-name-".repeat(3) + i + ":"));
        }
        Interest i = Interest.of(7, wanted, true, 1);
        assertThat(i.prefixes().size()).isLessThanOrEqualTo(Interest.MAX_PREFIXES);
        assertThat(i.line(1).length()).isLessThanOrEqualTo(Interest.MAX_LINE);
        assertThat(i.line(1)).contains(" values ");
        for (byte[] w : wanted) {
            assertThat(i.prefixes().stream().anyMatch(p -> Interest.startsWith(w, p))).isTrue();
        }
    }

    @Test
    void noSubscriptions_isAWatchOfNothing() {
        assertThat(Interest.of(0, List.of(), false, 0xffL).line(0xffL)).isEqualTo("mr_watch 00000000000000ff keys\r\n");
    }
}
