package io.memring.server.cli;

/** A refused command line or start-up condition: memcached's message and exit status. */
final class UsageError extends RuntimeException {
    /** sysexits.h, as memcached uses them. */
    static final int EX_USAGE = 64;
    static final int EX_NOUSER = 67;
    static final int EX_OSERR = 71;

    private final int exitCode;

    UsageError(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
