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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

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

    static Object tree(Random r, int depth) {
        int kind = depth == 0 ? r.nextInt(5) : r.nextInt(9);
        switch (kind) {
            case 0:
                return Fuzz.oneOf(r, List.of("engineering", "15m", "1h30m", "PT5M", "09:00", "24:00", "Europe/Berlin",
                        "Mars/Base", "10.0.0.0/8", "::1/129", "mon", "x", "", "GET", "/admin"));
            case 1:
                return r.nextInt(100_006) - 5;
            case 2:
                return r.nextBoolean();
            case 3:
                return null;
            case 4:
                return r.nextDouble() * 1e12 - 1;
            case 5:
            case 6: {
                List<Object> list = new ArrayList<>();
                for (int i = r.nextInt(5); i > 0; i--) {
                    list.add(tree(r, depth - 1));
                }
                return list;
            }
            default: {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    map.put(Fuzz.oneOf(r, KEYS), tree(r, depth - 1));
                }
                return map;
            }
        }
    }

    @Test
    void compilesOrReportsLocatedErrors() {
        Fuzz.check(20_000, r -> tree(r, 4), document -> {
            try {
                compileAndEvaluate(document);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static void compileAndEvaluate(Object document) throws java.net.UnknownHostException {
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
        AccessRequest request = new AccessRequest(IdentityFactory.fromClaims(claims, ClaimPaths.DEFAULTS, false), "GET",
                "/admin", "h", InetAddress.getByName("10.1.2.3"), Instant.parse("2026-03-29T01:30:00Z"));
        assertThat(PolicyEvaluator.evaluate(r.policy(), request)).isNotNull();
        assertThat(PolicyEvaluator.evaluate(r.policy(), new AccessRequest(null, "GET", "/", "h",
                InetAddress.getByName("::1"), Instant.now()))).isNotNull();
    }
}
