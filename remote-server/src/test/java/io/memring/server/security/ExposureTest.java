package io.memring.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExposureTest {
    private static final int[] PORTS = {11211};

    @Test
    void loopback_isNeverReported() {
        assertThat(Exposure.warnings(List.of(new Listener("127.0.0.1", 0, false)), PORTS, false, false, false, true)).isEmpty();
        assertThat(Exposure.warnings(List.of(new Listener("localhost", 0, false)), PORTS, false, false, false, false)).isEmpty();
    }

    @Test
    void allInterfaces_withoutTlsOrAuth_saysAnyoneCanReadOverwriteFlush() {
        assertThat(Exposure.warnings(List.of(new Listener("0.0.0.0", 0, false)), PORTS, false, false, false, true))
                .singleElement().asString().contains("0.0.0.0:11211", "without TLS or authentication",
                        "read, overwrite and flush", "peer links");
    }

    @Test
    void authWithoutTls_saysPasswordsCrossInClearText() {
        assertThat(Exposure.warnings(List.of(new Listener("0.0.0.0", 0, false)), PORTS, false, true, false, false))
                .singleElement().asString().contains("without TLS", "clear text");
    }

    @Test
    void tlsWithoutClientCertsOrAuth_saysAnyoneCanConnect_notlsListenerIsPlain() {
        assertThat(Exposure.warnings(List.of(new Listener("0.0.0.0", 0, false)), PORTS, true, false, false, false))
                .singleElement().asString().contains("with TLS but no authentication");
        assertThat(Exposure.warnings(List.of(new Listener("0.0.0.0", 0, false)), PORTS, true, false, true, false)).isEmpty();
        assertThat(Exposure.warnings(List.of(new Listener("0.0.0.0", 0, true)), PORTS, true, true, true, false))
                .singleElement().asString().contains("without TLS");
    }
}
