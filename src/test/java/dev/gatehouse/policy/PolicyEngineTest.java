package dev.gatehouse.policy;

import org.junit.jupiter.api.Test;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Engine properties that the YAML tables cannot express: API edges, JDK address types, concurrency. */
class PolicyEngineTest {
    private static final Instant NOW = Instant.parse("2026-06-15T10:00:00Z");

    private static CompiledPolicy compile(String yaml) throws Exception {
        CompileResult r = PolicyCompiler.compile(PolicyCasesTest.YAML.readValue(yaml, Object.class), "", 3);
        assertThat(r.errors()).isEmpty();
        return r.policy();
    }

    private static AccessRequest request(Identity identity, InetAddress ip) {
        return new AccessRequest(identity, "GET", "/", "app.example.com", ip, NOW);
    }

    @Test
    void mappedAddressAsInet6AddressMatchesIpv4Cidr() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 2, 3};
        InetAddress v6 = Inet6Address.getByAddress(null, mapped, -1);
        CompiledPolicy p = compile("allow: {source_ip: {in: [10.0.0.0/8]}}");
        assertThat(PolicyEvaluator.evaluate(p, request(null, v6)).outcome()).isEqualTo(Outcome.ALLOW);
        CompiledPolicy other = compile("allow: {source_ip: {in: [11.0.0.0/8]}}");
        assertThat(PolicyEvaluator.evaluate(other, request(null, v6)).outcome()).isEqualTo(Outcome.UNAUTHENTICATED);
    }

    /**
     * An anonymous caller is stopped where the policy first needs a caller: that leaf is never
     * evaluated, so a record names no rule; a rule that was evaluated (a deny on the path) still is.
     */
    @Test
    void theEvaluatedRuleOfAnAnonymousDecision() throws Exception {
        InetAddress ip = InetAddress.getByName("192.0.2.1");
        CompiledPolicy p = compile("allow: {and: [{groups: {has: eng}}]}\ndeny: {or: [{http_path: {starts_with: /internal}}]}");
        Decision anonymous = PolicyEvaluator.evaluate(p, request(null, ip));
        assertThat(anonymous.outcome()).isEqualTo(Outcome.UNAUTHENTICATED);
        assertThat(anonymous.primaryReason()).isEqualTo(Reason.USER_UNAUTHENTICATED);
        assertThat(anonymous.rule()).as("where the caller was first needed").isEqualTo("allow.and[0].groups");
        assertThat(anonymous.evaluatedRule()).isNull();
        Decision internal = PolicyEvaluator.evaluate(p,
                new AccessRequest(null, "GET", "/internal/x", "app.example.com", ip, NOW));
        assertThat(internal.outcome()).isEqualTo(Outcome.UNAUTHENTICATED);
        assertThat(internal.evaluatedRule()).isEqualTo("deny.or[0].http_path");
        Identity alice = IdentityFactory.fromClaims(Map.of("sub", "alice", "groups", List.of("sales")),
                ClaimPaths.DEFAULTS, false);
        Decision denied = PolicyEvaluator.evaluate(p, request(alice, ip));
        assertThat(denied.evaluatedRule()).isEqualTo(denied.rule()).isEqualTo("allow.and[0].groups");
        assertThat(PolicyEvaluator.evaluate(compile("allow: {accept: true}"), request(null, ip)).evaluatedRule())
                .isEqualTo("allow");
    }

    /** What a policy needs its IdP's tokens to carry, by claims setting, in either block. */
    @Test
    void theClaimSettingsAPolicyReads() throws Exception {
        CompiledPolicy p = compile("allow: {and: [{groups: {has: eng}}, {device: {managed: true, min-trust: 2}},"
                + " {or: [{domain: {is: example.com}}, {http_path: {starts_with: /pub}}]}]}\n"
                + "deny: {not: [{roles: {has: staff}}]}");
        assertThat(p.claimSettings()).containsExactly("device-managed", "device-trust", "email", "groups", "roles");
        assertThat(compile("allow: {and: [{authenticated_user: true}, {source_ip: {in: [10.0.0.0/8]}}]}").claimSettings())
                .isEmpty();
        assertThat(CompiledPolicy.DENY_ALL.claimSettings()).isEmpty();
    }

    @Test
    void nullPolicyAndDenyAll() throws Exception {
        Identity alice = IdentityFactory.fromClaims(Map.of("sub", "alice"), ClaimPaths.DEFAULTS, false);
        Decision d = PolicyEvaluator.evaluate(null, request(alice, InetAddress.getByName("192.0.2.1")));
        assertThat(d.outcome()).isEqualTo(Outcome.DENY);
        assertThat(d.reasons()).containsExactly(Reason.NO_ALLOW_RULE);
        assertThat(CompiledPolicy.DENY_ALL.hasAllowRule()).isFalse();
        CompileResult none = PolicyCompiler.compile(null, "apps[0].policy", 9);
        assertThat(none.ok()).isTrue();
        assertThat(none.policy().version()).isEqualTo(9);
        assertThat(PolicyEvaluator.evaluate(none.policy(), request(alice, null)).policyVersion()).isEqualTo(9);
    }

    @Test
    void nullBasePathIsTreatedAsEmpty() {
        CompileResult r = PolicyCompiler.compile(Map.of("allow", List.of()), null, 1);
        assertThat(r.errors()).extracting(PolicyError::toString)
                .containsExactly("allow: expected an object with one operator or criterion, found an empty list");
    }

    @Test
    void decisionReasonsAreImmutable() throws Exception {
        CompiledPolicy p = compile("allow: {and: [{accept: true}, {authenticated_user: true}]}");
        Identity alice = IdentityFactory.fromClaims(Map.of("sub", "alice"), ClaimPaths.DEFAULTS, false);
        Decision d = PolicyEvaluator.evaluate(p, request(alice, null));
        assertThat(d.reasons()).containsExactly(Reason.ACCEPT, Reason.AUTHENTICATED_USER_OK);
        assertThatThrownBy(() -> d.reasons().add(Reason.REJECT)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void wideOperatorsGrowTheReasonSink() throws Exception {
        StringBuilder yaml = new StringBuilder("allow: {or: [");
        for (int i = 0; i < 40; i++) {
            yaml.append(i == 0 ? "" : ", ").append("{user: {is: u").append(i).append("}}, {mfa: true}");
        }
        CompiledPolicy p = compile(yaml.append("]}").toString());
        Identity pwd = IdentityFactory.fromClaims(Map.of("sub", "alice", "amr", List.of("pwd")), ClaimPaths.DEFAULTS, false);
        Decision d = PolicyEvaluator.evaluate(p, request(pwd, null));
        assertThat(d.reasons()).containsExactly(Reason.USER_UNAUTHORIZED, Reason.MFA_REQUIRED);
        assertThat(d.rule()).isEqualTo("allow.or[0].user");
        // without amr every second child is unknown: each one's reason is moved in front of the false ones
        Identity noAmr = IdentityFactory.fromClaims(Map.of("sub", "alice"), ClaimPaths.DEFAULTS, false);
        Decision u = PolicyEvaluator.evaluate(p, request(noAmr, null));
        assertThat(u.reasons()).containsExactly(Reason.MFA_UNKNOWN, Reason.USER_UNAUTHORIZED);
        assertThat(u.rule()).isEqualTo("allow.or[1].mfa");
    }

    /** A leaf with a fixed value, reporting a reason that says which value it had. */
    private static final class Fixed extends RuleNode {
        private final Truth value;
        private final String path;

        Fixed(Truth value, String path) {
            this.value = value;
            this.path = path;
        }

        @Override
        Truth evaluate(AccessRequest request, ReasonSink sink) {
            sink.add(value.pick(Reason.GROUPS_OK, Reason.GROUPS_UNAUTHORIZED, Reason.GROUPS_UNKNOWN), path);
            return value;
        }
    }

    private static Truth kleeneAnd(List<Truth> values) {
        return values.contains(Truth.FALSE) ? Truth.FALSE : values.contains(Truth.UNKNOWN) ? Truth.UNKNOWN : Truth.TRUE;
    }

    private static Truth kleeneOr(List<Truth> values) {
        return values.contains(Truth.TRUE) ? Truth.TRUE : values.contains(Truth.UNKNOWN) ? Truth.UNKNOWN : Truth.FALSE;
    }

    @Test
    void operatorsFollowKleeneLogicAndExplainWithTheDecidingReasonFirst() {
        List<List<Truth>> inputs = new ArrayList<>();
        for (Truth a : Truth.values()) {
            inputs.add(List.of(a));
            for (Truth b : Truth.values()) {
                inputs.add(List.of(a, b));
                for (Truth c : Truth.values()) {
                    inputs.add(List.of(a, b, c));
                }
            }
        }
        for (List<Truth> in : inputs) {
            List<Truth> negated = in.stream().map(Truth::not).toList();
            Map<OperatorNode.Op, Truth> expected = Map.of(
                    OperatorNode.Op.AND, kleeneAnd(in), OperatorNode.Op.OR, kleeneOr(in),
                    OperatorNode.Op.NOT, kleeneAnd(negated), OperatorNode.Op.NOR, kleeneOr(negated));
            for (OperatorNode.Op op : OperatorNode.Op.values()) {
                for (boolean negative : new boolean[] {false, true}) {
                    RuleNode[] children = new RuleNode[in.size()];
                    for (int i = 0; i < children.length; i++) {
                        children[i] = new Fixed(in.get(i), "c" + i);
                    }
                    ReasonSink sink = new ReasonSink();
                    sink.add(Reason.ACCEPT, "before");
                    Truth got = new OperatorNode(op, children, negative).evaluate(request(null, null), sink);
                    String what = op + " " + in + (negative ? " (negative)" : "");
                    assertThat(got).as(what).isEqualTo(expected.get(op));
                    assertThat(sink.reason(0)).as("%s leaves earlier reasons alone", what).isEqualTo(Reason.ACCEPT);
                    assertThat(sink.size()).as("%s explains itself", what).isGreaterThan(1);
                    boolean anyUnknown = false;
                    for (int i = 1; i < sink.size(); i++) {
                        anyUnknown |= sink.reason(i).unknown();
                    }
                    if (got == Truth.UNKNOWN) {
                        assertThat(sink.reason(1).unknown()).as("%s: unknown reason first", what).isTrue();
                    } else {
                        assertThat(anyUnknown).as("%s: a decided result has no unknown reasons", what).isFalse();
                    }
                }
            }
        }
    }

    @Test
    void moveDownRotatesInPlaceKeepingOrder() {
        ReasonSink sink = new ReasonSink();
        Reason[] r = {Reason.ACCEPT, Reason.GROUPS_OK, Reason.ROLES_OK, Reason.USER_OK, Reason.MFA_OK};
        for (int i = 0; i < r.length; i++) {
            sink.add(r[i], "r" + i);
        }
        sink.moveDown(1, 3);
        assertThat(List.of(sink.reason(0), sink.reason(1), sink.reason(2), sink.reason(3), sink.reason(4)))
                .containsExactly(Reason.ACCEPT, Reason.USER_OK, Reason.MFA_OK, Reason.GROUPS_OK, Reason.ROLES_OK);
        assertThat(sink.rule(1)).isEqualTo("r3");
        sink.moveDown(2, 2);
        sink.moveDown(2, 5);
        assertThat(sink.reason(2)).isEqualTo(Reason.MFA_OK);
        sink.truncate(2);
        assertThat(sink.size()).isEqualTo(2);
    }

    @Test
    void unknownReasonsAreMarkedAndKebabCase() {
        List<Reason> unknown = java.util.Arrays.stream(Reason.values()).filter(Reason::unknown).toList();
        assertThat(unknown).contains(Reason.USER_UNAUTHENTICATED, Reason.DEVICE_UNAUTHENTICATED, Reason.GROUPS_UNKNOWN,
                Reason.EMAIL_UNVERIFIED, Reason.TIME_UNKNOWN);
        assertThat(unknown).doesNotContain(Reason.GROUPS_UNAUTHORIZED, Reason.DEVICE_UNAUTHORIZED, Reason.MFA_REQUIRED);
        for (Reason reason : unknown) {
            assertThat(reason.code()).matches("[a-z]+(-[a-z]+)*");
            assertThat(reason.explanation()).isNotBlank();
            assertThat(reason.remedy()).isNotBlank();
        }
    }

    @Test
    void decisionsForUnknownFactsAreCachedLikeOthers() throws Exception {
        CompiledPolicy p = compile("allow: {authenticated_user: true}\ndeny: {groups: {has: contractors}}");
        Identity overage = IdentityFactory.fromClaims(Map.of("sub", "u", "_claim_names", Map.of("groups", "src1")),
                ClaimPaths.DEFAULTS, false);
        Decision first = PolicyEvaluator.evaluate(p, request(overage, null));
        assertThat(first.outcome()).isEqualTo(Outcome.DENY);
        assertThat(first.primaryReason()).isEqualTo(Reason.GROUPS_UNKNOWN);
        assertThat(PolicyEvaluator.evaluate(p, request(overage, null))).isSameAs(first);
    }

    @Test
    void concurrentEvaluationIsConsistent() throws Exception {
        String yaml = """
                allow:
                  and:
                    - groups: {has: eng}
                    - or: [{mfa: true}, {source_ip: {in: [10.0.0.0/8]}}]
                deny: {source_ip: {in: [203.0.113.0/24]}}
                """;
        CompiledPolicy p = compile(yaml);
        // expectations from a separate instance, so the shared policy's decision cache starts cold
        CompiledPolicy reference = compile(yaml);
        List<AccessRequest> requests = new ArrayList<>();
        List<Decision> expected = new ArrayList<>();
        String[] ips = {"10.0.0.1", "203.0.113.5", "192.0.2.1"};
        for (int i = 0; i < 12; i++) {
            Identity id = i % 4 == 3 ? null : IdentityFactory.fromClaims(Map.of("sub", "u" + i,
                    "groups", i % 2 == 0 ? List.of("eng") : List.of("ops"), "amr", i % 3 == 0 ? List.of("otp") : List.of()),
                    ClaimPaths.DEFAULTS, false);
            AccessRequest r = request(id, InetAddress.getByName(ips[i % 3]));
            requests.add(r);
            expected.add(PolicyEvaluator.evaluate(reference, r));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                futures.add(pool.submit(() -> {
                    for (int n = 0; n < 20_000; n++) {
                        int i = (n + offset) % requests.size();
                        Decision d = PolicyEvaluator.evaluate(p, requests.get(i));
                        Decision e = expected.get(i);
                        if (d.outcome() != e.outcome() || !d.reasons().equals(e.reasons()) || !d.rule().equals(e.rule())) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : futures) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
