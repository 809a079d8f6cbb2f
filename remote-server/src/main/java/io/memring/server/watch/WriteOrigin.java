package io.memring.server.watch;

import io.netty.util.concurrent.FastThreadLocal;

/**
 * Who is writing on this thread right now: the {@code mr_client} id of the connection whose command
 * runs (0 = untagged), and whether that command is a clear's delete ({@code md} with the {@code Y} flag).
 * Set by the protocol layer around a tagged connection's commands, read by {@link WatchHub} under the
 * shard lock (storage calls the listener on the writing thread). A {@link FastThreadLocal}: an array
 * slot on Netty's event-loop threads, so tagging costs a store per read batch, not a map lookup.
 */
public final class WriteOrigin {
    private static final FastThreadLocal<long[]> STATE = new FastThreadLocal<>() {
        @Override
        protected long[] initialValue() {
            return new long[2];
        }
    };

    private WriteOrigin() {
    }

    /** Tags this thread's writes with {@code clientId} (0 = untagged) until set again. */
    public static void set(long clientId) {
        STATE.get()[0] = clientId;
    }

    /** Returns the client id this thread's writes are tagged with, 0 if none. */
    public static long current() {
        return STATE.get()[0];
    }

    /** Marks this thread's next deletes as a clear's ({@code true}) or ordinary ({@code false}). */
    public static void clearing(boolean on) {
        STATE.get()[1] = on ? 1 : 0;
    }

    /** Returns whether the delete running on this thread belongs to a clear. */
    public static boolean isClearing() {
        return STATE.get()[1] != 0;
    }
}
