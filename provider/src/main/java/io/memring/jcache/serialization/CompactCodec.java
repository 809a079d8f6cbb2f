package io.memring.jcache.serialization;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.cache.CacheException;

/**
 * The encodings that need no Java serialization: a tag (carried in memcached's client flags for a
 * whole value) and a fixed, validated byte layout per type. Tags 1–5 are what
 * {@link DefaultSerializer} has always written, so both serializers read each other's values.
 *
 * <p>Inside a list, set or map each element is {@code [tag 1][length 4][payload]}, tag 0 being null.
 * Sets and maps are written in the order of their encoded elements (keys, for maps), so equal
 * collections give equal bytes, as keys must; they read back as {@code ArrayList},
 * {@code LinkedHashSet} and {@code LinkedHashMap}. Nesting is limited to {@value #MAX_DEPTH} levels;
 * a count or length that the remaining bytes cannot hold is refused before anything is allocated.
 */
final class CompactCodec {
    static final int JAVA = 0;
    static final int STRING = 1;
    static final int BYTES = 2;
    static final int LONG = 3;
    static final int INTEGER = 4;
    static final int BOOLEAN = 5;
    static final int SHORT = 6;
    static final int BYTE = 7;
    static final int CHARACTER = 8;
    static final int FLOAT = 9;
    static final int DOUBLE = 10;
    static final int UUID_TAG = 11;
    static final int BIG_INTEGER = 12;
    static final int BIG_DECIMAL = 13;
    static final int INSTANT = 14;
    static final int DURATION = 15;
    static final int LOCAL_DATE = 16;
    static final int LOCAL_TIME = 17;
    static final int LOCAL_DATE_TIME = 18;
    static final int OFFSET_DATE_TIME = 19;
    static final int ZONED_DATE_TIME = 20;
    static final int LIST = 21;
    static final int SET = 22;
    static final int MAP = 23;
    /** The element tag of null inside a collection (never a whole value's tag). */
    private static final int NULL_ELEMENT = 0;
    private static final int ELEMENT_HEADER = 1 + 4;

    static final int MAX_DEPTH = 32;

    private CompactCodec() {
    }

    /** Returns the encoding of {@code o}, or null when it is not a type this codec knows. */
    static Serializer.Serialized encode(Object o) {
        return encode(o, 0);
    }

