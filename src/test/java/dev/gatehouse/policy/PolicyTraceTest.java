package dev.gatehouse.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The per-criterion trace: each criterion kind explains what it compared in plain words, with its
 * YAML path, outcome and reason; operators mirror the document; unknown facts say they never grant;
 * and the trace always agrees with the decision the evaluator makes.
 */
class PolicyTraceTest {
    private static final Instant NOW = Instant.parse("2026-06-15T10:00:00Z"); // a Monday

    private static CompiledPolicy compile(String yaml) throws Exception {
        CompileResult r = PolicyCompiler.compile(PolicyCasesTest.YAML.readValue(yaml, Object.class), "", 7);
        assertThat(r.errors()).isEmpty();
        return r.policy();
    }

    private static Map<String, Object> alice() {
        Map<String, Object> c = new HashMap<>();
        c.put("sub", "alice");
        c.put("email", "alice@example.com");
        c.put("email_verified", true);
        c.put("groups", List.of("sales"));
        c.put("realm_access", Map.of("roles", List.of("viewer")));
        c.put("amr", List.of("pwd"));
        c.put("acr", "silver");
        c.put("auth_time", NOW.getEpochSecond() - 7200);
        c.put("device_id", "laptop-1");
        c.put("device_compliant", true);
        c.put("device_posture_at", NOW.getEpochSecond() - 2400);
        c.put("org", Map.of("unit", "emea"));
        return c;
    }

    private static AccessRequest request(Map<String, Object> claims) throws Exception {
        Identity id = claims == null ? null : IdentityFactory.fromClaims(claims, ClaimPaths.DEFAULTS, false);
        return new AccessRequest(id, "POST", "/reports/q3", "app.example.com", InetAddress.getByName("203.0.113.9"), NOW);
    }

    /** The trace of a one-criterion allow block, checked against the decision. */
    private static TraceNode leaf(String allow, Map<String, Object> claims) throws Exception {
        CompiledPolicy p = compile("allow: " + allow);
        AccessRequest r = request(claims);
        PolicyTrace t = PolicyEvaluator.trace(p, r);
        assertThat(t.deny()).isNull();
        assertThat(t.allow().children()).isEmpty();
        Decision d = PolicyEvaluator.evaluate(p, r);
        assertThat(d.allowed()).as("trace and decision agree").isEqualTo(t.allow().outcome() == Truth.TRUE);
        if (!d.allowed()) {
            assertThat(d.primaryReason()).isEqualTo(t.allow().reason());
        }
        return t.allow();
    }

    @Test
    void everyCriterionKindExplainsItself() throws Exception {
        Map<String, Object> a = alice();
        assertThat(leaf("{groups: {has: engineering}}", a).explanation()).isEqualTo("groups [sales] do not include engineering");
        assertThat(leaf("{groups: {has: sales}}", a).explanation()).isEqualTo("groups [sales] include sales");
        assertThat(leaf("{roles: {in: [admin, viewer]}}", a).explanation()).isEqualTo("roles [viewer] include one of [admin, viewer]");
        assertThat(leaf("{user: {is: bob}}", a).explanation()).isEqualTo("user 'alice' is not bob");
        assertThat(leaf("{email: {ends_with: '@example.com'}}", a).explanation())
                .isEqualTo("email 'alice@example.com' ends with @example.com");
        assertThat(leaf("{domain: {in: [corp.example]}}", a).explanation())
                .isEqualTo("email domain 'example.com' is none of [corp.example]");
        assertThat(leaf("{claim/org.unit: {is: emea}}", a).explanation()).isEqualTo("claim 'org.unit' = emea is emea");
        assertThat(leaf("{mfa: true}", a).explanation()).isEqualTo("amr [pwd] include no second factor (mfa, otp, hwk, ...)");
        assertThat(leaf("{acr: {is: gold}}", a).explanation()).isEqualTo("acr 'silver' is not gold");
        assertThat(leaf("{max-auth-age: 1h}", a).explanation()).isEqualTo("signed in 2h ago, more than 1h allowed");
        assertThat(leaf("{http_method: {in: [GET, HEAD]}}", a).explanation()).isEqualTo("method POST is none of [GET, HEAD]");
        assertThat(leaf("{http_path: {starts_with: /reports}}", a).explanation())
                .isEqualTo("path /reports/q3 starts with /reports");
        assertThat(leaf("{source_ip: {in: [10.0.0.0/8]}}", a).explanation())
                .isEqualTo("source address 203.0.113.9 is not in [10.0.0.0/8]");
        assertThat(leaf("{time_of_day: {from: '09:00', to: '17:00', tz: Europe/Berlin}}", a).explanation())
                .isEqualTo("local time 12:00 (Europe/Berlin) is within 09:00-17:00");
        assertThat(leaf("{day_of_week: {in: [sat, sun]}}", a).explanation()).isEqualTo("local day mon (Z) is not in [sat, sun]");
        assertThat(leaf("{authenticated_user: true}", a).explanation()).isEqualTo("signed in as 'alice'");
        assertThat(leaf("{accept: true}", a).explanation()).isEqualTo("accept: every request matches");
        assertThat(leaf("{reject: true}", a).explanation()).isEqualTo("reject: no request matches");
    }

