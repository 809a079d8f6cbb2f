package io.memring.server.watch;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * One mutation as it goes out on a subscription: built once under the shard lock, shared by every
 * subscriber it matches, immutable. Encodes as
 * {@code ME <seq> <kind> <keyB64> <version> <origin> <flags> <exptime> <oldLen> <newLen> <oldFlags>\r\n} plus,
 * in values mode, the data block {@code <old><new>\r\n} when either length is not {@code -}.
 */
final class WatchEvent {
    private static final byte[] ME = "ME ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NO_KEY = {'-'};
    private static final byte[] CRLF = {'\r', '\n'};
    /** Line overhead beyond key and values, for accounting: "ME", seq, kind, version, origin, flags, exptime, lengths. */
    private static final int LINE_OVERHEAD = 120;

    final byte kind;
    /** The raw key; null for a flush. */
    final byte[] key;
    private final byte[] keyB64;
    final long version;
    final long origin;
    private final int flags;
    /** The replaced or removed item's client flags; -1 = no old item known ({@code -} on the wire). */
    private final long oldFlags;
    private final long exptime;
    private final byte[] oldValue;
    private final byte[] newValue;
    private final int lineBytes;
    private final int valueBytes;
    /**
     * Whether this event was built without the values its kind carries, because no subscriber that
     * matched it when it was built wanted them: it cannot go to a values-mode subscriber as it is.
     */
    final boolean valuesOmitted;

    WatchEvent(byte kind, byte[] key, long version, long origin, int flags, long oldFlags, long exptime, byte[] oldValue,
               byte[] newValue) {
        this(kind, key, version, origin, flags, oldFlags, exptime, oldValue, newValue, false);
    }

    /** @param valuesOmitted built without the values its kind carries (see {@link #valuesOmitted}) */
    WatchEvent(byte kind, byte[] key, long version, long origin, int flags, long oldFlags, long exptime, byte[] oldValue,
               byte[] newValue, boolean valuesOmitted) {
        this.valuesOmitted = valuesOmitted;
        this.kind = kind;
        this.key = key;
        this.keyB64 = key == null ? NO_KEY : java.util.Base64.getEncoder().encode(key);
        this.version = version;
        this.origin = origin;
        this.flags = flags;
        this.oldFlags = oldFlags;
        this.exptime = exptime;
        this.oldValue = oldValue;
        this.newValue = newValue;
        this.lineBytes = LINE_OVERHEAD + keyB64.length;
        this.valueBytes = (oldValue == null ? 0 : oldValue.length) + (newValue == null ? 0 : newValue.length);
    }

    /** Returns the bytes charged to a subscriber's bound while this event is queued or unwritten. */
    int charge(boolean values) {
        return values ? lineBytes + valueBytes : lineBytes;
    }

    /** Writes the event with sequence number {@code seq}; with {@code values} its old and new values if known. */
    void encode(ByteBuf out, long seq, boolean values) {
        byte[] o = values ? oldValue : null;
        byte[] n = values ? newValue : null;
        out.writeBytes(ME);
        writeUnsigned(out, seq);
        out.writeByte(' ');
        out.writeByte(kind);
        out.writeByte(' ');
        out.writeBytes(keyB64);
        out.writeByte(' ');
        writeUnsigned(out, version);
        out.writeByte(' ');
        writeUnsigned(out, origin);
        out.writeByte(' ');
        writeUnsigned(out, flags & 0xffffffffL);
        out.writeByte(' ');
        writeUnsigned(out, exptime);
        out.writeByte(' ');
        writeLength(out, o);
        out.writeByte(' ');
        writeLength(out, n);
        out.writeByte(' ');
        if (oldFlags < 0) {
            out.writeByte('-');
        } else {
            writeUnsigned(out, oldFlags);
        }
        out.writeBytes(CRLF);
        if (o != null || n != null) {
            if (o != null) {
                out.writeBytes(o);
            }
            if (n != null) {
                out.writeBytes(n);
            }
            out.writeBytes(CRLF);
        }
    }

    private static void writeLength(ByteBuf out, byte[] value) {
        if (value == null) {
            out.writeByte('-');
        } else {
            writeUnsigned(out, value.length);
        }
    }

    static void writeUnsigned(ByteBuf out, long v) {
        out.writeCharSequence(Long.toUnsignedString(v), StandardCharsets.US_ASCII);
    }
}
