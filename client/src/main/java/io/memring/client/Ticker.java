package io.memring.client;

/** A source of nanosecond time for the client's health decisions; replaceable by a fake clock in tests. */
@FunctionalInterface
public interface Ticker {
    /** Returns nanoseconds from an arbitrary origin, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Returns the system's monotonic clock. */
    static Ticker system() {
        return System::nanoTime;
    }
}
