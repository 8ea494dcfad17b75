package dev.gatehouse.admin;

import static dev.gatehouse.testing.AdminClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.store.Database;
import dev.gatehouse.store.SealingKeys;
import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.Postgres;
import dev.gatehouse.testing.PostgresStoreResource;
import dev.gatehouse.testing.SealedValues;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;

/**
 * {@link AdminApiContract} with the store on a real PostgreSQL server started by the test run; and
 * what only the shared store allows: rotating the assertion key through the API.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
@QuarkusTestResource(value = PostgresStoreResource.class, restrictToAnnotatedClass = true)
class AdminApiPostgresTest extends AdminApiContract {
    @Inject
    Database db;

    @Test
    void aRotationSignsWithTheNewKeyAndKeepsTheOldOnePublished() throws Exception {
        HttpResponse<String> before = admin.get("/api/v1/assertion-keys");
        assertThat(before.statusCode()).as(before.body()).isEqualTo(200);
        JsonObject keys = json(before);
        assertThat(keys.getBoolean("rotatable")).isTrue();
        int version = keys.getInteger("version");
        assertThat(version).isPositive();
        assertThat(before.headers().firstValue("ETag")).hasValue("\"" + version + "\"");
        String old = keys.getString("signing");
        assertThat(keys.getJsonArray("published").getString(0)).isEqualTo(old);
        assertThat(kidOfAssertion()).as("before: the old key signs").isEqualTo(old);

        HttpResponse<String> none = admin.post("/api/v1/assertion-keys/rotate", "", null);
        assertThat(none.statusCode()).as(none.body()).isEqualTo(428);
        assertThat(json(none).getString("reason")).isEqualTo("precondition-required");
        assertThat(kidOfAssertion()).as("a refused rotation changes nothing").isEqualTo(old);

        HttpResponse<String> rotated = admin.post("/api/v1/assertion-keys/rotate", "", "\"" + version + "\"");
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(201);
        JsonObject after = json(rotated);
        String fresh = after.getString("signing");
        assertThat(fresh).isNotEqualTo(old);
        assertThat(after.getInteger("version")).isEqualTo(version + 1);
        assertThat(rotated.headers().firstValue("ETag")).hasValue("\"" + (version + 1) + "\"");
        assertThat(after.getJsonArray("published").getList()).startsWith(fresh).contains(old);

        HttpResponse<String> stale = admin.post("/api/v1/assertion-keys/rotate", "", "\"" + version + "\"");
        assertThat(stale.statusCode()).as("a second rotation from the same reading").isEqualTo(412);
        assertThat(json(stale).getString("reason")).isEqualTo("precondition-failed");
        assertThat(json(admin.get("/api/v1/assertion-keys")).getInteger("version")).as("one new key, not two")
                .isEqualTo(version + 1);

        // the new key signs what goes upstream, and the JWKS upstreams read has both
        assertThat(kidOfAssertion()).isEqualTo(fresh);
        String jwks = Http.get("api.test", "/.gatehouse/jwks.json", null).body();
        assertThat(new JsonObject(jwks).getJsonArray("keys").stream().map(k -> ((JsonObject) k).getString("kid")))
                .contains(old, fresh);
        new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()))
                .setExpectedIssuer("https://gatehouse.local").setExpectedAudience("api")
                .build().processToClaims(upstream.last().header("X-Gatehouse-Assertion"));

        JsonArray audit = json(admin.get("/api/v1/audit?actor=root-admin&limit=200")).getJsonArray("items");
        List<String> rotations = audit.stream().map(o -> (JsonObject) o)
                .filter(e -> "assertion-key.rotate".equals(e.getString("action")))
                .map(e -> e.getString("outcome")).toList();
        assertThat(rotations).contains("ok", "precondition-failed", "precondition-required");
        assertThat(audit.stream().map(o -> (JsonObject) o).filter(e -> "ok".equals(e.getString("outcome"))
                && "assertion-key.rotate".equals(e.getString("action"))).map(JsonObject::encode))
                .anyMatch(e -> e.contains(fresh));
        JsonObject verified = json(admin.get("/api/v1/audit/verify"));
        assertThat(verified.getBoolean("ok")).as(verified.encode()).isTrue();
    }

    /**
     * Retiring an older key: gone from the JWKS upstreams read, its assertions no longer verify
     * there, the signing key refuses to go, and every outcome is audited.
     */
    @Test
    void aRetiredKeyLeavesTheJwksAndTheSigningKeyCannotBeRetired() throws Exception {
        JsonObject keys = json(admin.get("/api/v1/assertion-keys"));
        int version = keys.getInteger("version");
        String old = keys.getString("signing");
        String signedByOld = assertionAfterAllowedRequest();
        JsonObject rotated = json(admin.post("/api/v1/assertion-keys/rotate", "", "\"" + version + "\""));
        String fresh = rotated.getString("signing");
        version = rotated.getInteger("version");

        HttpResponse<String> signing = admin.delete("/api/v1/assertion-keys/" + fresh, "\"" + version + "\"");
        assertThat(signing.statusCode()).as(signing.body()).isEqualTo(409);
        assertThat(json(signing).getString("reason")).isEqualTo("signing-key");
        HttpResponse<String> none = admin.delete("/api/v1/assertion-keys/" + old, null);
        assertThat(none.statusCode()).as(none.body()).isEqualTo(428);
        HttpResponse<String> stale = admin.delete("/api/v1/assertion-keys/" + old, "\"" + (version - 1) + "\"");
        assertThat(stale.statusCode()).as(stale.body()).isEqualTo(412);
        HttpResponse<String> unknown = admin.delete("/api/v1/assertion-keys/no-such-key", "\"" + version + "\"");
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
        assertThat(jwksKids()).as("refusals change nothing").contains(old, fresh);

        HttpResponse<String> retired = admin.delete("/api/v1/assertion-keys/" + old, "\"" + version + "\"");
        assertThat(retired.statusCode()).as(retired.body()).isEqualTo(200);
        JsonObject after = json(retired);
        assertThat(after.getJsonArray("published").getList()).contains(fresh).doesNotContain(old);
        assertThat(after.getInteger("version")).isEqualTo(version + 1);
        assertThat(retired.headers().firstValue("ETag")).hasValue("\"" + (version + 1) + "\"");
        assertThat(jwksKids()).contains(fresh).doesNotContain(old);
        String jwks = Http.get("api.test", "/.gatehouse/jwks.json", null).body();
        JwtConsumerBuilder upstreamCheck = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()))
                .setExpectedIssuer("https://gatehouse.local").setExpectedAudience("api");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> upstreamCheck.build().processToClaims(signedByOld))
                .as("an upstream that reads the JWKS no longer accepts the retired key's assertions")
                .isInstanceOf(org.jose4j.jwt.consumer.InvalidJwtException.class);
        upstreamCheck.build().processToClaims(assertionAfterAllowedRequest());
        HttpResponse<String> again = admin.delete("/api/v1/assertion-keys/" + old, "\"" + (version + 1) + "\"");
        assertThat(again.statusCode()).as("retired once").isEqualTo(404);

        JsonArray audit = json(admin.get("/api/v1/audit?actor=root-admin&limit=200")).getJsonArray("items");
        List<String> outcomes = audit.stream().map(o -> (JsonObject) o)
                .filter(e -> "assertion-key.retire".equals(e.getString("action")))
                .map(e -> e.getString("outcome")).toList();
        assertThat(outcomes).contains("ok", "signing-key", "precondition-required", "precondition-failed", "not-found");
        JsonObject verified = json(admin.get("/api/v1/audit/verify"));
        assertThat(verified.getBoolean("ok")).as(verified.encode()).isTrue();
    }

    /**
     * Rotating the store's sealing key: the replica (current key, previous key configured) shows
     * which key seals each row by id, a re-seal needs If-Match with the current key's id (so one
     * that reaches a replica on another key is refused), moves every row to the current key, is
     * audited with its counts and no key material, and the assertion keys still sign; a session key
     * an older release stored plain is counted under {@code plain} and sealed by the re-seal too.
     */
    @Test
    void aResealMovesEveryRowToTheCurrentSealingKeyAndIsAudited() throws Exception {
        String current = SealingKeys.of(Postgres.SEALING_KEY).currentId();
        String previous = SealingKeys.of(Postgres.PREVIOUS_SEALING_KEY).currentId();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO cluster_keys (purpose, kid, created_ms, sealed) VALUES ('legacy', 'l1', 1, ?)")) {
            ps.setString(1, SealedValues.v1(Postgres.PREVIOUS_SEALING_KEY, "legacy\nl1", "sealed by the old key"));
            ps.executeUpdate();
            c.commit();
        }
        // a session key as a release before sealing stored it: plain base64, counted and re-sealed too
        String plainSessionKey = Base64.getEncoder().encodeToString(new byte[32]);
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO session_keys (key_id, material, created_ms) VALUES ('plain-old', ?, 1)")) {
            ps.setString(1, plainSessionKey);
            ps.executeUpdate();
            c.commit();
        }
        HttpResponse<String> before = admin.get("/api/v1/store-key");
        assertThat(before.statusCode()).as(before.body()).isEqualTo(200);
        JsonObject state = json(before);
        assertThat(state.getBoolean("available")).isTrue();
        assertThat(state.getString("current")).isEqualTo(current);
        assertThat(state.getJsonArray("previous").getList()).containsExactly(previous);
        assertThat(state.getJsonObject("sealed_by").getInteger(previous)).isEqualTo(1);
        assertThat(state.getJsonObject("sealed_by").getInteger("plain")).isEqualTo(1);
        assertThat(state.getJsonObject("sealed_by").getInteger(current)).as("the session key made at start, sealed")
                .isPositive();
        assertThat(state.getInteger("pending")).isEqualTo(2);
        assertThat(before.headers().firstValue("ETag")).hasValue("\"" + current + "\"");
        assertThat(before.body()).doesNotContain(Postgres.SEALING_KEY).doesNotContain(Postgres.PREVIOUS_SEALING_KEY);

        HttpResponse<String> none = admin.post("/api/v1/store-key/reseal", "", null);
        assertThat(none.statusCode()).as(none.body()).isEqualTo(428);
        HttpResponse<String> other = admin.post("/api/v1/store-key/reseal", "", "\"" + previous + "\"");
        assertThat(other.statusCode()).as("a reseal meant for another key").isEqualTo(412);
        assertThat(json(other).getString("detail")).contains(current, previous);
        assertThat(json(admin.get("/api/v1/store-key")).getInteger("pending")).as("refusals change nothing")
                .isEqualTo(2);

        HttpResponse<String> resealed = admin.post("/api/v1/store-key/reseal", "", "\"" + current + "\"");
        assertThat(resealed.statusCode()).as(resealed.body()).isEqualTo(200);
        JsonObject after = json(resealed);
        assertThat(after.getInteger("resealed")).isGreaterThanOrEqualTo(2);
        assertThat(after.getInteger("pending")).isZero();
        assertThat(after.getJsonObject("sealed_by").fieldNames()).containsExactly(current);
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT sealed FROM cluster_keys WHERE retired_ms IS NULL")) {
            while (rs.next()) {
                assertThat(rs.getString(1)).startsWith("v2:" + current + ":");
            }
            c.rollback();
        }
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT material FROM session_keys")) {
            while (rs.next()) {
                assertThat(rs.getString(1)).as("every session key sealed").startsWith("v2:" + current + ":")
                        .doesNotContain(plainSessionKey);
            }
            c.rollback();
        }
        assertThat(kidOfAssertion()).as("the assertion key still signs").isNotBlank();

        JsonArray audit = json(admin.get("/api/v1/audit?actor=root-admin&limit=200")).getJsonArray("items");
        List<JsonObject> reseals = audit.stream().map(o -> (JsonObject) o)
                .filter(e -> "store-key.reseal".equals(e.getString("action"))).toList();
        assertThat(reseals.stream().map(e -> e.getString("outcome")))
                .contains("ok", "precondition-failed", "precondition-required");
        assertThat(reseals.stream().filter(e -> "ok".equals(e.getString("outcome"))).map(JsonObject::encode))
                .anyMatch(e -> e.contains("resealed") && e.contains(current))
                .noneMatch(e -> e.contains(Postgres.SEALING_KEY) || e.contains("sealed by the old key"));
        JsonObject verified = json(admin.get("/api/v1/audit/verify"));
        assertThat(verified.getBoolean("ok")).as(verified.encode()).isTrue();
    }

    private List<String> jwksKids() {
        String jwks = Http.get("api.test", "/.gatehouse/jwks.json", null).body();
        return new JsonObject(jwks).getJsonArray("keys").stream().map(k -> ((JsonObject) k).getString("kid")).toList();
    }

    private String assertionAfterAllowedRequest() {
        HttpResponse<String> r = Http.get("api.test", "/", idp.validToken());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return upstream.last().header("X-Gatehouse-Assertion");
    }

    private String kidOfAssertion() {
        HttpResponse<String> r = Http.get("api.test", "/", idp.validToken());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String header = upstream.last().header("X-Gatehouse-Assertion").split("\\.")[0];
        return new JsonObject(new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8)).getString("kid");
    }
}
