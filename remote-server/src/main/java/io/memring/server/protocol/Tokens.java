package io.memring.server.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A command line split on spaces, as memcached's {@code tokenize_command}: runs of spaces separate
 * tokens, nothing else does. Positions index into the line; the line is not copied.
 */
final class Tokens {
    /** memcached tokenizes at most 23 tokens (MAX_TOKENS 24 including its terminator). */
    static final int MEMCACHED_MAX_TOKENS = 24;

    private byte[] line;
    private int[] starts = new int[32];
    private int[] ends = new int[32];
    private int count;

    /** Splits {@code line[0, length)}; returns this. */
    Tokens parse(byte[] line, int length) {
        this.line = line;
        count = 0;
        int i = 0;
        while (i < length) {
            while (i < length && line[i] == ' ') {
                i++;
            }
            if (i >= length) {
                break;
            }
            int start = i;
            while (i < length && line[i] != ' ') {
                i++;
            }
            if (count == starts.length) {
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
            starts[count] = start;
            ends[count] = i;
            count++;
        }
        return this;
    }

    /** Drops the position arrays grown for a long line, so an idle connection keeps only small ones. */
    void shrink() {
        if (starts.length > 32) {
            starts = new int[32];
            ends = new int[32];
        }
    }

    /** Returns the number of tokens. */
    int count() {
        return count;
    }

    /**
     * Returns memcached's {@code ntokens} for this line: the tokens it would have split (at most 23)
     * plus its terminator. Command arity checks are written against this number, as in memcached.
     */
    int memcachedCount() {
        return Math.min(count, MEMCACHED_MAX_TOKENS - 1) + 1;
    }

    int length(int i) {
        return ends[i] - starts[i];
    }

    int start(int i) {
        return starts[i];
    }

    int end(int i) {
        return ends[i];
    }

    byte[] line() {
        return line;
    }

    byte byteAt(int token, int index) {
        return line[starts[token] + index];
    }

    byte[] bytes(int i) {
        return Arrays.copyOfRange(line, starts[i], ends[i]);
    }

    String string(int i) {
        return new String(line, starts[i], length(i), StandardCharsets.ISO_8859_1);
    }

    boolean is(int i, String literal) {
        int len = length(i);
        if (len != literal.length()) {
            return false;
        }
        for (int k = 0; k < len; k++) {
            if (line[starts[i] + k] != literal.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
