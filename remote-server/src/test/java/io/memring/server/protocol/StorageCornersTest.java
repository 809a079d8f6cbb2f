package io.memring.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Storage corners seen through the protocol (answers checked against memcached 1.6.18 by hand and in StorageParityIT). */
class StorageCornersTest {
    private final EmbeddedNode node = new EmbeddedNode();

    @AfterEach
    void close() {
        node.close();
    }

    @Test
    void incr_deltaAtLeast2To63_answersTheSum() {
        node.send("set k 0 0 1\r\n0\r\n");
        assertThat(node.send("incr k 18446744073709551610\r\n")).isEqualTo("18446744073709551610\r\n");
        assertThat(node.send("incr k 10\r\n")).isEqualTo("4\r\n");
        assertThat(node.send("decr k 9223372036854775808\r\n")).isEqualTo("0\r\n");
        node.send("set m 0 0 2\r\n10\r\n");
        assertThat(node.send("ma m D18446744073709551610 v\r\n")).isEqualTo("VA 1\r\n4\r\n");
        assertThat(node.send("ma m MD D9223372036854775808 v\r\n")).isEqualTo("VA 1\r\n0\r\n");
    }
}
