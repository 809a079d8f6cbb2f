package io.memring.server.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * memcached's {@code -P}: the process id, written once the port is bound and removed at shutdown.
 * A file that cannot be written is reported and the node runs on, as memcached does.
 */
final class PidFile {
    private static final Logger log = LoggerFactory.getLogger(PidFile.class);

    private final Path path;

    private PidFile(Path path) {
        this.path = path;
    }

    /** Writes {@code pid} to {@code path}; returns null (after a warning) if it cannot. */
    static PidFile write(Path path, long pid) {
        try {
            Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
            Files.writeString(tmp, pid + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return new PidFile(path);
        } catch (IOException | RuntimeException e) {
            log.warn("Could not open the pid file {} for writing: {}", path, e.toString());
            return null;
        }
    }

    void remove() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.warn("Could not remove the pid file {}: {}", path, e.toString());
        }
    }
}
