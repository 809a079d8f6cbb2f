package io.memring.client;

/**
 * A key memcached cannot take. Raised by the client's public methods before anything is sent, so a
 * bad key never reaches a connection: a batch with one bad key fails whole and sends nothing.
 */
public class InvalidKeyException extends MemcacheException {
    private static final long serialVersionUID = 1L;

    /** Why a key was refused. */
    public enum Reason {
        /** Zero bytes. */
        EMPTY,
        /** Printable ASCII without spaces, but longer than {@value Key#MAX_LENGTH} bytes. */
        TOO_LONG,
        /**
         * Holds spaces, control or non-ASCII bytes (so it travels base64-encoded) and is longer than
         * {@value Key#MAX_BASE64_LENGTH} bytes.
         */
        TOO_LONG_FOR_BASE64
    }

    private final Reason reason;
    private final int length;

    public InvalidKeyException(Reason reason, int length) {
        super(describe(reason, length));
        this.reason = reason;
        this.length = length;
    }

    private static String describe(Reason reason, int length) {
        return switch (reason) {
            case EMPTY -> "invalid key (EMPTY): memcached keys have at least one byte";
            case TOO_LONG -> "invalid key (TOO_LONG): " + length + " bytes, memcached takes at most " + Key.MAX_LENGTH;
            case TOO_LONG_FOR_BASE64 -> "invalid key (TOO_LONG_FOR_BASE64): " + length + " bytes with spaces, control or"
                    + " non-ASCII bytes; such keys travel base64-encoded and may have at most " + Key.MAX_BASE64_LENGTH;
        };
    }

    public Reason reason() {
        return reason;
    }

    /** Returns the refused key's length in bytes. */
    public int length() {
        return length;
    }
}
