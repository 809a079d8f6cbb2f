package io.memring.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memring.server.ServerConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ClusterFlagsTest {

    private static ServerConfig config(String... args) {
        ServerMain main = new ServerMain();
        new CommandLine(main).parseArgs(args);
        return main.toConfig();
    }

    @Test
    void noPeers_standaloneAsBefore() {
        assertThat(config("-p", "11311").membership().clustered()).isFalse();
    }

    @Test
    void peers_defaultTwoReplicas_selfByListenAndPort() {
        ServerConfig c = config("-p", "11312", "--peers", "127.0.0.1:11311,127.0.0.1:11312,127.0.0.1:11313");
        assertThat(c.membership().self().spelled()).isEqualTo("127.0.0.1:11312");
        assertThat(c.membership().replicas()).isEqualTo(2);
        assertThat(config("-p", "11312", "--peers", "127.0.0.1:11311,127.0.0.1:11312", "--replicas", "all")
                .membership().replicas()).isEqualTo(2);
        assertThat(config("-p", "11312", "--peers", "127.0.0.1:11311,127.0.0.1:11312", "--replicas", "1")
                .membership().replicas()).isEqualTo(1);
    }

    @Test
    void peersWithoutThisNode_orBadReplicas_areUsageErrors() {
        assertThatThrownBy(() -> config("-p", "11399", "--peers", "127.0.0.1:11311,127.0.0.1:11312"))
                .isInstanceOfSatisfying(UsageError.class, e -> assertThat(e.exitCode()).isEqualTo(UsageError.EX_USAGE))
                .hasMessageStartingWith("this node listens on 127.0.0.1:11399, which is not in --peers");
        assertThatThrownBy(() -> config("-p", "11311", "--peers", "127.0.0.1:11311", "--replicas", "0"))
                .isInstanceOf(UsageError.class).hasMessageContaining("--replicas");
        assertThatThrownBy(() -> config("-p", "11311", "--replicas", "2"))
                .isInstanceOf(UsageError.class).hasMessage("--replicas needs --peers");
        assertThatThrownBy(() -> config("-p", "11311", "--peers", "127.0.0.1:x"))
                .isInstanceOf(UsageError.class).hasMessageContaining("bad port");
    }
}
