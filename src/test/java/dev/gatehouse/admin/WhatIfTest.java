package dev.gatehouse.admin;

import static dev.gatehouse.testing.AdminClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.AdminClient;
import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.TestIdp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/v1/apps/{id}/evaluate} and the AuthZEN endpoints end to end, through the admin
 * host's guard, against the test config's apps (the same {@code AccessCheck} as the proxy, which
 * the tests compare against real requests).
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class WhatIfTest {
    TestIdp idp;
    AdminClient admin;

    @BeforeEach
    void setUp() {
        idp = GatehouseTestResource.idp();
        admin = new AdminClient(idp.adminToken());
    }

    static String engineer(String groups, String device) {
        return "\"identity\": {\"sub\": \"alice\", \"email\": \"alice@example.com\", \"email_verified\": true, "
                + "\"groups\": " + groups + "}" + (device == null ? "" : ", \"device\": " + device);
    }

    static String freshDevice() {
        return "{\"id\": \"laptop-1\", \"compliant\": true, \"posture_at\": \"" + Instant.now().minusSeconds(60) + "\"}";
    }

    HttpResponse<String> evaluate(String app, String body) {
        return admin.post("/api/v1/apps/" + app + "/evaluate", body, null);
    }

    @Test
    void anAllowedRequestIsExplained() {
        HttpResponse<String> r = evaluate("api", "{" + engineer("[\"engineering\"]", freshDevice())
                + ", \"request\": {\"method\": \"GET\", \"path\": \"/reports\", \"source_address\": \"192.0.2.7\"}}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject body = json(r);
        assertThat(body.getString("decision")).isEqualTo("allow");
        assertThat(body.getString("rule")).isEqualTo("allow");
        assertThat(body.getString("policy")).isEqualTo("live");
        JsonObject allow = body.getJsonObject("trace").getJsonObject("allow");
        assertThat(allow.getString("path")).isEqualTo("allow.and");
        assertThat(allow.getString("outcome")).isEqualTo("true");
        assertThat(allow.getJsonArray("children").getJsonObject(0).getString("explanation"))
                .isEqualTo("groups [engineering] include engineering");
        assertThat(allow.getJsonArray("children").getJsonObject(1).getString("explanation"))
                .startsWith("device: compliant true; posture checked 1m ago, within 15m allowed");
        assertThat(body.getValue("trace.deny")).isNull();
    }

    @Test
    void aDeniedRequestHasItsReasonsAndTrace() {
        HttpResponse<String> r = evaluate("api", "{" + engineer("[\"sales\"]", freshDevice()) + "}");
        JsonObject body = json(r);
        assertThat(body.getString("decision")).isEqualTo("deny");
        assertThat(body.getJsonArray("reasons").getJsonObject(0).getString("code")).isEqualTo("groups-unauthorized");
        assertThat(body.getJsonArray("reasons").getJsonObject(0).getString("explanation")).isNotBlank();
        assertThat(body.getString("rule")).isEqualTo("allow.and[0].groups");
        JsonObject groups = body.getJsonObject("trace").getJsonObject("allow").getJsonArray("children").getJsonObject(0);
        assertThat(groups.getString("path")).isEqualTo("allow.and[0].groups");
        assertThat(groups.getString("outcome")).isEqualTo("false");
        assertThat(groups.getString("reason")).isEqualTo("groups-unauthorized");
        assertThat(groups.getString("explanation")).isEqualTo("groups [sales] do not include engineering");

        // the proxy decides the same facts the same way
        Map<String, Object> sales = idp.engineer();
        sales.put("groups", List.of("sales"));
        HttpResponse<String> real = Http.get("api.test", "/", idp.sign(sales));
        assertThat(real.statusCode()).isEqualTo(403);
        assertThat(new JsonObject(real.body()).getString("reason")).isEqualTo("groups-unauthorized");
    }

    @Test
    void missingFactsAreUnknownAndFailClosed() {
        JsonObject noDevice = json(evaluate("api", "{" + engineer("[\"engineering\"]", null) + "}"));
        assertThat(noDevice.getString("decision")).isEqualTo("deny");
        assertThat(noDevice.getJsonArray("reasons").getJsonObject(0).getString("code")).isEqualTo("device-unauthenticated");
        JsonObject device = noDevice.getJsonObject("trace").getJsonObject("allow").getJsonArray("children").getJsonObject(1);
        assertThat(device.getString("outcome")).isEqualTo("unknown");
        assertThat(device.getString("explanation")).endsWith("unknown, never grants");

        JsonObject stringly = json(evaluate("api", "{" + engineer("[\"engineering\"]",
                "{\"id\": \"laptop-1\", \"compliant\": \"true\", \"posture_at\": \"" + Instant.now() + "\"}") + "}"));
        assertThat(stringly.getString("decision")).as("\"true\" is not compliant, as in a token").isEqualTo("deny");
        assertThat(stringly.getJsonArray("reasons").getJsonObject(0).getString("code")).isEqualTo("device-unknown");

        JsonObject anonymous = json(evaluate("api", "{}"));
        assertThat(anonymous.getString("decision")).isEqualTo("unauthenticated");
        assertThat(anonymous.getJsonArray("reasons").getJsonObject(0).getString("code")).isEqualTo("user-unauthenticated");

        JsonObject noAddress = json(evaluate("loopback-only", "{\"identity\": {\"sub\": \"alice\"}}"));
        assertThat(noAddress.getString("decision")).as("no source address: source_ip unknown").isEqualTo("deny");
        assertThat(noAddress.getJsonArray("reasons").getJsonObject(0).getString("code")).isEqualTo("source-ip-unknown");
    }

    @Test
    void anEditedPolicyIsTriedWithoutChangingTheLiveOne() {
        JsonObject tried = json(evaluate("api", "{" + engineer("[\"sales\"]", null)
                + ", \"policy\": {\"allow\": {\"groups\": {\"has\": \"sales\"}}}}"));
        assertThat(tried.getString("decision")).isEqualTo("allow");
        assertThat(tried.getString("policy")).isEqualTo("request");
        Map<String, Object> sales = idp.engineer();
        sales.put("groups", List.of("sales"));
        assertThat(Http.get("api.test", "/", idp.sign(sales)).statusCode()).as("live policy unchanged").isEqualTo(403);
    }

    @Test
    void aBadPolicyIs400WithThePathsValidateGives() {
        String policy = "{\"allow\": {\"and\": [{\"groups\": {\"has\": \"x\"}}, {\"device\": {\"compliantt\": true}}]}, "
                + "\"alow\": {}}";
        HttpResponse<String> r = evaluate("api", "{\"policy\": " + policy + "}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonArray errors = json(r).getJsonArray("errors");
        HttpResponse<String> validate = admin.post("/api/v1/validate", "{\"id\": \"v\", \"host\": \"v.test\", "
                + "\"upstream\": \"http://127.0.0.1:1\", \"idp\": \"test\", \"policy\": " + policy + "}", null);
        assertThat(validate.statusCode()).isEqualTo(400);
        assertThat(errors).isEqualTo(json(validate).getJsonArray("errors"));
        assertThat(errors.stream().map(e -> ((JsonObject) e).getString("path")).toList())
                .contains("policy", "policy.allow.and[1].device");
    }

    @Test
    void badFactsAndUnknownAppsAreRefused() {
        assertThat(evaluate("no-such-app", "{}").statusCode()).isEqualTo(404);
        HttpResponse<String> typo = evaluate("api", "{\"identiti\": {}, \"request\": {\"time\": \"yesterday\", "
                + "\"path\": \"/../etc\", \"source_address\": \"example.com\"}, \"identity\": {\"group\": []}}");
        assertThat(typo.statusCode()).isEqualTo(400);
        HttpResponse<String> facts = evaluate("api", "{\"request\": {\"time\": \"yesterday\", \"path\": \"/../etc\", "
                + "\"source_address\": \"example.com\"}, \"identity\": {\"group\": []}}");
        assertThat(facts.statusCode()).isEqualTo(400);
        assertThat(json(facts).getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("path")).toList())
                .containsExactlyInAnyOrder("identity", "request.time", "request.path", "request.source_address");
        HttpResponse<String> otherIdp = evaluate("api", "{\"identity\": {\"sub\": \"a\", \"idp\": \"corp\"}}");
        assertThat(otherIdp.statusCode()).isEqualTo(400);
    }

    @Test
    void theAdminPolicyGuardsWhatIfAndAuthZen() {
        assertThat(new AdminClient(null).post("/api/v1/apps/api/evaluate", "{}", null).statusCode()).isEqualTo(401);
        assertThat(new AdminClient(idp.validToken()).post("/api/v1/apps/api/evaluate", "{}", null).statusCode())
                .as("an engineer is no admin").isEqualTo(403);
        assertThat(new AdminClient(null).post("/access/v1/evaluation", "{}", null).statusCode()).isEqualTo(401);
        assertThat(new AdminClient(idp.validToken()).post("/access/v1/evaluation", "{}", null).statusCode()).isEqualTo(403);
        assertThat(admin.post("/access/v2/evaluation", "{}", null).statusCode()).isEqualTo(404);
    }

    static String subject(String groups) {
        return "{\"type\": \"user\", \"id\": \"alice\", \"properties\": {\"groups\": " + groups + ", \"device\": "
                + freshDevice() + "}}";
    }

    @Test
    void authZenEvaluation() {
        HttpResponse<String> yes = admin.post("/access/v1/evaluation", "{\"subject\": " + subject("[\"engineering\"]")
                + ", \"resource\": {\"type\": \"app\", \"id\": \"api\", \"properties\": {\"path\": \"/x\"}}, "
                + "\"action\": {\"name\": \"GET\"}, \"context\": {\"source_address\": \"192.0.2.1\"}}", null);
        assertThat(yes.statusCode()).as(yes.body()).isEqualTo(200);
        assertThat(json(yes).getBoolean("decision")).isTrue();
        HttpResponse<String> no = admin.post("/access/v1/evaluation", "{\"subject\": " + subject("[\"sales\"]")
                + ", \"resource\": {\"type\": \"app\", \"id\": \"api\"}, \"action\": {\"name\": \"GET\"}}", null);
        assertThat(json(no).getBoolean("decision")).isFalse();
        assertThat(json(no).getJsonObject("context").getString("reason")).isEqualTo("groups-unauthorized");
        assertThat(json(no).getJsonObject("context").getString("rule")).isEqualTo("allow.and[0].groups");
        HttpResponse<String> nowhere = admin.post("/access/v1/evaluation", "{\"subject\": " + subject("[]")
                + ", \"resource\": {\"type\": \"app\", \"id\": \"nope\"}, \"action\": {\"name\": \"GET\"}}", null);
        assertThat(json(nowhere).getBoolean("decision")).isFalse();
        assertThat(json(nowhere).getJsonObject("context").getString("reason")).isEqualTo("route-not-found");
        HttpResponse<String> bad = admin.post("/access/v1/evaluation", "{\"subject\": {\"type\": \"user\"}, "
                + "\"resource\": {\"type\": \"account\", \"id\": \"api\"}}", null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("path")).toList())
                .containsExactlyInAnyOrder("subject.id", "resource.type", "action");
    }

    /** {@code no-delete}: authenticated users, but DELETE is denied. */
    static String batch(String semantic, String... methods) {
        StringBuilder sb = new StringBuilder("{\"subject\": " + subject("[]")
                + ", \"resource\": {\"type\": \"app\", \"id\": \"no-delete\"}, \"evaluations\": [");
        for (int i = 0; i < methods.length; i++) {
            sb.append(i == 0 ? "" : ", ").append("{\"action\": {\"name\": \"").append(methods[i]).append("\"}}");
        }
        sb.append("]");
        if (semantic != null) {
            sb.append(", \"options\": {\"evaluations_semantic\": \"").append(semantic).append("\"}");
        }
        return sb.append("}").toString();
    }

    List<Boolean> decisions(String body) {
        HttpResponse<String> r = admin.post("/access/v1/evaluations", body, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r).getJsonArray("evaluations").stream().map(e -> ((JsonObject) e).getBoolean("decision")).toList();
    }

    @Test
    void authZenBatchSemantics() {
        assertThat(decisions(batch(null, "GET", "DELETE", "GET"))).containsExactly(true, false, true);
        assertThat(decisions(batch("execute_all", "GET", "DELETE", "GET"))).containsExactly(true, false, true);
        assertThat(decisions(batch("deny_on_first_deny", "GET", "DELETE", "GET"))).containsExactly(true, false);
        assertThat(decisions(batch("permit_on_first_permit", "DELETE", "GET", "DELETE"))).containsExactly(false, true);
        // an entry replaces a default whole: here the resource
        String mixed = batch(null, "GET").replace("\"evaluations\": [{", "\"evaluations\": [{\"resource\": "
                + "{\"type\": \"app\", \"id\": \"api-admin\"}, ");
        assertThat(decisions(mixed)).as("alice is not in admins").containsExactly(false);
        // without evaluations: a single evaluation
        HttpResponse<String> single = admin.post("/access/v1/evaluations", "{\"subject\": " + subject("[]")
                + ", \"resource\": {\"type\": \"app\", \"id\": \"no-delete\"}, \"action\": {\"name\": \"DELETE\"}}", null);
        assertThat(json(single).getBoolean("decision")).isFalse();
        HttpResponse<String> bad = admin.post("/access/v1/evaluations", batch("first_wins", "GET")
                .replace("\"evaluations\": [{", "\"evaluations\": [{\"resource\": {\"type\": \"doc\", \"id\": \"x\"}, "), null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("path")).toList())
                .contains("options.evaluations_semantic");
    }
}
