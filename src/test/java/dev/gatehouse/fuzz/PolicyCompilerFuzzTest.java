package dev.gatehouse.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.ClaimPaths;
import dev.gatehouse.policy.CompileResult;
import dev.gatehouse.policy.IdentityFactory;
import dev.gatehouse.policy.PolicyCompiler;
import dev.gatehouse.policy.PolicyError;
import dev.gatehouse.policy.PolicyEvaluator;
import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random policy documents, near-valid and wild: the compiler returns a policy or located errors,
 * never throws; whatever compiles evaluates without throwing against random claims.
 */
class PolicyCompilerFuzzTest {
    private static final List<String> KEYS = List.of("allow", "deny", "and", "or", "not", "nor", "accept", "reject",
            "authenticated_user", "user", "email", "domain", "groups", "roles", "claim/a.b", "claim/", "device",
            "mfa", "acr", "max-auth-age", "http_method", "http_path", "source_ip", "time_of_day", "day_of_week",
            "is", "in", "not_in", "starts_with", "ends_with", "contains", "has", "gte", "lte", "compliant", "managed",
            "id", "min-trust", "max-posture-age", "from", "to", "tz", "jit", "bogus");

    @Provide
    Arbitrary<Object> documents() {
        return tree(4);
    }

    private Arbitrary<Object> tree(int depth) {
        Arbitrary<Object> leaf = Arbitraries.oneOf(
                Arbitraries.of("engineering", "15m", "1h30m", "PT5M", "09:00", "24:00", "Europe/Berlin", "Mars/Base",
                        "10.0.0.0/8", "::1/129", "mon", "x", "", "GET", "/admin").map(o -> (Object) o),
                Arbitraries.integers().between(-5, 100_000).map(o -> (Object) o),
                Arbitraries.of(true, false).map(o -> (Object) o),
                Arbitraries.just((Object) null),
                Arbitraries.doubles().between(-1, 1e12).map(o -> (Object) o));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Object> list = tree(depth - 1).list().ofMaxSize(4).map(o -> (Object) o);
        Arbitrary<Object> map = Arbitraries.maps(Arbitraries.of(KEYS), tree(depth - 1)).ofMaxSize(3)
                .map(m -> (Object) new LinkedHashMap<>(m));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, leaf), net.jqwik.api.Tuple.of(2, list), net.jqwik.api.Tuple.of(5, map));
    }

    @Property(tries = 5_000)
    void compilesOrReportsLocatedErrors(@ForAll("documents") Object document) throws Exception {
        CompileResult r = PolicyCompiler.compile(document, "apps[0].policy", 7);
        if (!r.ok()) {
            assertThat(r.policy()).isNull();
            for (PolicyError e : r.errors()) {
                assertThat(e.path()).startsWith("apps[0].policy");
                assertThat(e.message()).isNotBlank();
            }
            return;
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", "u");
        claims.put("groups", document instanceof Map<?, ?> m ? m.keySet().stream().map(String::valueOf).toList() : "g");
        claims.put("device_compliant", document instanceof Boolean b ? b : "true");
        claims.put("a", Map.of("b", List.of("x", 1)));
        AccessRequest request = new AccessRequest(IdentityFactory.fromClaims(claims, ClaimPaths.DEFAULTS), "GET",
                "/admin", "h", InetAddress.getByName("10.1.2.3"), Instant.parse("2026-03-29T01:30:00Z"));
        assertThat(PolicyEvaluator.evaluate(r.policy(), request)).isNotNull();
        assertThat(PolicyEvaluator.evaluate(r.policy(), new AccessRequest(null, "GET", "/", "h",
                InetAddress.getByName("::1"), Instant.now()))).isNotNull();
    }
}
