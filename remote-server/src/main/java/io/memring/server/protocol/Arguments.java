package io.memring.server.protocol;

import io.memring.server.storage.Numbers;

/** Token-to-number conversions with memcached's acceptance rules; all throw NumberFormatException. */
final class Arguments {
    private Arguments() {
    }

    static int int32(Tokens t, int i) {
        checkPresent(t, i);
        return Numbers.parseInt32(t.line(), t.start(i), t.end(i));
    }

    static long uint32(Tokens t, int i) {
        checkPresent(t, i);
        return Numbers.parseUint32(t.line(), t.start(i), t.end(i));
    }

    static long uint64(Tokens t, int i) {
        checkPresent(t, i);
        return Numbers.parseUnsignedDecimal(t.line(), t.start(i), t.end(i));
    }

    /** Numbers inside meta flags: the token minus its leading flag letter. */
    static int int32After(Tokens t, int i) {
        return Numbers.parseInt32(t.line(), t.start(i) + 1, t.end(i));
    }

    static long uint32After(Tokens t, int i) {
        return Numbers.parseUint32(t.line(), t.start(i) + 1, t.end(i));
    }

    static long uint64After(Tokens t, int i) {
        return Numbers.parseUnsignedDecimal(t.line(), t.start(i) + 1, t.end(i));
    }

    /** memcached's {@code set_noreply_maybe}: the last token it tokenized is "noreply". */
    static boolean noreply(Tokens t) {
        int last = t.memcachedCount() - 2;
        return last >= 0 && t.is(last, "noreply");
    }

    private static void checkPresent(Tokens t, int i) {
        if (i >= t.count()) {
            throw new NumberFormatException("missing");
        }
    }
}
