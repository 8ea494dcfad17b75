package dev.gatehouse.gateway;

import dev.gatehouse.access.RequestReason;
import dev.gatehouse.access.Verdict;
import dev.gatehouse.observe.DecisionEntry;
import dev.gatehouse.observe.DecisionLog;
import dev.gatehouse.observe.GatewayMetrics;
import dev.gatehouse.observe.RecentDenials;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.Identity;
import dev.gatehouse.policy.Outcome;
import dev.gatehouse.policy.ReasonCode;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * Gatehouse's own answers (401, 403, 404, 400, 429, 5xx) and the record of every finished request:
 * one metric increment and one decision-log line, with the {@link Verdict} derived from what
 * happened, never from the status code.
 */
@Singleton
public class Answers {
    private final GatewayMetrics metrics;
    private final DecisionLog decisionLog;
    private final RecentDenials denials;

    public Answers(GatewayMetrics metrics, DecisionLog decisionLog, RecentDenials denials) {
        this.metrics = metrics;
        this.decisionLog = decisionLog;
        this.denials = denials;
    }

    /** Answers a policy decision that is not an allow: 401 when the caller must sign in, else 403. */
    void refuse(Exchange ex, Decision decision) {
        boolean unauthenticated = decision.outcome() == Outcome.UNAUTHENTICATED;
        int status = unauthenticated ? 401 : 403;
        DenyResponder.respond(ex.request, status, decision.primaryReason(), ex.appId(), ex.requestId, false,
                signedInAs(ex), switchUserUrl(ex));
        record(ex, unauthenticated ? Verdict.UNAUTHENTICATED : Verdict.DENY, decision.primaryReason(),
                decision.reasons(), decision.evaluatedRule(), decision.policyVersion(), status);
    }

    /** Who a person on a session is signed in as, for the deny page; null for anyone else. */
    private static String signedInAs(Exchange ex) {
        if (ex.session == null) {
            return null;
        }
        Identity id = ex.token.identity();
        return id.email() != null ? id.email() : id.subject();
    }

    /** "Sign in as someone else": sign-in with {@code prompt=login}, back to this URL. */
    private static String switchUserUrl(Exchange ex) {
        if (ex.session == null) {
            return null;
        }
        String q = ex.request.query();
        String back = ex.request.path() + (q == null ? "" : "?" + q);
        return SignInEndpoints.LOGIN + "?prompt=login&rd=" + SignInEndpoints.enc(back);
    }

    /** Answers without a policy decision (or after one, for upstream trouble) and records it. */
    void answer(Exchange ex, int status, RequestReason reason, boolean close) {
        answer(ex, status, reason.verdict(), reason, close);
    }

    /** Answers with any reason under an explicit verdict (e.g. whoami without credentials). */
    void answer(Exchange ex, int status, Verdict verdict, ReasonCode reason, boolean close) {
        DenyResponder.respond(ex.request, status, reason, ex.appId(), ex.requestId, close);
        record(ex, verdict, reason, List.of(reason), null, 0, status);
    }

    /** 429 with {@code Retry-After}. */
    void tooMany(Exchange ex, RateLimiter limiter) {
        ex.request.response().headers().set("Retry-After", Long.toString(limiter.retryAfterSeconds()));
        answer(ex, 429, RequestReason.RATE_LIMITED, false);
    }

    /** Records a finished request: metrics and the decision log. */
    void record(Exchange ex, Verdict verdict, ReasonCode primary, List<? extends ReasonCode> reasons, String rule,
                long policyVersion, int status) {
        long took = System.nanoTime() - ex.startNanos;
        String app = ex.route == null ? GatewayMetrics.NO_APP : ex.route.id();
        metrics.request(app, verdict, primary, took);
        Identity caller = ex.token == null ? null : ex.token.identity();
        if (caller != null && RecentDenials.wanted(verdict, caller.subject())) {
            // for the console's "why can't Bob reach it": one small record and one array write
            denials.add(new RecentDenials.Denial(System.currentTimeMillis(), ex.requestId, app, caller.subject(),
                    ex.route == null || ex.route.idp() == null ? null : ex.route.idp().id(),
                    ex.request.method().name(), ex.path, status, verdict, reasons, rule));
        }
        // a shadow disagreement is always logged, even for a sampled-out allow: it is what an admin looks for
        boolean disagreement = ex.shadow != null && !ex.shadowAgrees;
        if (decisionLog.wants(verdict, disagreement)) {
            Identity identity = ex.token == null ? null : ex.token.identity();
            decisionLog.record(new DecisionEntry(ex.requestId, app, ex.host, ex.request.method().name(), ex.path,
                    status, verdict, reasons, rule, policyVersion, identity == null ? null : identity.subject(),
                    ex.route == null || ex.route.idp() == null ? null : ex.route.idp().id(),
                    identity == null ? null : identity.device().id(),
                    ex.clientText(), took, ex.upstreamStatus, ex.tokenError,
                    ex.shadow, ex.shadowAgrees));
        }
    }
}
