package io.memring.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ListenerTest {
    @Test
    void parseAll_memcachedForms() {
        assertThat(Listener.parseAll("127.0.0.1,notls:127.0.0.1:11212,[::1]:11213,::1,notls:0.0.0.0", 11211)).containsExactly(
                new Listener("127.0.0.1", 11211, false), new Listener("127.0.0.1", 11212, true),
                new Listener("::1", 11213, false), new Listener("::1", 11211, false), new Listener("0.0.0.0", 11211, true));
    }

    @Test
    void tls_onlyWhenEnabledAndNotNotls() {
        assertThat(new Listener("h", 1, false).tls(true)).isTrue();
        assertThat(new Listener("h", 1, true).tls(true)).isFalse();
        assertThat(new Listener("h", 1, false).tls(false)).isFalse();
    }

    @Test
    void parse_badPort_isRefused() {
        assertThatThrownBy(() -> Listener.parseAll("127.0.0.1:99999", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Listener.parseAll("notls:", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Listener.parseAll("a,,b", 5)).hasSize(2);
        assertThat(List.of(Listener.parse("notls:[::1]", 7))).containsExactly(new Listener("::1", 7, true));
    }
}
