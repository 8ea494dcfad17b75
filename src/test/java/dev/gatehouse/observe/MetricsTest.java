package dev.gatehouse.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

/** The contract's meters on the management port, and what the verified-token cache saves. */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class MetricsTest {

    private static String scrape() {
        return Http.metrics();
    }

    private static double value(String metrics, String seriesPrefix) {
        return Http.metricValue(metrics, seriesPrefix);
    }

    @Test
    void contractMetersAreExposed() {
        String token = GatehouseTestResource.idp().validToken();
        Http.get("api.test", "/", token);
        Http.get("api.test", "/", null);
        Http.get("random-" + System.nanoTime() + ".test", "/x" + System.nanoTime(), null);
        String m = scrape();
        assertThat(m).contains("gatehouse_requests_total{app=\"api\",decision=\"allow\",reason=\"groups-ok\"}")
                .contains("gatehouse_requests_total{app=\"api\",decision=\"unauthenticated\",reason=\"user-unauthenticated\"}")
                .contains("gatehouse_requests_total{app=\"none\",decision=\"not_found\",reason=\"route-not-found\"}")
                .contains("gatehouse_request_duration_seconds_bucket{app=\"api\",decision=\"allow\"")
                .contains("gatehouse_upstream_duration_seconds_count{app=\"api\",status_class=\"2xx\"}")
                .contains("gatehouse_policy_evaluation_seconds_count");
        assertThat(m).as("random hosts and paths never become label values").doesNotContain("random-").doesNotContain("/x");
    }

    /**
     * The decision label says what happened, not which status class it was: a 404, a 400, a 502 and
     * a 504 are four different things to an operator (they were all "error").
     */
    @Test
    void theDecisionLabelIsTheOutcomeNotTheStatusCode() {
        String before = scrape();
        Http.get("nowhere-" + System.nanoTime() + ".test", "/", null);
        Http.get("api.test", "/a/%2e%2e/b", null);
        Http.get("dead.test", "/", null);
        Http.get("slow.test", "/slow", null);
        Http.get("api.test", "/", "not.a.token");
        String after = scrape();
        assertThat(delta(before, after, "gatehouse_requests_total{app=\"none\",decision=\"not_found\",reason=\"route-not-found\""))
                .isEqualTo(1.0);
        assertThat(delta(before, after, "gatehouse_requests_total{app=\"none\",decision=\"bad_request\",reason=\"invalid-request\""))
                .isEqualTo(1.0);
        assertThat(delta(before, after, "gatehouse_requests_total{app=\"dead\",decision=\"upstream_error\",reason=\"upstream-unavailable\""))
                .isEqualTo(1.0);
        assertThat(delta(before, after, "gatehouse_requests_total{app=\"slow\",decision=\"upstream_error\",reason=\"upstream-timeout\""))
                .isEqualTo(1.0);
        assertThat(delta(before, after, "gatehouse_requests_total{app=\"api\",decision=\"unauthenticated\",reason=\"invalid-token\""))
                .isEqualTo(1.0);
        assertThat(after).doesNotContain("decision=\"error\"");
    }

    private static double delta(String before, String after, String series) {
        return value(after, series) - value(before, series);
    }

    @Test
    void aKeepAliveClientPaysOneSignatureCheckPerToken() {
        String token = GatehouseTestResource.idp().validToken();
        double validBefore = value(scrape(), "gatehouse_token_verifications_total{idp=\"test\",result=\"valid\"");
        double hitsBefore = value(scrape(), "gatehouse_token_verifications_total{idp=\"test\",result=\"cache_hit\"");
        for (int i = 0; i < 20; i++) {
            assertThat(Http.get("api.test", "/", token).statusCode()).isEqualTo(200);
        }
        String after = scrape();
        assertThat(value(after, "gatehouse_token_verifications_total{idp=\"test\",result=\"valid\"") - validBefore)
                .isEqualTo(1.0);
        assertThat(value(after, "gatehouse_token_verifications_total{idp=\"test\",result=\"cache_hit\"") - hitsBefore)
                .isEqualTo(19.0);
    }

    @Test
    void aBurstWithOneNewTokenSharesOneSignatureCheck() throws Exception {
        String token = GatehouseTestResource.idp().validToken();
        double validBefore = value(scrape(), "gatehouse_token_verifications_total{idp=\"test\",result=\"valid\"");
        java.util.List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> burst = new java.util.ArrayList<>();
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < 40; i++) {
            burst.add(client.sendAsync(Http.to("api.test", "/").header("Authorization", "Bearer " + token).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()));
        }
        for (var f : burst) {
            assertThat(f.get().statusCode()).as("no 429: one check serves the burst").isEqualTo(200);
        }
        assertThat(value(scrape(), "gatehouse_token_verifications_total{idp=\"test\",result=\"valid\"") - validBefore)
                .isEqualTo(1.0);
    }

    @Test
    void theBuildIsNamedInAMetricAndOnTheInfoEndpoint() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "gatehouse_build_info\\{revision=\"([0-9a-f]{12}|unknown)\",version=\"([^\"]+)\"} 1.0").matcher(scrape());
        assertThat(m.find()).as("gatehouse_build_info in the scrape").isTrue();
        assertThat(m.group(2)).isEqualTo("0.1.0-SNAPSHOT");
        var info = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + Http.managementPort()
                + "/q/info")).build());
        assertThat(info.statusCode()).isEqualTo(200);
        io.vertx.core.json.JsonObject json = new io.vertx.core.json.JsonObject(info.body());
        assertThat(json.getJsonObject("build").getString("version")).isEqualTo("0.1.0-SNAPSHOT");
        if (!m.group(1).equals("unknown")) {
            assertThat(json.getJsonObject("git").getJsonObject("commit").getString("id")).startsWith(m.group(1));
        }
    }

    @Test
    void healthIsOnTheManagementPort() {
        var ready = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + Http.managementPort()
                + "/q/health/ready")).build());
        assertThat(ready.statusCode()).isEqualTo(200);
    }

    @Test
    void configMetersShowThePolicyInForceAndNoReload() {
        String m = scrape();
        assertThat(value(m, "gatehouse_policy_version{app=\"api\"")).isEqualTo(1.0);
        assertThat(value(m, "gatehouse_policy_version{app=\"small-body\"")).isEqualTo(1.0);
        assertThat(m).contains("gatehouse_config_reloads_total{result=\"success\"} 0.0")
                .contains("gatehouse_config_reloads_total{result=\"failure\"} 0.0");
    }
}
