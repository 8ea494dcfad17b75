package dev.gatehouse.admin;

import static dev.gatehouse.testing.AdminClient.app;
import static dev.gatehouse.testing.AdminClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.store.Database;
import dev.gatehouse.testing.AdminClient;
import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.RawH2;
import dev.gatehouse.testing.RecordingUpstream;
import dev.gatehouse.testing.TestIdp;
import io.quarkus.arc.Arc;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin API guards itself with the same engine: refusals look like the data plane's, change
 * nothing and are audited; the audit log verifies and tampering by plain JDBC is found; concurrent
 * writers lose nothing; only {@code /api/v1/} is served on the admin host.
 */
abstract class AdminGuardContract {
    TestIdp idp;
    RecordingUpstream upstream;
    AdminClient admin;
    String id;

    @BeforeEach
    void setUp() {
        idp = GatehouseTestResource.idp();
        upstream = GatehouseTestResource.upstream();
        upstream.reset();
        admin = new AdminClient(idp.adminToken());
        id = "app-" + UUID.randomUUID().toString().substring(0, 8);
    }

    String doc() {
        return app(id + ".test", upstream.url(), "{\"accept\": true}");
    }

    JsonArray audit(String query) {
        return json(admin.get("/api/v1/audit?limit=500&" + query)).getJsonArray("items");
    }

    /** Refused attempts are audited off the event loop: wait for the entry. */
    JsonObject awaitRefusal(String outcome) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            for (Object o : audit("app=" + id)) {
                JsonObject e = (JsonObject) o;
                if (e.getString("action").equals("admin.refused") && e.getString("outcome").equals(outcome)) {
                    return e;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no admin.refused/" + outcome + " entry for " + id);
    }

    @Test
    void nonAdminsAreRefusedLikeTheDataPlaneAndAudited() throws Exception {
        Map<String, Object> user = idp.engineer();
        user.put("realm_access", Map.of("roles", List.of("user")));
        HttpResponse<String> r = new AdminClient(idp.sign(user)).create(id, doc());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonObject p = json(r);
        assertThat(p.fieldNames()).contains("type", "title", "status", "reason", "app", "request_id");
        assertThat(p.getString("reason")).isEqualTo("roles-unauthorized");
        assertThat(p.getString("request_id")).isEqualTo(r.headers().firstValue("X-Request-Id").orElseThrow());
        JsonObject entry = awaitRefusal("denied");
        assertThat(entry.getJsonObject("actor").getString("sub")).isEqualTo("alice");
        assertThat(entry.getString("request_id")).isEqualTo(p.getString("request_id"));

        Map<String, Object> noDevice = idp.admin();
        noDevice.put("device_compliant", false);
        HttpResponse<String> laptop = new AdminClient(idp.sign(noDevice)).create(id, doc());
        assertThat(laptop.statusCode()).isEqualTo(403);
        assertThat(json(laptop).getString("reason")).isEqualTo("device-unauthorized");

        HttpResponse<String> anonymous = new AdminClient(null).create(id, doc());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate").orElse("")).contains("Bearer");
        awaitRefusal("unauthenticated");
        assertThat(new AdminClient("not.a.token").get("/api/v1/apps/" + id).statusCode()).isEqualTo(401);

        assertThat(admin.get("/api/v1/apps/" + id).statusCode()).as("nothing was created").isEqualTo(404);
        assertThat(Http.get(id + ".test", "/", idp.validToken()).statusCode()).isEqualTo(404);
        assertThat(upstream.hits()).isZero();
    }

    @Test
    void onlyTheApiIsServedOnTheAdminHost() {
        assertThat(Http.get(AdminClient.HOST, "/", idp.adminToken()).statusCode()).isEqualTo(404);
        assertThat(Http.get(AdminClient.HOST, "/q/health", null).statusCode()).isEqualTo(404);
        assertThat(Http.get(AdminClient.HOST, "/api/v2/apps", idp.adminToken()).statusCode()).isEqualTo(404);
        HttpResponse<String> unknown = admin.get("/api/v1/nothing-here");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        HttpResponse<String> method = admin.post("/api/v1/apps", "{}", null);
        assertThat(method.statusCode()).isEqualTo(405);
        assertThat(json(method).getString("reason")).isEqualTo("method-not-allowed");
        assertThat(admin.get("/api/v1/apps").headers().firstValue("X-Request-Id")).isPresent();
        assertThat(upstream.hits()).as("the admin host never reaches an upstream").isZero();
    }

    @Test
    void overHttp2Too() throws Exception {
        byte[] body = doc().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        RawH2.Answer created;
        try (RawH2 h2 = RawH2.cleartext()) {
            created = h2.exchange(RawH2.headers("PUT", AdminClient.HOST, "/api/v1/apps/" + id)
                    .add("authorization", "Bearer " + idp.adminToken()).add("content-type", "application/json")
                    .add("if-none-match", "*"), body);
        }
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        RawH2.Answer read;
        try (RawH2 h2 = RawH2.cleartext()) {
            read = h2.exchange(RawH2.headers("GET", AdminClient.HOST, "/api/v1/apps/" + id)
                    .add("authorization", "Bearer " + idp.adminToken()), null);
        }
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.header("etag")).isEqualTo("\"1\"");
        RawH2.Answer refused;
        try (RawH2 h2 = RawH2.cleartext()) {
            refused = h2.exchange(RawH2.headers("DELETE", AdminClient.HOST, "/api/v1/apps/" + id)
                    .add("if-match", "\"1\""), null);
        }
        assertThat(refused.status()).isEqualTo(401);
        assertThat(Http.get(id + ".test", "/", null).statusCode()).isEqualTo(200);
    }

