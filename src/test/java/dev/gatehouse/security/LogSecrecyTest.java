package dev.gatehouse.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.LogCapture;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tokens, cookies, {@code Authorization} values and query strings never reach any log: every log
 * record of the application (all categories, down to DEBUG for Gatehouse, quarkus-oidc and jose4j)
 * is captured while valid, refused and malformed requests carrying unique markers go through.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
@TestProfile(LogSecrecyTest.Verbose.class)
class LogSecrecyTest {
    /** Everything that might log a request logs at DEBUG here. */
    public static class Verbose implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.category.\"dev.gatehouse\".level", "DEBUG",
                    "quarkus.log.category.\"io.quarkus.oidc\".level", "DEBUG",
                    "quarkus.log.category.\"org.jose4j\".level", "DEBUG",
                    "quarkus.log.category.\"gatehouse.decision\".level", "INFO");
        }
    }

    private LogCapture log;

    @BeforeEach
    void attach() {
        log = LogCapture.everything();
    }

    @AfterEach
    void detach() {
        log.detach();
    }

    @Test
    void secretsNeverReachTheLogs() throws Exception {
        String valid = GatehouseTestResource.idp().validToken();
        Map<String, Object> expired = GatehouseTestResource.idp().engineer();
        expired.put("exp", System.currentTimeMillis() / 1000 - 3600);
        String expiredToken = GatehouseTestResource.idp().sign(expired);
        String forged = valid.substring(0, valid.lastIndexOf('.') + 1) + "AAAA" + valid.substring(valid.lastIndexOf('.') + 5);
        String cookie = "session-cookie-marker-7f3a";
        String query = "query-secret-marker-91bd";
        List<String> tokens = List.of(valid, expiredToken, forged, "garbage-token-marker-55c1");
        for (String token : tokens) {
            for (String host : List.of("api.test", "public.test", "nowhere.test")) {
                Http.send(Http.to(host, "/path?api_key=" + query)
                        .header("Authorization", "Bearer " + token)
                        .header("Cookie", "gatehouse_session=" + cookie).build());
            }
        }
        Http.send(HttpRequest.newBuilder(Http.to("api.test", "/.gatehouse/whoami?path=/x&secret=" + query).build().uri())
                .header("Host", "api.test").header("Authorization", "Basic " + "dXNlcjpwYXNzd29yZC1tYXJrZXI=").build());
        Thread.sleep(500); // decision lines are written as exchanges end
        List<String> records = log.lines();
        assertThat(records).as("DEBUG lines of Gatehouse were captured (the capture works)")
                .anyMatch(r -> r.contains("token rejected for"));
        for (String record : records) {
            for (String token : tokens) {
                assertThat(record).doesNotContain(token);
                // a token's signature part alone identifies it too
                assertThat(record).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
            }
            assertThat(record).doesNotContain(cookie).doesNotContain(query).doesNotContain("dXNlcjpwYXNzd29yZC1tYXJrZXI=")
                    .doesNotContain("api_key=");
        }
    }
}
