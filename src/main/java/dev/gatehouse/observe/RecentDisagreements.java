package dev.gatehouse.observe;

import dev.gatehouse.policy.Decision;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The last {@value #CAPACITY} requests on which an app's candidate policy (shadow mode) disagreed
 * with its live one on this replica, for the console's shadow page. Fed where the disagreement is
 * counted ({@code gateway.Gate}), with the decisions the request already has: no formatting on the
 * event loop. Per replica and in memory; the decision log's {@code shadow} field is the complete
 * record and {@code gatehouse_shadow_disagreements_total} the cluster-wide count.
 */
@Singleton
public class RecentDisagreements {
    /** Entries kept per replica, all apps together. */
    public static final int CAPACITY = 500;

    /**
     * One disagreement.
     *
     * @param at               epoch millis
     * @param requestId        its {@code X-Request-Id}
     * @param app              the app id
     * @param candidateVersion the version of the candidate that disagreed
     * @param user             the caller's {@code sub}, or null when anonymous
     * @param method           the HTTP method
     * @param path             the normalised path (no query), or null
     * @param live             what the live policy decided
     * @param candidate        what the candidate would have decided
     */
    public record Disagreement(long at, String requestId, String app, long candidateVersion, String user,
                               String method, String path, Decision live, Decision candidate) {
    }

    private final RecentRing<Disagreement> ring = new RecentRing<>(CAPACITY, Disagreement::at);

    /** Keeps one disagreement (the oldest is forgotten when full). */
    public void add(Disagreement d) {
        ring.add(d);
    }

    /** An app's disagreements, newest first. */
    public List<Disagreement> of(String app, int limit) {
        return ring.newest(d -> d.app().equals(app), limit);
    }
}
