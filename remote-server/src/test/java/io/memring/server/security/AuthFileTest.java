package io.memring.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthFileTest {
    @TempDir
    Path dir;

    @Test
    void load_userEndsAtFirstColon_passwordAtEndOfLine_crIgnored() throws Exception {
        Path f = dir.resolve("a");
        Files.writeString(f, "alice:se:cret\r\n\nbob:\ncarol:pw");
        AuthFile users = AuthFile.load(f);
        assertThat(users.size()).isEqualTo(3);
        assertThat(users.check("alice", "se:cret")).isTrue();
        assertThat(users.check("alice", "se:cret\r")).isFalse();
        assertThat(users.check("bob", "")).isTrue();
        assertThat(users.check("carol", "pw")).isTrue();
        assertThat(users.check("carol", "p")).isFalse();
        assertThat(users.check("dave", "pw")).isFalse();
    }

    @Test
    void load_lineWithoutColon_isRefusedWithItsNumber() throws Exception {
        Path f = dir.resolve("b");
        Files.writeString(f, "alice:x\nbroken\n");
        assertThatThrownBy(() -> AuthFile.load(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2").hasMessageContaining("malformed");
    }

    @Test
    void load_lineOver255Bytes_isRefused() throws Exception {
        Path f = dir.resolve("c");
        Files.writeString(f, "u:" + "p".repeat(300) + "\n");
        assertThatThrownBy(() -> AuthFile.load(f)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 1");
    }
}