    private static Serializer.Serialized encode(Object o, int depth) {
        if (depth > MAX_DEPTH) {
            throw new CacheException("cannot serialize a value nested deeper than " + MAX_DEPTH + " levels");
        }
        if (o instanceof String s) {
            return new Serializer.Serialized(s.getBytes(StandardCharsets.UTF_8), STRING);
        }
        if (o instanceof byte[] b) {
            return new Serializer.Serialized(b.clone(), BYTES);
        }
        if (o instanceof Long l) {
            return new Serializer.Serialized(ByteBuffer.allocate(8).putLong(l).array(), LONG);
        }
        if (o instanceof Integer i) {
            return new Serializer.Serialized(ByteBuffer.allocate(4).putInt(i).array(), INTEGER);
        }
        if (o instanceof Boolean b) {
            return new Serializer.Serialized(new byte[] {(byte) (b ? 1 : 0)}, BOOLEAN);
        }
        if (o instanceof Short s) {
            return new Serializer.Serialized(ByteBuffer.allocate(2).putShort(s).array(), SHORT);
        }
        if (o instanceof Byte b) {
            return new Serializer.Serialized(new byte[] {b}, BYTE);
        }
        if (o instanceof Character c) {
            return new Serializer.Serialized(ByteBuffer.allocate(2).putChar(c).array(), CHARACTER);
        }
        if (o instanceof Float f) {
            return new Serializer.Serialized(ByteBuffer.allocate(4).putInt(Float.floatToRawIntBits(f)).array(), FLOAT);
        }
        if (o instanceof Double d) {
            return new Serializer.Serialized(ByteBuffer.allocate(8).putLong(Double.doubleToRawLongBits(d)).array(), DOUBLE);
        }
        if (o instanceof UUID u) {
            return new Serializer.Serialized(ByteBuffer.allocate(16).putLong(u.getMostSignificantBits())
                    .putLong(u.getLeastSignificantBits()).array(), UUID_TAG);
        }
        if (o instanceof BigInteger b) {
            return new Serializer.Serialized(b.toByteArray(), BIG_INTEGER);
        }
        if (o instanceof BigDecimal d) {
            byte[] unscaled = d.unscaledValue().toByteArray();
            return new Serializer.Serialized(ByteBuffer.allocate(4 + unscaled.length).putInt(d.scale()).put(unscaled).array(),
                    BIG_DECIMAL);
        }
        if (o instanceof Instant i) {
            return new Serializer.Serialized(ByteBuffer.allocate(12).putLong(i.getEpochSecond()).putInt(i.getNano()).array(),
                    INSTANT);
        }
        if (o instanceof Duration d) {
            return new Serializer.Serialized(ByteBuffer.allocate(12).putLong(d.getSeconds()).putInt(d.getNano()).array(),
                    DURATION);
        }
        if (o instanceof LocalDate d) {
            return new Serializer.Serialized(ByteBuffer.allocate(8).putLong(d.toEpochDay()).array(), LOCAL_DATE);
        }
        if (o instanceof LocalTime t) {
            return new Serializer.Serialized(ByteBuffer.allocate(8).putLong(t.toNanoOfDay()).array(), LOCAL_TIME);
        }
        if (o instanceof LocalDateTime t) {
            return new Serializer.Serialized(putDateTime(ByteBuffer.allocate(16), t).array(), LOCAL_DATE_TIME);
        }
        if (o instanceof OffsetDateTime t) {
            return new Serializer.Serialized(putDateTime(ByteBuffer.allocate(20), t.toLocalDateTime())
                    .putInt(t.getOffset().getTotalSeconds()).array(), OFFSET_DATE_TIME);
        }
        if (o instanceof ZonedDateTime t) {
            byte[] zone = t.getZone().getId().getBytes(StandardCharsets.UTF_8);
            return new Serializer.Serialized(putDateTime(ByteBuffer.allocate(20 + zone.length), t.toLocalDateTime())
                    .putInt(t.getOffset().getTotalSeconds()).put(zone).array(), ZONED_DATE_TIME);
        }
        if (o instanceof List<?> l) {
            List<byte[]> elements = new ArrayList<>(l.size());
            for (Object e : l) {
                elements.add(element(e, depth));
            }
            return new Serializer.Serialized(join(elements.size(), elements), LIST);
        }
        if (o instanceof Set<?> s) {
            List<byte[]> elements = new ArrayList<>(s.size());
            for (Object e : s) {
                elements.add(element(e, depth));
            }
            elements.sort(Arrays::compare);
            return new Serializer.Serialized(join(elements.size(), elements), SET);
        }
        if (o instanceof Map<?, ?> m) {
            List<byte[][]> entries = new ArrayList<>(m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                entries.add(new byte[][] {element(e.getKey(), depth), element(e.getValue(), depth)});
            }
            entries.sort((a, b) -> Arrays.compare(a[0], b[0]));
            List<byte[]> flat = new ArrayList<>(entries.size() * 2);
            for (byte[][] e : entries) {
                flat.add(e[0]);
                flat.add(e[1]);
            }
            return new Serializer.Serialized(join(entries.size(), flat), MAP);
        }
        return null;
    }

    private static ByteBuffer putDateTime(ByteBuffer b, LocalDateTime t) {
        return b.putLong(t.toLocalDate().toEpochDay()).putLong(t.toLocalTime().toNanoOfDay());
    }

