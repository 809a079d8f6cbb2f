package io.memring.server.storage;

/** An incr/decr ({@code incr}, {@code decr}, {@code ma}) request and its result. Reused per connection. */
public final class ArithmeticRequest {
    public byte[] key;
    public boolean keyBinary;
    public boolean incr = true;
    public long delta = 1;
    /** CAS to compare; 0 = none. */
    public long compareCas;
    /** {@code N}: on miss, create the item with {@link #initial} and this relative exptime. */
    public boolean vivify;
    public int vivifyExptime;
    public long initial;
    /** {@code T}: set a new relative exptime on the item. */
    public boolean touch;
    public int touchExptime;

    // out
    public long value;
    public long resultCas;
    public int resultExptime;
    public boolean created;

    public ArithmeticRequest reset() {
        key = null;
        keyBinary = false;
        incr = true;
        delta = 1;
        compareCas = 0;
        vivify = false;
        vivifyExptime = 0;
        initial = 0;
        touch = false;
        touchExptime = 0;
        value = 0;
        resultCas = 0;
        resultExptime = 0;
        created = false;
        return this;
    }
}
