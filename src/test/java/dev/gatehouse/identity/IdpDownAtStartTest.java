package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
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
 * The IdP is unreachable when Gatehouse starts: Gatehouse still starts and is ready, tokens get 401
 * (never 5xx, nothing reaches the upstream), and once the IdP is back the same token is accepted
 * without a restart.
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

    @Test
    void startsWithoutTheIdpAndRecoversWhenItComesBack() {
        HttpResponse<String> ready = Http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + Http.managementPort() + "/q/health/ready")).build());
        assertThat(ready.statusCode()).as("ready without the IdP").isEqualTo(200);
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
    }
}
