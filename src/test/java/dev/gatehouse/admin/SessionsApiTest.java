package dev.gatehouse.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.AdminClient;
import dev.gatehouse.testing.Browser;
import dev.gatehouse.testing.BrowserTestResource;
import dev.gatehouse.testing.TestIdp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/sessions} end to end: sessions made by the real code flow (test IdP) are listed
 * for their user with where and on what they were made, never with the cookie's handle or the IdP's
 * tokens; the listed id ends the session ({@code DELETE}, audited) or revokes it
 * ({@code POST /api/v1/revocations {"session": id}}). The store side, on H2 and PostgreSQL and
 * across two replicas, is in {@code SessionRepositoryContract}.
 */
@QuarkusTest
@QuarkusTestResource(value = BrowserTestResource.class, restrictToAnnotatedClass = true)
class SessionsApiTest {
    static final String APP = "http://wiki.corp.test/";
    TestIdp idp;
    AdminClient admin;
    String sub;

    @BeforeEach
    void setUp() {
        idp = BrowserTestResource.idp();
        admin = new AdminClient(idp.adminToken());
        sub = "user-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void tearDown() {
        idp.codeFlow().reset();
    }

    Browser signedIn(String device) {
        idp.codeFlow().signInAs(() -> {
            Map<String, Object> c = idp.engineer();
            c.put("sub", sub);
            c.put("email", sub + "@corp.test");
            c.put("sid", "idp-" + device);
            c.put("device_id", device);
            return c;
        });
        Browser b = new Browser();
        HttpResponse<String> r = b.open(APP);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return b;
    }

    static String handle(Browser b) {
        return b.cookies().stream().filter(c -> c.name().endsWith("gatehouse_session")).findFirst().orElseThrow()
                .value();
    }

    static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    JsonArray list() {
        HttpResponse<String> r = admin.get("/api/v1/sessions?user=" + sub);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        return new JsonObject(r.body()).getJsonArray("items");
    }

    @Test
    void sessionsAreFoundByEmailInAnyCaseButNotByAnotherOrAPartOne() throws Exception {
        Browser laptop = signedIn(sub + "-laptop");
        HttpResponse<String> r = admin.get("/api/v1/sessions?email=" + sub.toUpperCase(java.util.Locale.ROOT) + "@Corp.TEST");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonArray items = new JsonObject(r.body()).getJsonArray("items");
        assertThat(items).hasSize(1);
        assertThat(items.getJsonObject(0).getString("id")).isEqualTo(sha256(handle(laptop)));
        assertThat(items.getJsonObject(0).getString("user")).as("read from the session").isEqualTo(sub);
        assertThat(items.getJsonObject(0).getString("email")).isEqualTo(sub + "@corp.test");

        assertThat(admin.get("/api/v1/sessions?email=other-" + sub + "@corp.test").body()).isEqualTo("{\"items\":[]}");
        assertThat(admin.get("/api/v1/sessions?email=" + sub).statusCode()).as("no @").isEqualTo(400);
        HttpResponse<String> both = admin.get("/api/v1/sessions?email=" + sub + "@corp.test&user=" + sub);
        assertThat(both.statusCode()).isEqualTo(400);
        assertThat(both.body()).contains("user-or-email");
        assertThat(new AdminClient(idp.validToken()).get("/api/v1/sessions?email=" + sub + "@corp.test").statusCode())
                .as("not an admin").isEqualTo(403);

        // ended: no longer found by email either
        assertThat(admin.delete("/api/v1/sessions/" + sha256(handle(laptop)), null).statusCode()).isEqualTo(204);
        assertThat(admin.get("/api/v1/sessions?email=" + sub + "@corp.test").body()).isEqualTo("{\"items\":[]}");
    }

