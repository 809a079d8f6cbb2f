package io.memring.server.storage;

/** Number parsing with exactly memcached's {@code safe_strto*} acceptance rules. */
public final class Numbers {
    private Numbers() {
    }

    private static boolean isSpace(int b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0b || b == 0x0c;
    }

    /**
     * Parses as C's {@code strtoull} followed by memcached's checks: optional leading whitespace and
     * sign, at least one digit, no overflow, and a terminator that is whitespace or the end. A value
     * that only fits as unsigned and was written with '-' is rejected.
     *
     * @throws NumberFormatException if memcached would refuse it
     */
    public static long parseUnsignedDecimal(byte[] s, int from, int to) {
        int i = from;
        while (i < to && isSpace(s[i])) {
            i++;
        }
        boolean negative = false;
        if (i < to && (s[i] == '+' || s[i] == '-')) {
            negative = s[i] == '-';
            i++;
        }
        int digitsStart = i;
        long value = 0;
        while (i < to && s[i] >= '0' && s[i] <= '9') {
            int d = s[i] - '0';
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - d, 10)) > 0) {
                throw new NumberFormatException("out of range");
            }
            value = value * 10 + d;
            i++;
        }
        if (i == digitsStart) {
            throw new NumberFormatException("no digits");
        }
        if (i < to && !isSpace(s[i])) {
            throw new NumberFormatException("trailing garbage");
        }
        if (negative) {
            value = -value;
            if (value < 0) {
                throw new NumberFormatException("negative");
            }
        }
        return value;
    }

    /** As {@link #parseUnsignedDecimal} over a whole array. */
    public static long parseUnsignedDecimal(byte[] s) {
        return parseUnsignedDecimal(s, 0, s.length);
    }

    /**
     * Parses a signed 32-bit decimal (memcached's {@code safe_strtol}); unlike memcached, values outside
     * the 32-bit range are refused rather than silently truncated.
     */
    public static int parseInt32(byte[] s, int from, int to) {
        int i = from;
        while (i < to && isSpace(s[i])) {
            i++;
        }
        boolean negative = i < to && s[i] == '-';
        if (negative) {
            // parse the magnitude with the unsigned rules, then apply the sign
            if (i + 1 >= to) {
                throw new NumberFormatException("no digits");
            }
            long magnitude = parseUnsignedDecimal(s, i + 1, to);
            if (magnitude > 1L << 31 || s[i + 1] < '0' || s[i + 1] > '9') {
                throw new NumberFormatException("out of range");
            }
            return (int) -magnitude;
        }
        long value = parseUnsignedDecimal(s, i, to);
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new NumberFormatException("out of range");
        }
        return (int) value;
    }

    /** Parses an unsigned 32-bit decimal (memcached's {@code safe_strtoul}), refusing values over 2^32-1. */
    public static long parseUint32(byte[] s, int from, int to) {
        long v = parseUnsignedDecimal(s, from, to);
        if (Long.compareUnsigned(v, 0xffffffffL) > 0) {
            throw new NumberFormatException("out of range");
        }
        return v;
    }
}