    private static byte[] element(Object e, int depth) {
        if (e == null) {
            return ByteBuffer.allocate(ELEMENT_HEADER).put((byte) NULL_ELEMENT).putInt(0).array();
        }
        Serializer.Serialized s = encode(e, depth + 1);
        if (s == null) {
            throw unsupported(e);
        }
        return ByteBuffer.allocate(ELEMENT_HEADER + s.bytes().length).put((byte) s.encoding()).putInt(s.bytes().length)
                .put(s.bytes()).array();
    }

    private static byte[] join(int count, List<byte[]> elements) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(4).putInt(count).array());
        elements.forEach(out::writeBytes);
        return out.toByteArray();
    }

    static CacheException unsupported(Object o) {
        return new CacheException("the compact serializer does not write a " + o.getClass().getName()
                + ": it writes String, boxed primitives, byte[], UUID, BigInteger, BigDecimal, Instant, Duration, "
                + "LocalDate, LocalTime, LocalDateTime, OffsetDateTime, ZonedDateTime, and lists, sets and maps of these "
                + "(use the default serializer, or a Serializer of your own, for other types)");
    }

    /** Returns whether {@code encoding} is one of this codec's tags (not {@link #JAVA}). */
    static boolean knows(int encoding) {
        return encoding >= STRING && encoding <= MAP;
    }

    /**
     * Rebuilds a value.
     *
     * @throws CacheException if the bytes are not a well-formed value of the tag's type
     */
    static Object decode(byte[] bytes, int encoding) {
        if (encoding == STRING) {
            return new String(bytes, StandardCharsets.UTF_8); // the common case, without a copy
        }
        if (encoding == BYTES) {
            return bytes.clone(); // the other common case: one copy, no buffer around it
        }
        try {
            return decode(ByteBuffer.wrap(bytes), encoding, 0);
        } catch (BufferUnderflowException | DateTimeException | ArithmeticException | NumberFormatException e) {
            throw new CacheException("malformed cached value (encoding " + encoding + ", " + bytes.length + " bytes): " + e, e);
        }
    }

    /** Decodes the rest of {@code b} as a value with tag {@code encoding}. */
    private static Object decode(ByteBuffer b, int encoding, int depth) {
        if (depth > MAX_DEPTH) {
            throw new CacheException("malformed cached value: nested deeper than " + MAX_DEPTH + " levels");
        }
        switch (encoding) {
            case STRING:
                return new String(rest(b), StandardCharsets.UTF_8);
            case BYTES:
                return rest(b);
            case LONG:
                return exactly(b, 8, "Long").getLong();
            case INTEGER:
                return exactly(b, 4, "Integer").getInt();
            case BOOLEAN:
                return exactly(b, 1, "Boolean").get() != 0;
            case SHORT:
                return exactly(b, 2, "Short").getShort();
            case BYTE:
                return exactly(b, 1, "Byte").get();
            case CHARACTER:
                return exactly(b, 2, "Character").getChar();
            case FLOAT:
                return Float.intBitsToFloat(exactly(b, 4, "Float").getInt());
            case DOUBLE:
                return Double.longBitsToDouble(exactly(b, 8, "Double").getLong());
            case UUID_TAG:
                exactly(b, 16, "UUID");
                return new UUID(b.getLong(), b.getLong());
            case BIG_INTEGER:
                return bigInteger(rest(b));
            case BIG_DECIMAL: {
                atLeast(b, 5, "BigDecimal");
                int scale = b.getInt();
                return new BigDecimal(bigInteger(rest(b)), scale);
            }
            case INSTANT:
                exactly(b, 12, "Instant");
                return Instant.ofEpochSecond(b.getLong(), b.getInt());
            case DURATION:
                exactly(b, 12, "Duration");
                return Duration.ofSeconds(b.getLong(), b.getInt());
            case LOCAL_DATE:
                return LocalDate.ofEpochDay(exactly(b, 8, "LocalDate").getLong());
            case LOCAL_TIME:
                return LocalTime.ofNanoOfDay(exactly(b, 8, "LocalTime").getLong());
            case LOCAL_DATE_TIME:
                return dateTime(exactly(b, 16, "LocalDateTime"));
            case OFFSET_DATE_TIME: {
                LocalDateTime t = dateTime(exactly(b, 20, "OffsetDateTime"));
                return OffsetDateTime.of(t, ZoneOffset.ofTotalSeconds(b.getInt()));
            }
            case ZONED_DATE_TIME: {
                atLeast(b, 21, "ZonedDateTime");
                LocalDateTime t = dateTime(b);
                ZoneOffset offset = ZoneOffset.ofTotalSeconds(b.getInt());
                ZoneId zone = ZoneId.of(new String(rest(b), StandardCharsets.UTF_8));
                return ZonedDateTime.ofLocal(t, zone, offset);
            }
            case LIST: {
                int n = count(b);
                List<Object> out = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    out.add(element(b, depth));
                }
                return done(b, out);
            }
            case SET: {
                int n = count(b);
                Set<Object> out = new LinkedHashSet<>();
                for (int i = 0; i < n; i++) {
                    out.add(element(b, depth));
                }
                return done(b, out);
            }
            case MAP: {
                int n = count(b);
                if (n > b.remaining() / (2 * ELEMENT_HEADER)) {
                    throw new CacheException("malformed cached value: a map of " + n + " entries in " + b.remaining() + " bytes");
                }
                Map<Object, Object> out = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    out.put(element(b, depth), element(b, depth));
                }
                return done(b, out);
            }
            case JAVA:
                throw new CacheException("the cached value is Java-serialized, which this cache's serializer does not read");
            default:
                throw new CacheException("unknown value encoding " + encoding + " (written by another serializer?)");
        }
    }

    private static Object element(ByteBuffer b, int depth) {
        atLeast(b, ELEMENT_HEADER, "collection element");
        int tag = b.get() & 0xff;
        int length = b.getInt();
        if (length < 0 || length > b.remaining()) {
            throw new CacheException("malformed cached value: an element of " + length + " bytes where "
                    + b.remaining() + " remain");
        }
        if (tag == NULL_ELEMENT) {
            if (length != 0) {
                throw new CacheException("malformed cached value: a null element with " + length + " bytes");
            }
            return null;
        }
        ByteBuffer slice = b.slice(b.position(), length);
        b.position(b.position() + length);
        return decode(slice, tag, depth + 1);
    }

    private static int count(ByteBuffer b) {
        atLeast(b, 4, "collection");
        int n = b.getInt();
        if (n < 0 || n > b.remaining() / ELEMENT_HEADER) {
            throw new CacheException("malformed cached value: a collection of " + n + " elements in " + b.remaining() + " bytes");
        }
        return n;
    }

    private static Object done(ByteBuffer b, Object value) {
        if (b.hasRemaining()) {
            throw new CacheException("malformed cached value: " + b.remaining() + " bytes after a collection");
        }
        return value;
    }

    private static LocalDateTime dateTime(ByteBuffer b) {
        return LocalDateTime.of(LocalDate.ofEpochDay(b.getLong()), LocalTime.ofNanoOfDay(b.getLong()));
    }

    private static BigInteger bigInteger(byte[] bytes) {
        if (bytes.length == 0) {
            throw new CacheException("malformed cached value: an empty BigInteger");
        }
        return new BigInteger(bytes);
    }

    private static byte[] rest(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static ByteBuffer exactly(ByteBuffer b, int n, String type) {
        if (b.remaining() != n) {
            throw new CacheException("malformed cached value: a " + type + " of " + b.remaining() + " bytes (expected " + n + ")");
        }
        return b;
    }

    private static void atLeast(ByteBuffer b, int n, String type) {
        if (b.remaining() < n) {
            throw new CacheException("malformed cached value: a " + type + " of " + b.remaining() + " bytes (expected at least " + n + ")");
        }
    }
}