    @Test
    void deviceTraceSaysWhichFactFailed() throws Exception {
        TraceNode stale = leaf("{device: {compliant: true, max-posture-age: 15m}}", alice());
        assertThat(stale.outcome()).isEqualTo(Truth.FALSE);
        assertThat(stale.reason()).isEqualTo(Reason.DEVICE_POSTURE_STALE);
        assertThat(stale.path()).isEqualTo("allow.device");
        assertThat(stale.kind()).isEqualTo("device");
        assertThat(stale.explanation()).isEqualTo("device: compliant true; posture checked 40m ago, more than 15m allowed");

        Map<String, Object> noDevice = alice();
        noDevice.keySet().removeIf(k -> k.startsWith("device_"));
        TraceNode unknown = leaf("{device: {compliant: true}}", noDevice);
        assertThat(unknown.outcome()).isEqualTo(Truth.UNKNOWN);
        assertThat(unknown.reason()).isEqualTo(Reason.DEVICE_UNAUTHENTICATED);
        assertThat(unknown.explanation()).isEqualTo(
                "no device claim (no device_id or other device fact in the sign-in): unknown, never grants");

        Map<String, Object> stringly = alice();
        stringly.put("device_compliant", "true");
        TraceNode typed = leaf("{device: {compliant: true}}", stringly);
        assertThat(typed.outcome()).isEqualTo(Truth.UNKNOWN);
        assertThat(typed.explanation()).contains("compliance unknown (no boolean claim)").endsWith("never grants");
    }

    @Test
    void missingFactsAreUnknownAndNeverGrant() throws Exception {
        Map<String, Object> bare = new HashMap<>(Map.of("sub", "alice"));
        assertThat(leaf("{groups: {has: sales}}", bare).explanation())
                .isEqualTo("no usable groups claim (missing, malformed or marked incomplete): unknown, never grants");
        assertThat(leaf("{claim/org.unit: {is: emea}}", bare).explanation()).isEqualTo("no claim 'org.unit': unknown, never grants");
        assertThat(leaf("{max-auth-age: 1h}", bare).reason()).isEqualTo(Reason.AUTH_TIME_UNKNOWN);
        TraceNode anonymous = leaf("{groups: {has: sales}}", null);
        assertThat(anonymous.reason()).isEqualTo(Reason.USER_UNAUTHENTICATED);
        assertThat(anonymous.explanation()).isEqualTo("no signed-in caller: unknown, never grants");
    }

    @Test
    void operatorsMirrorTheDocumentAndEveryOperandIsShown() throws Exception {
        CompiledPolicy p = compile("""
                allow:
                  and:
                    - groups: { has: sales }
                    - or:
                        - device: { compliant: true, max-posture-age: 15m }
                        - source_ip: { in: [203.0.113.0/24] }
                deny:
                  or:
                    - http_method: { is: DELETE }
                    - groups: { has: contractors }
                """);
        AccessRequest r = request(alice());
        PolicyTrace t = PolicyEvaluator.trace(p, r);
        assertThat(PolicyEvaluator.evaluate(p, r).allowed()).isTrue();
        TraceNode allow = t.allow();
        assertThat(allow.path()).isEqualTo("allow.and");
        assertThat(allow.outcome()).isEqualTo(Truth.TRUE);
        assertThat(allow.explanation()).isEqualTo("and (needs every rule true): 2 true of 2");
        TraceNode or = allow.children().get(1);
        assertThat(or.path()).isEqualTo("allow.and[1].or");
        assertThat(or.children()).extracting(TraceNode::path)
                .containsExactly("allow.and[1].or[0].device", "allow.and[1].or[1].source_ip");
        assertThat(or.children()).extracting(TraceNode::outcome).containsExactly(Truth.FALSE, Truth.TRUE);
        assertThat(or.explanation()).isEqualTo("or (needs one rule true): 1 true, 1 false of 2");
        TraceNode deny = t.deny();
        assertThat(deny.outcome()).isEqualTo(Truth.FALSE);
        assertThat(deny.children().get(1).reason()).as("a deny criterion that does not hold says ok")
                .isEqualTo(Reason.GROUPS_OK);
        assertThat(deny.children().get(1).explanation()).isEqualTo("groups [sales] do not include contractors");
    }

    @Test
    void anUnknownDenyBlocksAndTheTraceSaysSo() throws Exception {
        CompiledPolicy p = compile("{allow: {accept: true}, deny: {or: [{claim/clearance: {is: revoked}}]}}");
        AccessRequest r = request(alice());
        Decision d = PolicyEvaluator.evaluate(p, r);
        PolicyTrace t = PolicyEvaluator.trace(p, r);
        assertThat(d.allowed()).isFalse();
        assertThat(t.deny().outcome()).isEqualTo(Truth.UNKNOWN);
        TraceNode claim = t.deny().children().get(0);
        assertThat(claim.reason()).isEqualTo(Reason.CLAIM_UNKNOWN);
        assertThat(d.rule()).isEqualTo(claim.path());
        assertThat(claim.explanation()).isEqualTo("no claim 'clearance': unknown, which blocks where a match would deny");
    }

    @Test
    void noAllowRuleIsTraced() throws Exception {
        PolicyTrace t = PolicyEvaluator.trace(CompiledPolicy.DENY_ALL, request(alice()));
        assertThat(t.allow().reason()).isEqualTo(Reason.NO_ALLOW_RULE);
        assertThat(t.allow().explanation()).isEqualTo("no allow rule: this policy allows nobody");
    }
}
