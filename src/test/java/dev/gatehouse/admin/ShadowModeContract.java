package dev.gatehouse.admin;

import static dev.gatehouse.testing.AdminClient.app;
import static dev.gatehouse.testing.AdminClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.AdminClient;
import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.LogCapture;
import dev.gatehouse.testing.RecordingUpstream;
import dev.gatehouse.testing.TestIdp;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shadow mode end to end, on whichever store the subclass runs: a candidate policy set through the
 * API is evaluated on real requests beside the live one, disagreements are counted and logged, the
 * real decision never changes, and promotion makes a new app version with the candidate's policy.
 */
abstract class ShadowModeContract {
    static final String SALES = "{\"allow\": {\"groups\": {\"has\": \"sales\"}}}";

    TestIdp idp;
    RecordingUpstream upstream;
    AdminClient admin;
    LogCapture decisions;
    String id;
    String host;

    @BeforeEach
    void setUp() {
        idp = GatehouseTestResource.idp();
        upstream = GatehouseTestResource.upstream();
        upstream.reset();
        admin = new AdminClient(idp.adminToken());
        id = "shadow-" + UUID.randomUUID().toString().substring(0, 8);
        host = id + ".test";
        decisions = LogCapture.decisionLog();
    }

    @AfterEach
    void tearDown() {
        decisions.detach();
    }

    String tokenIn(String group) {
        Map<String, Object> claims = idp.engineer();
        claims.put("groups", List.of(group));
        return idp.sign(claims);
    }

    double disagreements(String live, String candidate) {
        return Http.metricValue(Http.metrics(), "gatehouse_shadow_disagreements_total{app=\"" + id + "\",candidate=\""
                + candidate + "\",live=\"" + live + "\"");
    }

    HttpResponse<String> setCandidate(String body, String header, String value) {
        return admin.put("/api/v1/apps/" + id + "/candidate", body, header, value);
    }

