package io.memring.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memring.server.ServerConfig;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServerMainTest {

    private static String optionError(String... args) {
        CommandLine cli = new CommandLine(new ServerMain());
        try {
            cli.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            return ServerMain.optionError(e);
        }
        return "parsed";
    }

    private static ServerConfig config(String... args) {
        ServerMain main = new ServerMain();
        new CommandLine(main).parseArgs(args);
        return main.toConfig();
    }

    @Test
    void unknownFlags_getGetoptsWords() {
        assertThat(optionError("-x")).isEqualTo("memring-server: invalid option -- 'x'\nIllegal argument \"?\"");
        assertThat(optionError("-vvx")).isEqualTo("memring-server: invalid option -- 'x'\nIllegal argument \"?\"");
        assertThat(optionError("--bogus")).isEqualTo("memring-server: unrecognized option '--bogus'\nIllegal argument \"?\"");
        assertThat(optionError("-p")).isEqualTo("memring-server: option requires an argument -- 'p'\nIllegal argument \"?\"");
        assertThat(optionError("-d", "-P", "/tmp/x.pid", "-u", "nobody", "stray")).isEqualTo("parsed");
    }

    @Test
    void toConfig_readsTlsAuthAndListeners() {
        ServerConfig c = config("-p", "11311", "-Z", "-o", "ssl_chain_cert=/c.pem,ssl_key=/k.pem,ssl_ca_cert=/ca.pem",
                "-o", "ssl_verify_mode=2,ssl_min_version=3", "-l", "127.0.0.1,notls:127.0.0.1:11312", "-l", "[::1]:11313",
                "-Y", "/auth");
        var sec = c.security();
        assertThat(sec.tls().chainCert()).isEqualTo(Path.of("/c.pem"));
        assertThat(sec.tls().key()).isEqualTo(Path.of("/k.pem"));
        assertThat(sec.tls().caCert()).isEqualTo(Path.of("/ca.pem"));
        assertThat(sec.tls().verifyMode()).isEqualTo(io.memring.server.security.TlsSettings.VerifyMode.REQUIRE);
        assertThat(sec.tls().minVersion()).isEqualTo(io.memring.server.security.TlsSettings.MinVersion.TLS1_3);
        assertThat(sec.authFile()).isEqualTo(Path.of("/auth"));
        assertThat(sec.inter()).isEqualTo("127.0.0.1,notls:127.0.0.1:11312,[::1]:11313");
        assertThat(sec.listeners()).extracting(l -> l.host() + " " + l.port() + " " + l.notls())
                .containsExactly("127.0.0.1 11311 false", "127.0.0.1 11312 true", "::1 11313 false");
        assertThat(config("-o", "ssl_chain_cert=/c.pem").security().tls()).as("ssl_* without -Z").isNull();
        assertThatThrownBy(() -> config("-Z")).isInstanceOfSatisfying(UsageError.class,
                e -> assertThat(e.exitCode()).isEqualTo(1)).hasMessageContaining("ssl_chain_cert");
        assertThatThrownBy(() -> config("-Z", "-o", "ssl_chain_cert=/c,ssl_verify_mode=4"))
                .hasMessage("Invalid ssl_verify_mode. Use help to see valid options.");
        assertThatThrownBy(() -> config("-Z", "-o", "ssl_chain_cert=/c,ssl_min_version=1")).hasMessageContaining("TLS 1.0 and 1.1");
        assertThatThrownBy(() -> config("-l", "127.0.0.1:http")).isInstanceOf(UsageError.class).hasMessageContaining("bad port");
    }

    @Test
    void toConfig_readsMemcachedFlags() {
        ServerConfig c = config("-p", "11311", "-c", "10", "-t", "2", "-I", "2m", "-m", "128", "-vv");
        assertThat(c.port()).isEqualTo(11311);
        assertThat(c.maxConnections()).isEqualTo(10);
        assertThat(c.workerThreads()).isEqualTo(2);
        assertThat(c.storage().maxItemSize()).isEqualTo(2 << 20);
        assertThat(c.storage().memoryLimitBytes()).isEqualTo(128L << 20);
        assertThat(c.verbosity()).isEqualTo(2);
        assertThat(c.listenAddress()).isEqualTo("127.0.0.1");
        assertThatThrownBy(() -> config("-c", "0")).hasMessage("Maximum connections must be greater than 0");
        assertThatThrownBy(() -> config("-t", "-1")).hasMessage("Number of threads must be greater than 0");
        assertThatThrownBy(() -> config("-o", "foo=1")).isInstanceOfSatisfying(UsageError.class,
                e -> assertThat(e.exitCode()).isEqualTo(1)).hasMessage("Illegal suboption \"foo=1\"");
        assertThat(config("-o", "read_buf_mem_limit=8").readBufMemLimit()).isEqualTo(8L << 20);
    }

    @Test
    void listenFailure_namesThePortOrTheInterface() {
        IOException epoll = new IOException("bind(..) failed with error(-98): Address already in use");
        assertThat(ServerMain.listenFailure(null, 11211, epoll)).isEqualTo("failed to listen on TCP port 11211: Address already in use");
        assertThat(ServerMain.listenFailure("127.0.0.1", 11211, new BindException("Address already in use")))
                .isEqualTo("failed to listen on one of interface(s) 127.0.0.1: Address already in use");
    }

    @Test
    void privileges_asRoot_asMemcachedWhereAJvmCan(@TempDir Path dir) throws IOException {
        Path passwd = Files.writeString(dir.resolve("passwd"), "root:x:0:0::/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n");
        assertThatCode(() -> Privileges.check(0, null, passwd)).doesNotThrowAnyException(); // warned, not refused
        assertThatCode(() -> Privileges.check(0, "root", passwd)).doesNotThrowAnyException();
        assertThatThrownBy(() -> Privileges.check(0, "ghost", passwd)).isInstanceOfSatisfying(UsageError.class,
                e -> assertThat(e.exitCode()).isEqualTo(67)).hasMessage("can't find the user ghost to switch to");
        assertThatThrownBy(() -> Privileges.check(0, "nobody", passwd)).isInstanceOfSatisfying(UsageError.class,
                e -> assertThat(e.exitCode()).isEqualTo(71)).hasMessageStartingWith("failed to assume identity of user nobody");
        assertThatCode(() -> Privileges.check(1000, "ghost", passwd)).as("not root: -u is ignored").doesNotThrowAnyException();
    }

    @Test
    void pidFile_writtenThenRemoved(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("node.pid");
        PidFile pid = PidFile.write(file, 4242);
        assertThat(Files.readString(file)).isEqualTo("4242\n");
        pid.remove();
        assertThat(file).doesNotExist();
        assertThat(PidFile.write(dir.resolve("missing/dir/node.pid"), 1)).as("reported, not fatal").isNull();
    }
}