    @Test
    void aUsersSessionsAreListedWithoutHandlesOrTokens() throws Exception {
        Browser laptop = signedIn(sub + "-laptop");
        Browser phone = signedIn(sub + "-phone");
        HttpResponse<String> r = admin.get("/api/v1/sessions?user=" + sub + "&idp=test");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonArray items = new JsonObject(r.body()).getJsonArray("items");
        assertThat(items).hasSize(2);
        JsonObject newest = items.getJsonObject(0);
        assertThat(newest.getString("id")).isEqualTo(sha256(handle(phone)));
        assertThat(items.getJsonObject(1).getString("id")).isEqualTo(sha256(handle(laptop)));
        assertThat(newest.getString("idp")).isEqualTo("test");
        assertThat(newest.getString("user")).isEqualTo(sub);
        assertThat(newest.getString("email")).isEqualTo(sub + "@corp.test");
        assertThat(newest.getString("device_id")).isEqualTo(sub + "-phone");
        assertThat(newest.getString("app")).isEqualTo("wiki");
        assertThat(newest.getString("host")).isEqualTo("wiki.corp.test");
        assertThat(newest.getBoolean("readable")).isTrue();
        assertThat(newest.fieldNames()).containsExactlyInAnyOrder("id", "idp", "user", "email", "device_id", "app",
                "host", "created", "last_seen", "expires", "readable");
        assertThat(java.time.Instant.parse(newest.getString("expires")))
                .isAfter(java.time.Instant.parse(newest.getString("created")));
        assertThat(r.body()).doesNotContain(handle(laptop)).doesNotContain(handle(phone))
                .doesNotContain("token");

        assertThat(admin.get("/api/v1/sessions?user=nobody-" + sub).body()).isEqualTo("{\"items\":[]}");
        HttpResponse<String> noUser = admin.get("/api/v1/sessions");
        assertThat(noUser.statusCode()).isEqualTo(400);
        assertThat(noUser.body()).contains("user-required");
        assertThat(admin.get("/api/v1/sessions?user=" + sub + "&idp=nope").statusCode()).isEqualTo(400);
        assertThat(new AdminClient(idp.validToken()).get("/api/v1/sessions?user=" + sub).statusCode())
                .as("not an admin").isEqualTo(403);
    }

    @Test
    void deletingAListedSessionEndsItAndOnlyItAndIsAudited() {
        Browser laptop = signedIn(sub + "-laptop");
        Browser phone = signedIn(sub + "-phone");
        String laptopId = list().getJsonObject(1).getString("id");

        HttpResponse<String> deleted = admin.delete("/api/v1/sessions/" + laptopId, null);
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
        HttpResponse<String> after = laptop.get(APP + "x");
        assertThat(after.statusCode()).as("sent to sign in").isEqualTo(302);
        assertThat(after.headers().firstValue("Location").orElse("")).startsWith(idp.issuer());
        assertThat(phone.get(APP + "x").statusCode()).isEqualTo(200);
        assertThat(list()).hasSize(1);

        assertThat(admin.delete("/api/v1/sessions/" + laptopId, null).statusCode()).isEqualTo(404);
        HttpResponse<String> bad = admin.delete("/api/v1/sessions/not-a-session", null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("invalid-session-id");

        String audit = admin.get("/api/v1/audit?limit=20").body();
        JsonArray entries = new JsonObject(audit).getJsonArray("items");
        assertThat(entries.stream().map(o -> (JsonObject) o)
                .filter(e -> "session.delete".equals(e.getString("action")))
                .map(e -> e.getString("outcome") + " " + e.getValue("detail")))
                .anySatisfy(e -> assertThat(e).startsWith("ok").contains(laptopId))
                .anySatisfy(e -> assertThat(e).startsWith("not-found").contains(laptopId))
                .anySatisfy(e -> assertThat(e).startsWith("invalid-session-id"));
    }

    @Test
    void aListedIdRevokesThatSession() {
        Browser laptop = signedIn(sub + "-laptop");
        Browser phone = signedIn(sub + "-phone");
        String phoneId = list().getJsonObject(0).getString("id");
        HttpResponse<String> created = admin.post("/api/v1/revocations", "{\"session\": \"" + phoneId
                + "\", \"expires\": \"10m\", \"reason\": \"lost phone\"}", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        try {
            HttpResponse<String> refused = phone.get(APP + "x");
            assertThat(refused.statusCode()).isEqualTo(403);
            assertThat(refused.body()).contains("access-revoked");
            assertThat(laptop.get(APP + "x").statusCode()).isEqualTo(200);
        } finally {
            admin.delete("/api/v1/revocations/" + new JsonObject(created.body()).getString("id"), null);
        }
    }
}
