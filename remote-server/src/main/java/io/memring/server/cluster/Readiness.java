package io.memring.server.cluster;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's {@code repl_state}: {@code catching_up} from start until its ranges are pulled from the
 * other owners, then {@code ready}, with a one-line note saying how it got there (shown in stats).
 * A standalone node is ready from the start.
 */
public final class Readiness {
    private static final Logger log = LoggerFactory.getLogger(Readiness.class);

    /** The two states, spelled as {@code stats} shows them. */
    public enum State {
        CATCHING_UP("catching_up"), READY("ready");

        private final String spelled;

        State(String spelled) {
            this.spelled = spelled;
        }

        public String spelled() {
            return spelled;
        }
    }

    private volatile State state;
    private volatile String note;
    private final java.util.concurrent.atomic.AtomicLong catchUps = new java.util.concurrent.atomic.AtomicLong();

    private Readiness(State state, String note) {
        this.state = state;
        this.note = note;
        if (state == State.CATCHING_UP) {
            catchUps.incrementAndGet();
        }
    }

    /** Returns how many times this node has been catching up (1 after a start, +1 per detected pause). */
    public long catchUps() {
        return catchUps.get();
    }

    public static Readiness ready(String note) {
        return new Readiness(State.READY, note);
    }

    public static Readiness catchingUp() {
        return new Readiness(State.CATCHING_UP, "starting");
    }

    public State state() {
        return state;
    }

    public boolean isReady() {
        return state == State.READY;
    }

    /** Returns what the last transition was about, e.g. "pulled 120 items from 2 peers" or "no peer reachable". */
    public String note() {
        return note;
    }

    /** Progress while catching up (no state change). */
    public void progress(String what) {
        note = what;
    }

    /** Back to catching up (the node was paused or cut off and may hold stale values); logged at WARN. */
    public void becomeCatchingUp(String why) {
        note = why;
        state = State.CATCHING_UP;
        catchUps.incrementAndGet();
        log.warn("repl_state catching_up: {}", why);
    }

    /** Catching up is over; logged at INFO (WARN when no peer could be asked). */
    public void becomeReady(String why, boolean warn) {
        note = why;
        state = State.READY;
        if (warn) {
            log.warn("repl_state ready: {}", why);
        } else {
            log.info("repl_state ready: {}", why);
        }
    }
}
