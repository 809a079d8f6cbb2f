package io.memring.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memring.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** memcached 1.6.18's {@code -o} suboptions and messages (checked against {@code memcached -o ...}). */
class ExtendedOptionsTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private ServerConfig parse(String... suboptions) {
        return ExtendedOptions.parse(List.of(suboptions), new PrintStream(err, true, StandardCharsets.UTF_8))
                .applyTo(ServerConfig.defaults());
    }

    @Test
    void readBufMemLimit_isInMegabytes_andDefaultsTo64() {
        assertThat(parse("read_buf_mem_limit=8").readBufMemLimit()).isEqualTo(8L << 20);
        assertThat(parse().readBufMemLimit()).isEqualTo(64L << 20);
    }

    @Test
    void badSuboptions_getMemcachedsMessages() {
        assertThatThrownBy(() -> parse("read_buf_mem_limit=abc")).hasMessage("could not parse argument to read_buf_mem_limit");
        assertThatThrownBy(() -> parse("read_buf_mem_limit")).hasMessage("Missing read_buf_mem_limit argument");
        assertThatThrownBy(() -> parse("foo=1")).hasMessage("Illegal suboption \"foo=1\"");
    }

    @Test
    void zero_isRefused_becauseTheMemoryBoundDependsOnIt() {
        assertThatThrownBy(() -> parse("read_buf_mem_limit=0")).hasMessageContaining("between 1 and");
    }

    @Test
    void respObjMemLimit_isDeprecatedAsInMemcached() {
        assertThat(parse("resp_obj_mem_limit=5").readBufMemLimit()).isEqualTo(64L << 20);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("DEPRECATED: resp_obj_mem_limit no longer used. See read_buf_mem_limit,"
                + System.lineSeparator());
    }

    @Test
    void watchBufferBytes_isInBytes_defaults4MB_andRefusesNonsense() {
        assertThat(parse().watchBufferBytes()).isEqualTo(4L << 20);
        assertThat(parse("watch_buffer_bytes=65536").watchBufferBytes()).isEqualTo(65536);
        for (String bad : new String[] {"watch_buffer_bytes=100", "watch_buffer_bytes=-1", "watch_buffer_bytes=1x",
                "watch_buffer_bytes=99999999999999999999"}) {
            assertThatThrownBy(() -> parse(bad)).as(bad).hasMessage("watch_buffer_bytes must be a number of bytes between 1024 and 2^40");
        }
        assertThatThrownBy(() -> parse("watch_buffer_bytes")).hasMessage("Missing watch_buffer_bytes argument");
    }

    @Test
    void watchTotalBytes_isInBytes_defaults64MB_andRefusesNonsense() {
        assertThat(parse().watchTotalBytes()).isEqualTo(64L << 20);
        assertThat(parse("watch_total_bytes=8388608").watchTotalBytes()).isEqualTo(8L << 20);
        for (String bad : new String[] {"watch_total_bytes=100", "watch_total_bytes=-1", "watch_total_bytes=1x"}) {
            assertThatThrownBy(() -> parse(bad)).as(bad).hasMessage("watch_total_bytes must be a number of bytes between 1024 and 2^40");
        }
        assertThatThrownBy(() -> parse("watch_total_bytes")).hasMessage("Missing watch_total_bytes argument");
    }
}
