package dev.gatehouse.observe;

import dev.gatehouse.access.Verdict;
import dev.gatehouse.policy.ReasonCode;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The last {@value #CAPACITY} requests of known users that Gatehouse refused on this replica (a
 * policy deny, a revocation, a policy asking to sign in again), for the console's "why can't Bob
 * reach payroll?". Fed where the decision-log entry is made ({@code gateway.Answers}), whatever the
 * log's sampling and output, with values the request already has: no formatting on the event loop.
 * Per replica and in memory only: a restart forgets it; the decision log is the complete record.
 */
@Singleton
public class RecentDenials {
    /** Entries kept per replica: a few hundred KB at most. */
    public static final int CAPACITY = 1000;

    /**
     * One refused request.
     *
     * @param at        epoch millis
     * @param requestId its {@code X-Request-Id}
     * @param app       the app id
     * @param user      the caller's {@code sub}
     * @param idp       the IdP whose token it was, or null
     * @param method    the HTTP method
     * @param path      the normalised path (no query), or null
     * @param status    the status the caller got
     * @param verdict   {@code DENY} or {@code UNAUTHENTICATED}
     * @param reasons   the reasons, the deciding one first
     * @param rule      the policy rule that decided, or null
     */
    public record Denial(long at, String requestId, String app, String user, String idp, String method, String path,
                         int status, Verdict verdict, List<? extends ReasonCode> reasons, String rule) {
        /** The deciding reason, or null. */
        public ReasonCode reason() {
            return reasons.isEmpty() ? null : reasons.get(0);
        }
    }

    private final RecentRing<Denial> ring = new RecentRing<>(CAPACITY, Denial::at);

    /** Whether a finished request with this verdict and caller belongs here. */
    public static boolean wanted(Verdict verdict, String user) {
        return user != null && (verdict == Verdict.DENY || verdict == Verdict.UNAUTHENTICATED);
    }

    /** Keeps one refused request (the oldest is forgotten when full). */
    public void add(Denial d) {
        ring.add(d);
    }

    /**
     * The user's refused requests, newest first.
     *
     * @param user the {@code sub}, exactly
     * @param app  only this app, or null for all
     */
    public List<Denial> of(String user, String app, int limit) {
        return ring.newest(d -> d.user().equals(user) && (app == null || app.equals(d.app())), limit);
    }

    /** How many refused requests were kept since start (older ones are gone). */
    public long added() {
        return ring.added();
    }
}
