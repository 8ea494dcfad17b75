package dev.gatehouse.gateway;

import dev.gatehouse.gateway.forward.AssertionKeys;
import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.DeviceState;
import dev.gatehouse.policy.Identity;
import dev.gatehouse.policy.PolicyEvaluator;
import dev.gatehouse.policy.Reason;
import dev.gatehouse.route.SnapshotHolder;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Gatehouse's own paths under {@code /.gatehouse/} on every host, never subject to app policies:
 * <ul>
 *   <li>{@code jwks.json}: the public keys of upstream assertions;</li>
 *   <li>{@code whoami}: the caller's identity and device facts as Gatehouse sees them and, for
 *       {@code ?path=/x&method=POST}, the decision the host's app would make, with its reasons:
 *       "why was I denied" answered by the proxy itself.</li>
 * </ul>
 */
@ApplicationScoped
public class ReservedEndpoints {
    private final AssertionKeys keys;
    private final SnapshotHolder snapshots;
    private final Gate gate;

    public ReservedEndpoints(AssertionKeys keys, SnapshotHolder snapshots, Gate gate) {
        this.keys = keys;
        this.snapshots = snapshots;
        this.gate = gate;
    }

    void handle(RoutingContext rc, Exchange ex, RequestPipeline pipeline) {
        HttpMethod m = ex.request.method();
        String name = ex.path.substring(RequestPipeline.RESERVED_PREFIX.length());
        if (m != HttpMethod.GET && m != HttpMethod.HEAD) {
            gate.answer(ex, 404, Reason.ROUTE_NOT_FOUND, false);
            return;
        }
        switch (name) {
            case "jwks.json" -> json(ex, keys.jwksJson(), "public, max-age=300");
            case "whoami" -> whoami(rc, ex, pipeline);
            default -> gate.answer(ex, 404, Reason.ROUTE_NOT_FOUND, false);
        }
    }

    private void whoami(RoutingContext rc, Exchange ex, RequestPipeline pipeline) {
        String probePath = PathNormalizer.normalize(orDefault(ex.request.getParam("path"), "/"));
        ex.route = probePath == null ? null : snapshots.current().routes().match(ex.host, probePath);
        if (ex.route == null) {
            gate.answer(ex, 404, Reason.ROUTE_NOT_FOUND, false);
            return;
        }
        pipeline.authenticate(rc, ex, authed -> {
            if (authed.token == null) {
                gate.answer(authed, 401, Reason.USER_UNAUTHENTICATED, false);
                return;
            }
            String method = orDefault(ex.request.getParam("method"), "GET").toUpperCase(java.util.Locale.ROOT);
            AccessRequest base = gate.accessRequest(authed);
            AccessRequest probe = new AccessRequest(base.identity(), method, probePath, base.host(), base.sourceIp(),
                    base.time());
            Decision d = PolicyEvaluator.evaluate(authed.route.app().policy(), probe);
            JsonObject body = describe(authed.token.identity())
                    .put("app", authed.route.id())
                    .put("source_ip", base.sourceIp().getHostAddress())
                    .put("decision", decisionJson(d, method, probePath));
            json(authed, body.encodePrettily(), "no-store");
        });
    }

    private static JsonObject describe(Identity id) {
        DeviceState dev = id.device();
        return new JsonObject()
                .put("subject", id.subject())
                .put("email", id.email())
                .put("groups", new JsonArray(id.groups()))
                .put("roles", new JsonArray(id.roles()))
                .put("amr", new JsonArray(id.amr()))
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

    private static JsonObject decisionJson(Decision d, String method, String path) {
        JsonArray reasons = new JsonArray();
        for (Reason r : d.reasons()) {
            reasons.add(new JsonObject().put("code", r.code()).put("explanation", r.explanation())
                    .put("remedy", r.remedy()));
        }
        return new JsonObject().put("method", method).put("path", path)
                .put("outcome", d.outcome().name().toLowerCase(java.util.Locale.ROOT))
                .put("rule", d.rule()).put("policy_version", d.policyVersion()).put("reasons", reasons);
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
