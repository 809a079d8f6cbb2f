package io.memring.server.storage;

/** A clock tests move by hand. */
public final class FakeClock implements ServerClock {
    private int now = 2;
    private final long started = 1_700_000_000L;

    @Override
    public int now() {
        return now;
    }

    @Override
    public long processStarted() {
        return started;
    }

    public void advance(int seconds) {
        now += seconds;
    }
}