    @Test
    void aCandidateIsEvaluatedOnRealTrafficAndPromoted() {
        assertThat(admin.create(id, app(host, upstream.url(), "{\"groups\": {\"has\": \"engineering\"}}"))
                .statusCode()).isEqualTo(201);
        String candidate = "{\"policy\": " + SALES + ", \"comment\": \"sales take over\"}";
        assertThat(setCandidate(candidate, null, null).statusCode()).as("no precondition").isEqualTo(428);
        HttpResponse<String> bad = setCandidate("{\"policy\": {\"allow\": {\"groups\": {\"hass\": \"x\"}}}}",
                "If-None-Match", "*");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).getJsonArray("errors").getJsonObject(0).getString("path")).isEqualTo("policy.allow.groups");
        HttpResponse<String> set = setCandidate(candidate, "If-None-Match", "*");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(201);
        assertThat(set.headers().firstValue("ETag")).hasValue("\"1\"");

        // real requests: the live policy decides, the candidate is only recorded
        HttpResponse<String> engineer = Http.get(host, "/", tokenIn("engineering"));
        HttpResponse<String> sales = Http.get(host, "/", tokenIn("sales"));
        HttpResponse<String> hr = Http.get(host, "/", tokenIn("hr"));
        assertThat(engineer.statusCode()).as("live allows, the candidate would not").isEqualTo(200);
        assertThat(sales.statusCode()).as("live denies, the candidate would allow").isEqualTo(403);
        assertThat(hr.statusCode()).isEqualTo(403);
        assertThat(upstream.hits()).as("only the live allow reached the upstream").isEqualTo(1);
        assertThat(disagreements("allow", "deny")).isEqualTo(1.0);
        assertThat(disagreements("deny", "allow")).isEqualTo(1.0);

        JsonObject engineerLine = decisions.decisionLineFor(engineer);
        assertThat(engineerLine.getString("decision")).isEqualTo("allow");
        assertThat(engineerLine.getJsonObject("shadow").getString("decision")).isEqualTo("deny");
        assertThat(engineerLine.getJsonObject("shadow").getBoolean("agrees")).isFalse();
        assertThat(engineerLine.getJsonObject("shadow").getJsonArray("reasons").getString(0)).isEqualTo("groups-unauthorized");
        assertThat(engineerLine.getJsonObject("shadow").getString("rule")).isEqualTo("allow.groups");
        JsonObject salesLine = decisions.decisionLineFor(sales);
        assertThat(salesLine.getString("decision")).isEqualTo("deny");
        assertThat(salesLine.getJsonObject("shadow").getString("decision")).isEqualTo("allow");
        assertThat(decisions.decisionLineFor(hr).getJsonObject("shadow").getBoolean("agrees")).isTrue();

        HttpResponse<String> read = admin.get("/api/v1/apps/" + id + "/candidate");
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("ETag")).hasValue("\"1\"");
        JsonObject view = json(read);
        assertThat(view.getJsonObject("policy").encode()).contains("sales");
        assertThat(view.getString("comment")).isEqualTo("sales take over");
        assertThat(view.getJsonObject("author").getString("sub")).isEqualTo("root-admin");
        assertThat(view.getJsonObject("shadow").getBoolean("in_force")).isTrue();
        assertThat(view.getJsonObject("shadow").getLong("evaluated")).isEqualTo(3);
        assertThat(view.getJsonObject("shadow").getJsonObject("disagreements").getLong("allow_to_deny")).isEqualTo(1);
        assertThat(view.getJsonObject("shadow").getJsonObject("disagreements").getLong("deny_to_allow")).isEqualTo(1);
        JsonObject tried = json(admin.post("/api/v1/apps/" + id + "/evaluate", "{\"identity\": {\"sub\": \"b\", "
                + "\"groups\": [\"sales\"]}, \"policy\": \"candidate\"}", null));
        assertThat(tried.getString("decision")).isEqualTo("allow");
        assertThat(tried.getString("policy")).isEqualTo("candidate");

        // promotion: a write of the app, If-Match with the app's version
        String promote = "/api/v1/apps/" + id + "/candidate/promote";
        assertThat(admin.post(promote, "{}", null).statusCode()).isEqualTo(428);
        assertThat(admin.post(promote, "{}", "\"7\"").statusCode()).isEqualTo(412);
        assertThat(admin.post(promote, "{\"candidate_version\": 9}", "\"1\"").statusCode()).isEqualTo(412);
        HttpResponse<String> promoted = admin.post(promote, "{\"comment\": \"shadow showed 1 change each way\", "
                + "\"candidate_version\": 1}", "\"1\"");
        assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);
        assertThat(promoted.headers().firstValue("ETag")).hasValue("\"2\"");
        assertThat(json(promoted).getJsonObject("policy").encode()).isEqualTo(new JsonObject(SALES).encode());
        assertThat(Http.get(host, "/", tokenIn("sales")).statusCode()).as("the candidate is live now").isEqualTo(200);
        assertThat(Http.get(host, "/", tokenIn("engineering")).statusCode()).isEqualTo(403);
        assertThat(Http.metricValue(Http.metrics(), "gatehouse_policy_version{app=\"" + id + "\"")).isEqualTo(2.0);
        assertThat(admin.get("/api/v1/apps/" + id + "/candidate").statusCode()).as("removed by the promotion")
                .isEqualTo(404);
        assertThat(disagreements("allow", "deny") + disagreements("deny", "allow")).as("no candidate, no shadow")
                .isEqualTo(2.0);
        JsonObject v2 = json(admin.get("/api/v1/apps/" + id + "/versions?limit=1")).getJsonArray("items").getJsonObject(0);
        assertThat(v2.getLong("version")).isEqualTo(2);
        assertThat(v2.getString("comment")).isEqualTo("shadow showed 1 change each way");

        List<String> audit = json(admin.get("/api/v1/audit?app=" + id)).getJsonArray("items").stream()
                .map(e -> ((JsonObject) e).getString("action") + ":" + ((JsonObject) e).getString("outcome")).toList();
        assertThat(audit).containsSubsequence("app.promote:ok", "app.promote:precondition-failed",
                "app.promote:precondition-failed", "app.promote:precondition-required", "candidate.set:ok",
                "candidate.set:invalid-policy", "candidate.set:precondition-required", "app.create:ok");
        assertThat(json(admin.get("/api/v1/audit/verify")).getBoolean("ok")).isTrue();
    }

    @Test
    void aCandidateIsReplacedAndRemovedWithItsOwnVersion() {
        admin.create(id, app(host, upstream.url(), "{\"groups\": {\"has\": \"engineering\"}}"));
        setCandidate("{\"policy\": " + SALES + "}", "If-None-Match", "*");
        assertThat(setCandidate("{\"policy\": {\"allow\": {\"accept\": true}}}", "If-None-Match", "*").statusCode())
                .as("a candidate is there").isEqualTo(412);
        HttpResponse<String> replaced = setCandidate("{\"policy\": {\"allow\": {\"accept\": true}}}", "If-Match", "\"1\"");
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        assertThat(replaced.headers().firstValue("ETag")).hasValue("\"2\"");
        assertThat(Http.get(host, "/", tokenIn("hr")).statusCode()).as("still the live policy").isEqualTo(403);
        assertThat(disagreements("deny", "allow")).as("the replacement is the one evaluated").isEqualTo(1.0);
        assertThat(admin.delete("/api/v1/apps/" + id + "/candidate", null).statusCode()).isEqualTo(428);
        assertThat(admin.delete("/api/v1/apps/" + id + "/candidate", "\"1\"").statusCode()).isEqualTo(412);
        assertThat(admin.delete("/api/v1/apps/" + id + "/candidate", "\"2\"").statusCode()).isEqualTo(200);
        assertThat(Http.get(host, "/", tokenIn("hr")).statusCode()).isEqualTo(403);
        assertThat(disagreements("deny", "allow")).as("removed: nothing shadowed").isEqualTo(1.0);
        assertThat(admin.post("/api/v1/apps/" + id + "/candidate/promote", "{}", "\"1\"").statusCode()).isEqualTo(404);
        assertThat(admin.put("/api/v1/apps/no-such-app/candidate", "{\"policy\": " + SALES + "}", "If-None-Match", "*")
                .statusCode()).isEqualTo(404);
    }

    @Test
    void fileAppsMayBeShadowedButNotPromoted() {
        HttpResponse<String> set = admin.put("/api/v1/apps/public/candidate", "{\"policy\": {\"allow\": "
                + "{\"authenticated_user\": true}}}", "If-None-Match", "*");
        assertThat(set.statusCode()).as(set.body()).isEqualTo(201);
        String etag = set.headers().firstValue("ETag").orElseThrow();
        try {
            HttpResponse<String> anonymous = Http.get("public.test", "/", null);
            assertThat(anonymous.statusCode()).as("the file's policy accepts everyone").isEqualTo(200);
            assertThat(Http.metricValue(Http.metrics(), "gatehouse_shadow_disagreements_total{app=\"public\","
                    + "candidate=\"deny\",live=\"allow\"")).isGreaterThanOrEqualTo(1.0);
            HttpResponse<String> promote = admin.post("/api/v1/apps/public/candidate/promote", "{}", "\"1\"");
            assertThat(promote.statusCode()).isEqualTo(409);
            assertThat(json(promote).getString("reason")).isEqualTo("origin-file");
        } finally {
            assertThat(admin.delete("/api/v1/apps/public/candidate", etag).statusCode()).isEqualTo(200);
        }
    }
}
