package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.TestIdp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Per-user limits and the limit on signature checks per client address answer 429 with Retry-After. */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
@TestProfile(RateLimitTest.Limits.class)
class RateLimitTest {

    /** Tight limits for this test only. */
    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gatehouse.rate-limit.per-user", "2", "gatehouse.rate-limit.token-checks-per-ip", "1");
        }
    }

    private static void assertLimited(HttpResponse<String> r) {
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(new JsonObject(r.body()).getString("reason")).isEqualTo("rate-limited");
    }

    @Test
    void aUserOverTheirRateGets429WhileOthersPass() throws InterruptedException {
        TestIdp idp = GatehouseTestResource.idp();
        Thread.sleep(2100); // let the token-check bucket refill from other tests
        String alice = idp.validToken();
        Map<String, Object> bobClaims = idp.engineer();
        bobClaims.put("sub", "bob");
        String bob = idp.sign(bobClaims);
        int passed = 0;
        HttpResponse<String> last = null;
        for (int i = 0; i < 10; i++) {
            last = Http.get("api.test", "/", alice);
            if (last.statusCode() == 200) {
                passed++;
            }
        }
        assertThat(passed).as("burst of twice the rate").isBetween(4, 5);
        assertLimited(last);
        assertThat(Http.get("api.test", "/", bob).statusCode()).isEqualTo(200);
    }

    @Test
    void aFloodOfUnknownTokensIsCutOffBeforeSignatureChecks() throws InterruptedException {
        TestIdp idp = GatehouseTestResource.idp();
        Thread.sleep(2100);
        GatehouseTestResource.upstream().reset();
        int fetchesBefore = idp.jwksFetches();
        int limited = 0;
        for (int i = 0; i < 10; i++) {
            Map<String, Object> c = idp.engineer();
            c.put("sub", "forger-" + i);
            c.put("groups", java.util.List.of("sales"));
            HttpResponse<String> r = Http.get("api.test", "/", idp.sign(c) + "x");
            if (r.statusCode() == 429) {
                limited++;
                assertLimited(r);
            } else {
                assertThat(r.statusCode()).isEqualTo(401);
            }
        }
        assertThat(limited).isGreaterThanOrEqualTo(7);
        assertThat(GatehouseTestResource.upstream().hits()).isZero();
        assertThat(idp.jwksFetches() - fetchesBefore).isLessThanOrEqualTo(1);
    }
}
