package io.memring.server.cli;

/**
 * The {@code -I} argument as memcached 1.6.18 reads it: C's {@code atoi} on the text, times 1024 or
 * 1024² when it ends in k/K or m/M, in 32-bit arithmetic (so {@code 2048m} wraps and is refused as too
 * small, as memcached refuses it). One extension: a g/G suffix means gigabytes (memcached reads
 * {@code 2g} as 2 bytes), so that {@code -I 1g} works.
 */
final class ItemSize {
    static final int LOWER_LIMIT = 1024;
    static final long UPPER_LIMIT = 1024L * 1024 * 1024;

    private ItemSize() {
    }

    /** Returns the size in bytes; may be negative or tiny, which {@link #check} refuses. */
    static long parse(String text) {
        if (text.isEmpty()) {
            return 0;
        }
        char unit = text.charAt(text.length() - 1);
        String number = text;
        if ("kKmMgG".indexOf(unit) >= 0) {
            number = text.substring(0, text.length() - 1);
        }
        int n = atoi(number);
        return switch (unit) {
            case 'k', 'K' -> n * 1024;
            case 'm', 'M' -> n * 1024 * 1024;
            case 'g', 'G' -> n * UPPER_LIMIT;
            default -> n;
        };
    }

    /** Refuses what memcached refuses, with its words; the memory bound is ours (one page, not half of -m). */
    static int check(long size, long memoryLimitBytes, int pageSize) {
        if (size < LOWER_LIMIT) {
            throw new UsageError(UsageError.EX_USAGE, "Item max size cannot be less than 1024 bytes.");
        }
        if (size > UPPER_LIMIT) {
            throw new UsageError(UsageError.EX_USAGE, "Cannot set item size limit higher than a gigabyte.");
        }
        if (Math.max(size, pageSize) > memoryLimitBytes) {
            throw new UsageError(UsageError.EX_USAGE, "Cannot set item size limit higher than memory max.");
        }
        return (int) size;
    }

    /** C's atoi: leading blanks, a sign, digits up to the first other character; 0 if none (int wrap). */
    static int atoi(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int v = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            v = v * 10 + (s.charAt(i) - '0');
            i++;
        }
        return negative ? -v : v;
    }
}
