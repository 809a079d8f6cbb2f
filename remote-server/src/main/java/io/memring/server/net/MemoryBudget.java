package io.memring.server.net;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A node-wide byte budget shared by every connection, for buffers that the item memory limit
 * ({@code -m}) does not cover: data blocks still arriving, and large reply values waiting for a slow
 * reader. A reservation either fits whole or is refused at once; nothing waits for budget, so a
 * refused request gets memcached's out-of-memory reply instead of stalling its connection.
 */
public final class MemoryBudget {
    private final String name;
    private final long limit;
    private final AtomicLong used = new AtomicLong();

    public MemoryBudget(String name, long limitBytes) {
        if (limitBytes < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + limitBytes);
        }
        this.name = name;
        this.limit = limitBytes;
    }

    /** Reserves {@code bytes} if they fit under the limit; returns false (and reserves nothing) otherwise. */
    public boolean tryReserve(long bytes) {
        long cur;
        do {
            cur = used.get();
            if (cur + bytes > limit) {
                return false;
            }
        } while (!used.compareAndSet(cur, cur + bytes));
        return true;
    }

    /** Returns bytes from an earlier successful {@link #tryReserve}. */
    public void release(long bytes) {
        if (bytes > 0) {
            used.addAndGet(-bytes);
        }
    }

    /** Returns the bytes reserved now. */
    public long used() {
        return used.get();
    }

    public long limit() {
        return limit;
    }

    @Override
    public String toString() {
        return name + " " + used.get() + "/" + limit;
    }
}
