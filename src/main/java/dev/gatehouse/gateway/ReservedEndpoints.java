package dev.gatehouse.gateway;

import dev.gatehouse.access.AccessCheck;
import dev.gatehouse.access.AccessTarget;
import dev.gatehouse.access.RequestReason;
import dev.gatehouse.access.Verdict;
import dev.gatehouse.config.WhoamiDetail;
import dev.gatehouse.gateway.forward.AssertionKeys;
import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.DeviceState;
import dev.gatehouse.policy.Identity;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.policy.ReasonCode;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.Locale;

/**
 * Gatehouse's own paths under {@code /.gatehouse/} on every host, never subject to app policies:
 * <ul>
 *   <li>{@code jwks.json}: the public keys of upstream assertions;</li>
 *   <li>{@code whoami}: the caller's identity and device facts as Gatehouse sees them and, for
 *       {@code ?path=/x&method=POST}, the decision the host's app would make, with its reasons:
 *       "why was I denied" answered by the proxy itself. How much it says is the app's choice
 *       ({@link WhoamiDetail}): reasons by default, also the rule and policy version with
 *       {@code full}, nothing (404) with {@code off}.</li>
 *   <li>{@code login}, {@code callback}: browser sign-in ({@link SignInEndpoints});</li>
 *   <li>{@code logout}: sign-out, GET a confirmation page, POST to sign out ({@link SignOutEndpoint}).</li>
 *   <li>{@code backchannel-logout}: OpenID Back-Channel Logout ({@link BackchannelLogout}).</li>
 * </ul>
 */
@Singleton
public class ReservedEndpoints {
    private final AssertionKeys keys;
    private final AccessCheck access;
    private final Authentication authentication;
    private final Gate gate;
    private final Answers answers;
    /** Field-injected: keeps this class's constructor as other work on it expects. */
    @jakarta.inject.Inject
    BackchannelLogout backchannelLogout;

    private final SignInEndpoints signIn;
    private final SignOutEndpoint signOut;

    public ReservedEndpoints(AssertionKeys keys, AccessCheck access, Authentication authentication, Gate gate,
                             Answers answers, SignInEndpoints signIn, SignOutEndpoint signOut) {
        this.signIn = signIn;
        this.signOut = signOut;
        this.keys = keys;
        this.access = access;
        this.authentication = authentication;
        this.gate = gate;
        this.answers = answers;
    }

    void handle(RoutingContext rc, Exchange ex) {
        HttpMethod m = ex.request.method();
        String name = ex.path.substring(AccessTarget.RESERVED_PREFIX.length());
        if (name.equals(BackchannelLogout.NAME)) {
            backchannelLogout.handle(ex);
            return;
        }
        if (name.equals("logout") && (m == HttpMethod.GET || m == HttpMethod.POST)) {
            signOut.handle(ex);
            return;
        }
        if (m != HttpMethod.GET && m != HttpMethod.HEAD) {
            answers.answer(ex, 404, RequestReason.ROUTE_NOT_FOUND, false);
            return;
        }
        switch (name) {
            case "jwks.json" -> json(ex, keys.jwksJson(), "public, max-age=300");
            case "whoami" -> whoami(rc, ex);
            case "login" -> signIn.login(ex);
            case "callback" -> signIn.callback(ex);
            default -> answers.answer(ex, 404, RequestReason.ROUTE_NOT_FOUND, false);
        }
    }

    private void whoami(RoutingContext rc, Exchange ex) {
        AccessTarget probe = ex.target.withPath(orDefault(ex.request.getParam("path"), "/"));
        ex.route = probe == null ? null : access.route(probe);
        if (ex.route == null || ex.route.app().whoami() == WhoamiDetail.OFF) {
            ex.route = null;
            answers.answer(ex, 404, RequestReason.ROUTE_NOT_FOUND, false);
            return;
        }
        authentication.authenticate(rc, ex, authed -> {
            if (authed.token == null) {
                answers.answer(authed, 401, Verdict.UNAUTHENTICATED, Reason.USER_UNAUTHENTICATED, false);
                return;
            }
            String method = orDefault(ex.request.getParam("method"), "GET").toUpperCase(Locale.ROOT);
            AccessRequest base = gate.request(authed);
            AccessRequest asked = new AccessRequest(base.identity(), method, probe.path(), probe.host(),
                    base.sourceIp(), base.time());
            Decision d = access.decide(authed.route, asked);
            JsonObject body = describe(authed.token.identity())
                    .put("app", authed.route.id())
                    .put("source_ip", base.sourceIp() == null ? null : base.sourceIp().getHostAddress())
                    .put("decision", decisionJson(d, method, probe.path(), authed.route.app().whoami()));
            json(authed, body.encodePrettily(), "no-store");
        });
    }

    private static JsonObject describe(Identity id) {
        DeviceState dev = id.device();
        return new JsonObject()
                .put("subject", id.subject())
                .put("name", id.name())
                .put("email", id.email())
                .put("groups", id.groups() == null ? null : new JsonArray(id.groups()))
                .put("roles", id.roles() == null ? null : new JsonArray(id.roles()))
                .put("amr", id.amr() == null ? null : new JsonArray(id.amr()))
                .put("acr", id.acr())
                .put("auth_time", id.authTimeEpochSeconds())
                .put("device", new JsonObject()
                        .put("present", dev.present())
                        .put("id", dev.id())
                        .put("compliant", dev.compliant())
                        .put("managed", dev.managed())
                        .put("trust", dev.trust())
                        .put("posture_at", dev.postureAtEpochSeconds()));
    }

    private static JsonObject decisionJson(Decision d, String method, String path, WhoamiDetail detail) {
        JsonArray reasons = new JsonArray();
        for (Reason r : d.reasons()) {
            reasons.add(reasonJson(r));
        }
        JsonObject json = new JsonObject().put("method", method).put("path", path)
                .put("outcome", d.outcome().name().toLowerCase(Locale.ROOT)).put("reasons", reasons);
        if (detail == WhoamiDetail.FULL) {
            json.put("rule", d.rule()).put("policy_version", d.policyVersion());
        }
        return json;
    }

    private static JsonObject reasonJson(ReasonCode r) {
        return new JsonObject().put("code", r.code()).put("explanation", r.explanation()).put("remedy", r.remedy());
    }

    private void json(Exchange ex, String body, String cacheControl) {
        ex.request.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, cacheControl)
                .end(body);
        ex.request.resume();
    }

    private static String orDefault(String v, String d) {
        return v == null || v.isEmpty() ? d : v;
    }
}
