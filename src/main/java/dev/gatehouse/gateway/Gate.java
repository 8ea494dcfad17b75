package dev.gatehouse.gateway;

import dev.gatehouse.access.AccessCheck;
import dev.gatehouse.access.RequestReason;
import dev.gatehouse.config.CandidatePolicy;
import dev.gatehouse.observe.GatewayMetrics;
import dev.gatehouse.observe.RecentDisagreements;
import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Identity;
import dev.gatehouse.revoke.Revocations;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The decide stage: revocations (a revoked user or device: 403 {@code access-revoked}), the per-user
 * rate limit, then the one {@link AccessCheck}; an allow goes on to
 * {@link Forwarding}, anything else is answered by {@link Answers}. A request reaches a forwarder
 * only from here, with an ALLOW decision.
 */
@Singleton
public class Gate {
    private final AccessCheck access;
    private final RateLimits limits;
    private final Answers answers;
    private final Forwarding forwarding;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final Revocations revocations;

    private final BrowserAnswers browser;
    private final RecentDisagreements disagreements;

    public Gate(AccessCheck access, RateLimits limits, Answers answers, Forwarding forwarding, GatewayMetrics metrics,
                Clock clock, BrowserAnswers browser, Revocations revocations, RecentDisagreements disagreements) {
        this.browser = browser;
        this.disagreements = disagreements;
        this.revocations = revocations;
        this.access = access;
        this.limits = limits;
        this.answers = answers;
        this.forwarding = forwarding;
        this.metrics = metrics;
        this.clock = clock;
    }

    void decide(Exchange ex) {
        // a revoked user, device or session is refused whatever the policy says, also with a token the
        // verified-token cache answered: a volatile read and a few hash lookups
        if (ex.token != null
                && revocations.match(ex.token.idp(), ex.token.identity(), ex.session == null ? null : ex.session.id(),
                        clock.millis()) != null) {
            answers.answer(ex, 403, RequestReason.ACCESS_REVOKED, false);
            return;
        }
        if (ex.token != null && limits.perUser.enabled()
                && !limits.perUser.tryAcquire(ex.route.idp().id() + ':' + ex.token.identity().subject())) {
            answers.tooMany(ex, limits.perUser);
            return;
        }
        AccessRequest request = request(ex);
        long t0 = System.nanoTime();
        Decision decision = access.decide(ex.route, request);
        metrics.policyEvaluation(System.nanoTime() - t0);
        shadow(ex, request, decision);
        if (decision.allowed()) {
            forwarding.forward(ex, request, decision);
        } else if (!browser.intercept(ex, decision)) {
            answers.refuse(ex, decision);
        }
    }

    /**
     * Shadow mode: evaluates the app's candidate policy too (when it has one), counts a
     * disagreement and keeps the candidate's decision for the decision log. Never changes {@code live}.
     */
    private void shadow(Exchange ex, AccessRequest request, Decision live) {
        Decision candidate = access.shadow(ex.route, request, live);
        if (candidate != null) {
            ex.shadow = candidate;
            ex.shadowAgrees = candidate.allowed() == live.allowed();
            if (!ex.shadowAgrees) {
                metrics.shadowDisagreement(ex.route.id(), live.allowed(), candidate.allowed());
                // for the console's shadow page: one small record and one array write
                CandidatePolicy k = access.candidate(ex.route.id());
                Identity who = ex.token == null ? null : ex.token.identity();
                disagreements.add(new RecentDisagreements.Disagreement(System.currentTimeMillis(), ex.requestId,
                        ex.route.id(), k == null ? 0 : k.version(), who == null ? null : who.subject(),
                        ex.request.method().name(), ex.path, live, candidate));
            }
        }
    }

    /** The facts the policy sees for this exchange, at the clock's now. */
    AccessRequest request(Exchange ex) {
        Identity identity = ex.token == null ? null : ex.token.identity();
        return AccessCheck.request(identity, ex.request.method().name(), ex.target, ex.client, clock.instant());
    }
}
