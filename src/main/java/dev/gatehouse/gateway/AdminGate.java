package dev.gatehouse.gateway;

import dev.gatehouse.access.AccessCheck;
import dev.gatehouse.access.AdminAudit;
import dev.gatehouse.access.AdminRequest;
import dev.gatehouse.access.RequestReason;
import dev.gatehouse.access.Verdict;
import dev.gatehouse.observe.GatewayMetrics;
import dev.gatehouse.policy.Decision;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

/**
 * The admin host's stages: everything outside {@code /api/v1/}, {@code /access/v1/} (the AuthZEN
 * evaluation API) and the console ({@code /console/}, {@link AdminRoutes#servesPath}) is 404; under
 * them, the caller is authenticated ({@link Authentication}: bearer tokens of the admin IdP, or a
 * browser session signed in with it, whose writes must then come from the admin origin) and decided by the same
 * {@link AccessCheck} as any app, with the admin policy ({@link AdminRoutes}). A refusal is answered
 * here exactly like the data plane's (401/403 problem+json), reported to {@link AdminAudit}, and
 * nothing reaches the API. An allowed request (with no declared body over the admin limit: 413) is
 * handed over to the REST layer with the caller as an {@link AdminRequest}.
 */
@Singleton
public class AdminGate {
    private final AdminRoutes routes;
    private final Authentication authentication;
    private final AccessCheck access;
    private final Gate gate;
    private final Answers answers;
    private final RateLimits limits;
    private final GatewayMetrics metrics;
    private final QuarkusAuthenticationDetour detour;
    private final Instance<AdminAudit> audit;

    private final BrowserAnswers browser;
    private final SignInEndpoints signIn;

    public AdminGate(AdminRoutes routes, Authentication authentication, AccessCheck access, Gate gate, Answers answers,
                     RateLimits limits, GatewayMetrics metrics, QuarkusAuthenticationDetour detour,
                     Instance<AdminAudit> audit, BrowserAnswers browser, SignInEndpoints signIn) {
        this.browser = browser;
        this.signIn = signIn;
        this.routes = routes;
        this.authentication = authentication;
        this.access = access;
        this.gate = gate;
        this.answers = answers;
        this.limits = limits;
        this.metrics = metrics;
        this.detour = detour;
        this.audit = audit;
    }

    boolean serves(String host) {
        return routes.serves(host);
    }

    void handle(RoutingContext rc, Exchange ex) {
        ex.route = routes.current();
        if (ex.route == null || !AdminRoutes.servesPath(ex.path)) {
            ex.route = null;
            answers.answer(ex, 404, RequestReason.ROUTE_NOT_FOUND, false);
            return;
        }
        // every 401/403 answered before the hand-over is audited, wherever it came from (an invalid
        // token is answered inside Authentication, a policy refusal in decide)
        rc.addEndHandler(done -> {
            int status = rc.response().getStatusCode();
            if (rc.get(AdminRequest.CONTEXT_KEY) == null && (status == 401 || status == 403)) {
                refused(ex, status);
            }
        });
        authentication.authenticate(rc, ex, authed -> decide(rc, authed));
    }

    private void decide(RoutingContext rc, Exchange ex) {
        if (ex.token != null && limits.perUser.enabled()
                && !limits.perUser.tryAcquire(ex.route.idp().id() + ':' + ex.token.identity().subject())) {
            answers.tooMany(ex, limits.perUser);
            return;
        }
        if (ex.session != null && !safeMethod(ex) && !sameOrigin(ex)) {
            // a session cookie rides along on cross-site requests: writes must come from the admin origin
            answers.answer(ex, 403, RequestReason.INVALID_REQUEST, false);
            return;
        }
        long t0 = System.nanoTime();
        Decision decision = access.decide(ex.route, gate.request(ex));
        metrics.policyEvaluation(System.nanoTime() - t0);
        if (!decision.allowed()) {
            if (!browser.intercept(ex, decision)) {
                answers.refuse(ex, decision);
            }
            return;
        }
        handOver(rc, ex, decision);
    }

    /**
     * Hands the request to the REST layer, which reads the body itself (bounded again there, for
     * bodies without a length). The request stays paused until then: reading it here would end an
     * HTTP/2 stream before the REST layer takes it over, which it cannot.
     */
    private void handOver(RoutingContext rc, Exchange ex, Decision decision) {
        if (RequestValidator.declaredLength(ex.request) > routes.maxBody()) {
            answers.answer(ex, 413, RequestReason.BODY_TOO_LARGE, true);
            return;
        }
        rc.put(AdminRequest.CONTEXT_KEY, new AdminRequest(ex.subject(), ex.route.idp().id(), address(ex),
                ex.requestId, ex.token == null ? null : ex.token.identity().email()));
        rc.addEndHandler(done -> answers.record(ex, Verdict.ALLOW, decision.primaryReason(), decision.reasons(),
                decision.rule(), decision.policyVersion(), rc.response().getStatusCode()));
        detour.handOver(rc);
    }

    private void refused(Exchange ex, int status) {
        if (audit.isResolvable()) {
            String reason = status == 401 ? "unauthenticated" : "denied";
            audit.get().refused(new AdminRequest(ex.subject(), ex.token == null ? null : ex.route.idp().id(),
                    address(ex), ex.requestId), ex.request.method().name(), ex.path, status, reason);
        }
    }

    private static boolean safeMethod(Exchange ex) {
        String m = ex.request.method().name();
        return m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS");
    }

    private boolean sameOrigin(Exchange ex) {
        String origin = ex.request.getHeader("Origin");
        return origin != null && origin.equalsIgnoreCase(signIn.origin(ex));
    }

    private static String address(Exchange ex) {
        return ex.client == null ? null : ex.client.getHostAddress();
    }
}
