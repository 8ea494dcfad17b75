package dev.gatehouse.admin;

import dev.gatehouse.store.StoreStatus;
import dev.gatehouse.store.StoreUnavailableException;
import jakarta.inject.Singleton;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * What the log says when an admin request finds the store unavailable (the request is answered 503
 * {@code store-unavailable} by {@link ProblemMappers}). An outage is one stretch during which
 * {@link StoreStatus} reports the store unreachable, known by the instant it started: its first
 * failed request is logged once at WARN (since when, and why), every later one at DEBUG with the
 * stack trace, so a console or script polling a dead store does not fill the log with traces. A
 * failure while the status still says reachable (a statement that failed on a live connection) is
 * a single event, not an outage: each is logged at WARN, without the trace (DEBUG has it).
 */
@Singleton
public class StoreOutageLog {
    private static final Logger LOG = Logger.getLogger(StoreOutageLog.class);

    private final StoreStatus status;
    /** The start of the outage already reported at WARN; null before the first. */
    private Instant reported;

    public StoreOutageLog(StoreStatus status) {
        this.status = status;
    }

    /** Logs one admin request that failed because the store is unavailable. */
    public void requestFailed(String requestId, StoreUnavailableException e) {
        StoreStatus.State state = status.state();
        if (!firstReport(state)) {
            LOG.debugf(e, "request %s: store unavailable since %s, answered 503", requestId, state.since());
        } else if (state.reachable()) {
            LOG.warnf("request %s: the store failed (%s); answered 503 store-unavailable", requestId, e.getMessage());
            LOG.debugf(e, "request %s: the store failed", requestId);
        } else {
            LOG.warnf("the store is unavailable since %s (%s): admin requests are answered 503 store-unavailable "
                    + "until it answers again, each logged at DEBUG only (first: request %s)",
                    state.since(), state.error() != null ? state.error() : e.getMessage(), requestId);
            LOG.debugf(e, "request %s: store unavailable", requestId);
        }
    }

    /**
     * Whether a failure seen in {@code state} is reported at WARN: every failure the status does not
     * know as an outage, and the first one of each outage (a new {@link StoreStatus.State#since()}).
     */
    synchronized boolean firstReport(StoreStatus.State state) {
        if (state.reachable()) {
            return true;
        }
        if (state.since().equals(reported)) {
            return false;
        }
        reported = state.since();
        return true;
    }
}
