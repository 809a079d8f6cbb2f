package io.memring.server.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * memcached's {@code -u}: as root it switches to that user (and refuses to run as root without
 * {@code -u}). A JVM cannot change its own user, so {@code bin/memring-server} does the switch (setpriv)
 * before Java starts. Here, as root: {@code -u root} is fine; an unknown user is refused with
 * memcached's words; any other user means the launcher was bypassed, and is refused rather than run
 * as root. Root without {@code -u} is allowed with a warning (memcached refuses it) so that existing
 * scripts and containers that run as root keep working; README says so. Not root: {@code -u} is
 * ignored, as memcached ignores it.
 */
final class Privileges {
    private static final Logger log = LoggerFactory.getLogger(Privileges.class);

    private Privileges() {
    }

    /** Applies the rules above for a process whose effective uid is {@code euid}. */
    static void check(long euid, String user, Path passwd) {
        if (euid != 0) {
            return;
        }
        if (user == null || user.isEmpty()) {
            log.warn("running as root: memcached would refuse (\"can't run as root without the -u switch\"); "
                    + "start with -u <user> through bin/memring-server, or as an unprivileged user");
            return;
        }
        if (!userExists(user, passwd)) {
            throw new UsageError(UsageError.EX_NOUSER, "can't find the user " + user + " to switch to");
        }
        if (!user.equals("root")) {
            throw new UsageError(UsageError.EX_OSERR, "failed to assume identity of user " + user
                    + " (a JVM cannot switch users: start through bin/memring-server, which does)");
        }
    }

    /** Returns the effective uid from /proc, or -1 where there is none. */
    static long effectiveUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("no /proc/self/status: {}", e.toString());
        }
        return -1;
    }

    /** Looks the user up in the passwd file (the launcher asks NSS with {@code id}, which sees more). */
    private static boolean userExists(String user, Path passwd) {
        if (user.equals("root")) {
            return true;
        }
        try {
            List<String> lines = Files.readAllLines(passwd);
            return lines.stream().anyMatch(l -> l.startsWith(user + ":"));
        } catch (IOException e) {
            return true; // cannot tell: let the identity check speak
        }
    }
}
