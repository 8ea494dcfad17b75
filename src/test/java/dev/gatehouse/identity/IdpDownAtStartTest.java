package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.TestClock;
import jakarta.inject.Inject;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The IdP is unreachable when Gatehouse starts: Gatehouse starts but is not ready (no key of the IdP
 * was ever fetched, so no token could be checked), tokens get 401 (never 5xx, nothing reaches the
 * upstream); once the IdP is back it becomes ready and the same token is accepted without a restart.
 * When the IdP goes away again later, the replica stays ready and reports the IdP as degraded.
 */
@QuarkusTest
@TestProfile(IdpDownAtStartTest.IdpDown.class)
class IdpDownAtStartTest {

    /** Starts the shared test resource with its IdP refusing connections. */
    public static class IdpDown implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(GatehouseTestResource.class, Map.of("idp-down-at-start", "true")));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gatehouse.rate-limit.token-checks-per-ip", "0");
        }
    }

    @Inject
    TestClock clock;

    private static HttpResponse<String> readiness() {
        return Http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + Http.managementPort() + "/q/health/ready")).build());
    }

    private static HttpResponse<String> awaitReadiness(int status, String detail) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        HttpResponse<String> r;
        do {
            r = readiness();
            if (r.statusCode() == status && r.body().contains(detail)) {
                return r;
            }
            Thread.sleep(100);
        } while (System.currentTimeMillis() < deadline);
        return r;
    }

    @Test
    void startsWithoutTheIdpAndRecoversWhenItComesBack() throws InterruptedException {
        HttpResponse<String> ready = awaitReadiness(503, "keys never fetched");
        assertThat(ready.statusCode()).as("not ready: no key of the IdP was ever fetched").isEqualTo(503);
        assertThat(ready.body()).contains("\"idp.test\"").contains("keys never fetched");
        String token = GatehouseTestResource.idp().validToken();
        GatehouseTestResource.upstream().reset();
        HttpResponse<String> whileDown = Http.get("api.test", "/", token);
        assertThat(whileDown.statusCode()).isEqualTo(401);
        assertThat(new JsonObject(whileDown.body()).getString("reason")).isEqualTo("invalid-token");
        assertThat(GatehouseTestResource.upstream().hits()).isZero();

        GatehouseTestResource.idp().setDown(false);
        long deadline = System.currentTimeMillis() + 20_000;
        int status;
        do {
            status = Http.get("api.test", "/", token).statusCode();
        } while (status != 200 && System.currentTimeMillis() < deadline);
        assertThat(status).as("accepted once the IdP is back, no restart").isEqualTo(200);
        assertThat(awaitReadiness(200, "\"idp.test\": \"ok\"").statusCode()).as("ready once the keys were fetched")
                .isEqualTo(200);

        // the IdP goes away again: still ready (quarkus-oidc holds the keys), reported degraded
        GatehouseTestResource.idp().setDown(true);
        try {
            clock.advance(java.time.Duration.ofMinutes(2)); // the probe's next check of a healthy IdP is due
            HttpResponse<String> degraded = awaitReadiness(200, "degraded");
            assertThat(degraded.statusCode()).isEqualTo(200);
            assertThat(degraded.body()).contains("degraded");
            assertThat(Http.get("api.test", "/", token).statusCode()).as("cached token still served").isEqualTo(200);
        } finally {
            GatehouseTestResource.idp().setDown(false);
            clock.reset();
        }
    }
}
