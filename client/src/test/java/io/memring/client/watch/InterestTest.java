package io.memring.client.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void moreThan64ShortPrefixes_areMergedToAtMost64_stillCoveringEach() {
        List<byte[]> wanted = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            wanted.add(b((char) ('a' + i % 20) + "c" + i + ":")); // 300 distinct prefixes, 20 first bytes
        }
        Interest i = Interest.of(3, wanted, false, 1);
        assertThat(i.prefixes().size()).isBetween(1, Interest.MAX_PREFIXES);
        assertThat(i.prefixes()).allSatisfy(p -> assertThat(p).isNotEmpty());
        for (byte[] w : wanted) {
            assertThat(i.prefixes().stream().anyMatch(p -> Interest.startsWith(w, p))).isTrue();
        }
    }

    @Test
    void moreThan64DistinctFirstBytes_cannotBeExpressed_andIsRefused_notSentForTheNodeToRefuse() {
        List<byte[]> wanted = new ArrayList<>();
        for (int c = 0x21; c < 0x21 + Interest.MAX_PREFIXES + 1; c++) {
            wanted.add(new byte[] {(byte) c, 'x'});
        }
        assertThatThrownBy(() -> Interest.of(1, wanted, false, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 64");
        assertThat(Interest.of(1, wanted.subList(0, Interest.MAX_PREFIXES), false, 1).prefixes()).hasSize(Interest.MAX_PREFIXES);
    }

    @Test
    void noSubscriptions_isAWatchOfNothing() {
        assertThat(Interest.of(0, List.of(), false, 0xffL).line(0xffL)).isEqualTo("mr_watch 00000000000000ff keys\r\n");
    }
}
