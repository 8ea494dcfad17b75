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

    @Test
    void nullPolicyAndDenyAll() throws Exception {
        Identity alice = IdentityFactory.fromClaims(Map.of("sub", "alice"), ClaimPaths.DEFAULTS);
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
        Identity alice = IdentityFactory.fromClaims(Map.of("sub", "alice"), ClaimPaths.DEFAULTS);
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
        Identity alice = IdentityFactory.fromClaims(Map.of("sub", "alice"), ClaimPaths.DEFAULTS);
        Decision d = PolicyEvaluator.evaluate(p, request(alice, null));
        assertThat(d.reasons()).containsExactly(Reason.USER_UNAUTHORIZED, Reason.MFA_REQUIRED);
        assertThat(d.rule()).isEqualTo("allow.or[0].user");
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
                    ClaimPaths.DEFAULTS);
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