    @Test
    void theAuditLogVerifiesAndTamperingIsFound() throws Exception {
        admin.create(id, doc());
        JsonObject ok = json(admin.get("/api/v1/audit/verify"));
        assertThat(ok.getBoolean("ok")).as(ok.encode()).isTrue();
        long seq = audit("app=" + id).getJsonObject(0).getLong("seq");
        Database db = Arc.container().instance(Database.class).get();
        String original;
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT outcome FROM audit_log WHERE seq = ?")) {
                ps.setLong(1, seq);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    original = rs.getString(1);
                }
            }
            update(c, seq, "precondition-failed");
            JsonObject broken = json(admin.get("/api/v1/audit/verify"));
            assertThat(broken.getBoolean("ok")).isFalse();
            assertThat(broken.getLong("broken_at")).isEqualTo(seq);
            update(c, seq, original); // put it back: the other tests share this log
        }
        assertThat(json(admin.get("/api/v1/audit/verify")).getBoolean("ok")).isTrue();
    }

    private static void update(Connection c, long seq, String outcome) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("UPDATE audit_log SET outcome = ? WHERE seq = ?")) {
            ps.setString(1, outcome);
            ps.setLong(2, seq);
            ps.executeUpdate();
        }
        c.commit();
    }

    @Test
    void twentyConcurrentWritersLoseNothing() throws Exception {
        admin.create(id, doc());
        int writers = 20;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            int n = i;
            results.add(pool.submit(() -> {
                go.await();
                HttpResponse<String> read = admin.get("/api/v1/apps/" + id);
                long version = Long.parseLong(read.headers().firstValue("ETag").orElseThrow().replace("\"", ""));
                String change = app(id + ".test", upstream.url(), "{\"http_path\": {\"starts_with\": \"/w" + n + "\"}}");
                return admin.replace(id, change, version).statusCode();
            }));
        }
        go.countDown();
        int landed = 0;
        for (Future<Integer> f : results) {
            int status = f.get(120, TimeUnit.SECONDS);
            assertThat(status).isIn(200, 412);
            landed += status == 200 ? 1 : 0;
        }
        pool.shutdown();
        assertThat(landed).isPositive();
        JsonArray versions = json(admin.get("/api/v1/apps/" + id + "/versions?limit=500")).getJsonArray("items");
        assertThat(versions).as("the create and exactly the landed writes").hasSize(1 + landed);
        JsonArray attempts = audit("app=" + id);
        assertThat(attempts.stream().filter(e -> ((JsonObject) e).getString("action").equals("app.replace")).count())
                .as("every attempt audited once").isEqualTo(writers);
        assertThat(attempts.stream().filter(e -> ((JsonObject) e).getString("outcome").equals("ok")).count())
                .isEqualTo(1 + landed);
        assertThat(json(admin.get("/api/v1/audit/verify")).getBoolean("ok")).isTrue();
    }
}
