package dev.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.AdminClient;
import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.RecordingUpstream;
import dev.gatehouse.testing.TestIdp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/revocations} end to end through the proxy: what the API accepts and refuses (every
 * error listed), the audit entries of each attempt, and enforcement: a revoked user's or device's
 * bearer token is refused at once, also when the verified-token cache holds it, and an open
 * WebSocket is closed with 1008 {@code access-revoked}. Every test revokes its own random subject
 * or device, so the shared Gatehouse of the other tests is unaffected.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class RevocationsApiTest {
    TestIdp idp;
    RecordingUpstream upstream;
    AdminClient admin;
    String sub;

    @BeforeEach
    void setUp() {
        idp = GatehouseTestResource.idp();
        upstream = GatehouseTestResource.upstream();
        upstream.reset();
        admin = new AdminClient(idp.adminToken());
        sub = "user-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String tokenOf(String subject, String device) {
        Map<String, Object> claims = idp.engineer();
        claims.put("sub", subject);
        claims.put("device_id", device);
        return idp.sign(claims);
    }

    /** {@code gatehouse_revocations_active}: a gauge without labels. */
    private static double activeGauge() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^gatehouse_revocations_active(?:\\{[^}]*\\})? "
                + "([0-9.E+-]+)$").matcher(Http.metrics());
        assertThat(m.find()).as("gauge exported").isTrue();
        return Double.parseDouble(m.group(1));
    }

    private HttpResponse<String> revoke(String json) {
        return admin.post("/api/v1/revocations", json, null);
    }

    private static JsonObject json(HttpResponse<String> r) {
        return new JsonObject(r.body());
    }

    @Test
    void aRevokedUserIsRefusedAtOnceEvenWithACachedTokenAndAllowedAgainAfterDelete() {
        String token = tokenOf(sub, "laptop-" + sub);
        assertThat(Http.get("api.test", "/a", token).statusCode()).as("verified once, now cached").isEqualTo(200);
        assertThat(upstream.hits()).isEqualTo(1);

        HttpResponse<String> created = revoke("{\"user\": \"" + sub + "\", \"idp\": \"test\", \"expires\": \"1h\", "
                + "\"reason\": \"laptop stolen\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonObject r = json(created);
        String id = r.getString("id");
        assertThat(id).matches("rv-[0-9a-f]{20}");
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/revocations/" + id);
        assertThat(r.getString("user")).isEqualTo(sub);
        assertThat(r.getString("idp")).isEqualTo("test");
        assertThat(r.getString("reason")).isEqualTo("laptop stolen");
        assertThat(r.getJsonObject("created_by").getString("sub")).isEqualTo("root-admin");
        assertThat(Instant.parse(r.getString("expires"))).isAfter(Instant.now().plusSeconds(3500));

        HttpResponse<String> refused = Http.get("api.test", "/a", token);
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(json(refused).getString("reason")).isEqualTo("access-revoked");
        assertThat(Http.get("api.test", "/a", tokenOf(sub, "other-device")).statusCode())
                .as("a fresh token of the same user").isEqualTo(403);
        assertThat(upstream.hits()).as("nothing reached the upstream").isEqualTo(1);

        JsonArray items = json(admin.get("/api/v1/revocations")).getJsonArray("items");
        assertThat(items.stream().map(o -> ((JsonObject) o).getString("id")).toList()).contains(id);
        assertThat(activeGauge()).isGreaterThanOrEqualTo(1.0);

        HttpResponse<String> deleted = admin.delete("/api/v1/revocations/" + id, null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        assertThat(Http.get("api.test", "/a", token).statusCode()).as("withdrawn: let in again").isEqualTo(200);
        assertThat(admin.delete("/api/v1/revocations/" + id, null).statusCode()).isEqualTo(404);

        JsonArray audit = json(admin.get("/api/v1/audit?actor=root-admin&limit=500")).getJsonArray("items");
        List<String> mine = audit.stream().map(o -> (JsonObject) o)
                .filter(e -> e.encode().contains(id))
                .map(e -> e.getString("action") + " " + e.getString("outcome")).toList();
        assertThat(mine).contains("revocation.create ok", "revocation.delete ok", "revocation.delete not-found");
    }

    @Test
    void aUserRevokedAtEveryIdpIsRefusedAndOthersAreNot() {
        String token = tokenOf(sub, "d-" + sub);
        HttpResponse<String> created = revoke("{\"user\": \"" + sub + "\", \"expires\": \"10m\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json(created).getValue("idp")).isNull();
        assertThat(Http.get("api.test", "/a", token).statusCode()).isEqualTo(403);
        assertThat(Http.get("api.test", "/a", tokenOf(sub + "-other", "d2-" + sub)).statusCode())
                .as("another user").isEqualTo(200);
        admin.delete("/api/v1/revocations/" + json(created).getString("id"), null);
    }

    @Test
    void aRevokedDeviceIsRefusedWhoeverUsesIt() {
        String device = "device-" + sub;
        HttpResponse<String> created = revoke("{\"device\": \"" + device + "\", \"expires\": \""
                + Instant.now().plusSeconds(600) + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> refused = Http.get("api.test", "/a", tokenOf("someone-" + sub, device));
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(json(refused).getString("reason")).isEqualTo("access-revoked");
        assertThat(Http.get("api.test", "/a", tokenOf("someone-" + sub, "clean-" + sub)).statusCode()).isEqualTo(200);
        admin.delete("/api/v1/revocations/" + json(created).getString("id"), null);
    }

    @Test
    void badBodiesAre400WithEveryErrorAndAudited() {
        HttpResponse<String> r = revoke("{\"user\": \"a\", \"device\": \"b\", \"idp\": \"nope\", \"expires\": \"yesterday\","
                + " \"colour\": \"red\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonObject p = json(r);
        assertThat(p.getString("reason")).isEqualTo("invalid-revocation");
        List<String> paths = p.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("path")).toList();
        assertThat(paths).contains("colour", "device", "idp", "expires");

        assertThat(json(revoke("{\"expires\": \"1h\"}")).getJsonArray("errors").encode()).contains("one of user");
        assertThat(revoke("{\"session\": \"s1\", \"expires\": \"2020-01-01T00:00:00Z\"}").statusCode()).isEqualTo(400);
        assertThat(revoke("{\"session\": \"s1\", \"expires\": \"1h\", \"idp\": \"test\"}").statusCode()).isEqualTo(400);
        assertThat(revoke("{\"session\": \"s1\", \"expires\": \"400d\"}").statusCode()).isEqualTo(400);
        assertThat(revoke("{\"user\": \"\", \"expires\": \"1h\"}").statusCode()).isEqualTo(400);
        assertThat(revoke("{\"user\": 42, \"expires\": \"1h\"}").statusCode()).isEqualTo(400);
        assertThat(revoke("{\"user\": \"" + sub + "\"}").statusCode()).as("no expiry").isEqualTo(400);
        assertThat(revoke("[1]").statusCode()).isEqualTo(400);
        assertThat(revoke("{not json").statusCode()).isEqualTo(400);
        HttpResponse<String> notJson = Http.send(admin.builder("/api/v1/revocations")
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("user=x")).build());
        assertThat(notJson.statusCode()).isEqualTo(415);
        assertThat(admin.delete("/api/v1/revocations/not-an-id", null).statusCode()).isEqualTo(400);
        assertThat(admin.delete("/api/v1/revocations/rv-00000000000000000000", null).statusCode()).isEqualTo(404);

        JsonArray audit = json(admin.get("/api/v1/audit?actor=root-admin&limit=50")).getJsonArray("items");
        assertThat(audit.stream().map(o -> (JsonObject) o)
                .anyMatch(e -> "revocation.create".equals(e.getString("action"))
                        && "invalid-revocation".equals(e.getString("outcome"))
                        && e.encode().contains("colour"))).as(audit.encodePrettily()).isTrue();
    }

    @Test
    void withoutTheAdminRoleTheApiIsRefused() {
        HttpResponse<String> r = new AdminClient(idp.validToken()).post("/api/v1/revocations",
                "{\"user\": \"" + sub + "\", \"expires\": \"1h\"}", null);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(new AdminClient(idp.validToken()).get("/api/v1/revocations").statusCode()).isEqualTo(403);
    }

    @Test
    void anOpenWebSocketOfARevokedUserIsClosedWith1008() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(Http.port())
                    .setURI("/ws").addHeader("Host", "api.test")
                    .addHeader("Authorization", "Bearer " + tokenOf(sub, "ws-" + sub));
            WebSocket ws = vertx.createWebSocketClient().connect(o).toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            CompletableFuture<Short> closed = new CompletableFuture<>();
            ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
            HttpResponse<String> created = revoke("{\"user\": \"" + sub + "\", \"expires\": \"1h\"}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo((short) 1008);
            assertThat(ws.closeReason()).isEqualTo("access-revoked");
            admin.delete("/api/v1/revocations/" + json(created).getString("id"), null);
        } finally {
            vertx.close();
        }
    }
}
