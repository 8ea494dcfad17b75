package dev.gatehouse.store;

import java.time.Clock;
import java.time.Instant;

/**
 * Whether the store answered the last time it was used or checked, and if not why and since when.
 * Readiness shows it (a store that is down degrades the replica, it does not stop it: the data plane
 * keeps enforcing its last snapshot). Written from worker threads, read from anywhere.
 */
public final class StoreStatus {
    /** One observation: reachable or not, the error, and since when it has been so. */
    public record State(boolean reachable, String error, Instant since) {
    }

    private final Clock clock;
    private volatile State state;

    public StoreStatus(Clock clock) {
        this.clock = clock;
        this.state = new State(true, null, clock.instant());
    }

    /** The store answered. */
    public void up() {
        if (!state.reachable()) {
            state = new State(true, null, clock.instant());
        }
    }

    /** The store failed; {@code error} says how (no secrets: driver messages name host and database). */
    public void down(String error) {
        State s = state;
        state = new State(false, error, s.reachable() ? clock.instant() : s.since());
    }

    /** The latest observation. */
    public State state() {
        return state;
    }
}
