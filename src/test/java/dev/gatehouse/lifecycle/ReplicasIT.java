package dev.gatehouse.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseProcess;
import dev.gatehouse.testing.Postgres;
import dev.gatehouse.testing.RecordingUpstream;
import dev.gatehouse.testing.TestIdp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three Gatehouse processes (the packaged jar) on one real PostgreSQL: A takes the admin writes, B
 * listens for change notices (LISTEN/NOTIFY) with the default 5 s check, C does not listen
 * ({@code gatehouse.store.listen=false}) and checks every second. What A writes, B enforces within
 * 1 s and C at its next check; B catches up after its listening connection is killed; every
 * replica publishes the same JWKS and an assertion signed by A verifies with B's.
 */
class ReplicasIT {
    private static Vertx vertx;
    private static TestIdp idp;
    private static RecordingUpstream upstream;
    private static String dbUrl;
    private static GatehouseProcess a;
    private static GatehouseProcess b;
    private static GatehouseProcess c;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        idp = TestIdp.start(vertx);
        upstream = RecordingUpstream.start(vertx);
        dbUrl = Postgres.freshDatabaseUrl();
        Path config = GatehouseProcess.openAppConfig(idp, upstream);
        List<String> store = List.of("gatehouse.store.url=" + dbUrl, "gatehouse.store.username=postgres",
                "gatehouse.store.key=" + Postgres.SEALING_KEY);
        a = GatehouseProcess.launch("replica-a", config, store);
        a.awaitReady(); // A creates the schema and the shared key; B and C find them
        b = GatehouseProcess.launch("replica-b", config, store);
        List<String> quiet = new ArrayList<>(store);
        quiet.addAll(List.of("gatehouse.store.listen=false", "gatehouse.store.check-interval=1s"));
        c = GatehouseProcess.launch("replica-c", config, quiet);
        b.awaitReady();
        c.awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        for (GatehouseProcess p : new GatehouseProcess[] {a, b, c}) {
            if (p != null) {
                p.close();
            }
        }
        if (vertx != null) {
            vertx.close();
        }
    }

    @Test
    void aWriteOnOneReplicaIsEnforcedByTheOthers() throws Exception {
        String app = "{\"host\": \"prop.test\", \"upstream\": \"" + upstream.url() + "\", \"idp\": \"test\", "
                + "\"policy\": {\"allow\": {\"groups\": {\"has\": \"%s\"}}}}";
        HttpResponse<String> created = write(a, "prop", app.formatted("engineering"), "If-None-Match", "*");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long took = awaitStatus(b, "prop.test", s -> s == 200, 5_000);
        assertThat(took).as("B enforces A's create (ms)").isLessThanOrEqualTo(1_000);

        HttpResponse<String> replaced = write(a, "prop", app.formatted("sales"), "If-Match", "\"1\"");
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        took = awaitStatus(b, "prop.test", s -> s == 403, 5_000);
        assertThat(took).as("B enforces A's replace (ms)").isLessThanOrEqualTo(1_000);
        HttpResponse<String> denied = GatehouseProcess.send(b.request("prop.test", "/", idp.validToken()).build());
        assertThat(new JsonObject(denied.body()).getString("reason")).isEqualTo("groups-unauthorized");
        for (GatehouseProcess p : new GatehouseProcess[] {a, b}) {
            assertThat(p.metric("gatehouse_policy_version{app=\"prop\"")).as("the store version, on every replica")
                    .isEqualTo(2.0);
        }

        // C hears nothing: its periodic check (every second) finds the change
        awaitStatus(c, "prop.test", s -> s == 403, 5_000);
        assertThat(c.metric("gatehouse_policy_version{app=\"prop\"")).isEqualTo(2.0);
        assertThat(Files.readString(c.log())).contains("were behind the store (found by the periodic check");
    }

    @Test
    void aReplicaWhoseListeningConnectionWasKilledCatchesUp() throws Exception {
        String app = "{\"host\": \"cut.test\", \"upstream\": \"" + upstream.url() + "\", \"idp\": \"test\", "
                + "\"policy\": {\"allow\": {\"accept\": true}}}";
        int killed;
        try (Connection db = Postgres.server().getPostgresDatabase().getConnection();
             Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                     + "WHERE application_name = 'gatehouse-listen' AND datname = '" + dbUrl.substring(dbUrl.lastIndexOf('/') + 1) + "'")) {
            rs.next();
            killed = rs.getInt(1);
        }
        assertThat(killed).as("the listening connections of A and B").isEqualTo(2);
        HttpResponse<String> created = write(a, "cut", app, "If-None-Match", "*");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        awaitStatus(b, "cut.test", st -> st == 200, 10_000);
        awaitStatus(c, "cut.test", st -> st == 200, 10_000);
        // and B listens again: the next write arrives as a notice, within a second
        HttpResponse<String> deleted = GatehouseProcess.send(a.request("admin.localhost", "/api/v1/apps/cut",
                idp.adminToken()).header("If-Match", "\"1\"").DELETE().build());
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(awaitStatus(b, "cut.test", st -> st == 404, 5_000)).isLessThanOrEqualTo(1_000);
    }

    @Test
    void everyReplicaSignsWithTheSameKeySwitchesWhenOneRotatesItAndDropsARetiredOne() throws Exception {
        String jwksA = GatehouseProcess.send(a.request("file.test", "/.gatehouse/jwks.json", null).build()).body();
        String jwksB = GatehouseProcess.send(b.request("file.test", "/.gatehouse/jwks.json", null).build()).body();
        String jwksC = GatehouseProcess.send(c.request("file.test", "/.gatehouse/jwks.json", null).build()).body();
        assertThat(new JsonObject(jwksA).getJsonArray("keys")).hasSize(1);
        assertThat(jwksB).isEqualTo(jwksA);
        assertThat(jwksC).isEqualTo(jwksA);

        HttpResponse<String> viaA = GatehouseProcess.send(a.request("file.test", "/signed", idp.validToken()).build());
        assertThat(viaA.statusCode()).isEqualTo(200);
        String assertion = upstream.received().stream().filter(r -> r.uri().equals("/signed")).reduce((x, y) -> y)
                .orElseThrow().header("X-Gatehouse-Assertion");
        JwtClaims claims = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwksB).getJsonWebKeys()))
                .setExpectedAudience("from-file")
                .setJwsAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.ConstraintType.PERMIT, "ES256")
                .setRequireExpirationTime()
                .build().processToClaims(assertion);
        assertThat(claims.getSubject()).isEqualTo("alice");
        // the private key is sealed in the store, never there in clear
        try (Connection db = Postgres.server().getDatabase("postgres", dbUrl.substring(dbUrl.lastIndexOf('/') + 1))
                .getConnection(); Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT sealed FROM cluster_keys")) {
            assertThat(rs.next()).isTrue();
            // sealed under the current sealing key, named by its id: v2:<key id>:<base64>
            assertThat(rs.getString(1)).matches("v2:[A-Za-z0-9_-]{8}:[A-Za-z0-9+/=]+").doesNotContain("PRIVATE KEY");
            assertThat(rs.next()).as("one key for all replicas").isFalse();
        }

        // an admin rotates on A: B and C sign with the new key at the notice; every JWKS keeps the old one
        String old = new JsonObject(jwksA).getJsonArray("keys").getJsonObject(0).getString("kid");
        HttpResponse<String> rotated = GatehouseProcess.send(a.request("admin.localhost", "/api/v1/assertion-keys/rotate",
                idp.adminToken()).header("If-Match", "\"1\"").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(201);
        String fresh = new JsonObject(rotated.body()).getString("signing");
        assertThat(fresh).isNotEqualTo(old);
        for (GatehouseProcess p : List.of(a, b, c)) {
            long deadline = System.currentTimeMillis() + 5_000;
            String kid = null;
            while (System.currentTimeMillis() < deadline && !fresh.equals(kid)) {
                GatehouseProcess.send(p.request("file.test", "/signed", idp.validToken()).build());
                String signed = upstream.received().stream().filter(r -> r.uri().equals("/signed"))
                        .reduce((x, y) -> y).orElseThrow().header("X-Gatehouse-Assertion");
                kid = new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(signed.split("\\.")[0]),
                        java.nio.charset.StandardCharsets.UTF_8)).getString("kid");
                Thread.sleep(fresh.equals(kid) ? 0 : 100);
            }
            assertThat(kid).as("the replica on port " + p.port() + " signs with the new key").isEqualTo(fresh);
            String jwks = GatehouseProcess.send(p.request("file.test", "/.gatehouse/jwks.json", null).build()).body();
            assertThat(new JsonObject(jwks).getJsonArray("keys").stream().map(k -> ((JsonObject) k).getString("kid")))
                    .containsExactlyInAnyOrder(fresh, old);
        }

        // an admin retires the old key on B: no replica publishes it any more, at the notice
        HttpResponse<String> retired = GatehouseProcess.send(b.request("admin.localhost", "/api/v1/assertion-keys/" + old,
                idp.adminToken()).header("If-Match", "\"2\"").DELETE().build());
        assertThat(retired.statusCode()).as(retired.body()).isEqualTo(200);
        for (GatehouseProcess p : List.of(a, b, c)) {
            long deadline = System.currentTimeMillis() + 5_000;
            List<String> kids = List.of();
            while (System.currentTimeMillis() < deadline && (kids.contains(old) || kids.isEmpty())) {
                String jwks = GatehouseProcess.send(p.request("file.test", "/.gatehouse/jwks.json", null).build()).body();
                kids = new JsonObject(jwks).getJsonArray("keys").stream().map(k -> ((JsonObject) k).getString("kid"))
                        .toList();
                Thread.sleep(kids.contains(old) ? 100 : 0);
            }
            assertThat(kids).as("the replica on port " + p.port() + " no longer publishes the retired key")
                    .containsExactly(fresh);
        }
    }

    static HttpResponse<String> write(GatehouseProcess p, String id, String body, String header, String value)
            throws Exception {
        return write(p, idp, id, body, header, value);
    }

    static HttpResponse<String> write(GatehouseProcess p, TestIdp idp, String id, String body, String header,
                                      String value) throws Exception {
        return GatehouseProcess.send(p.request("admin.localhost", "/api/v1/apps/" + id, idp.adminToken())
                .header("Content-Type", "application/json").header(header, value)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Polls until the replica answers a request to {@code host} as wanted; returns how long it took (ms). */
    static long awaitStatus(GatehouseProcess p, String host, IntPredicate wanted, long maxMillis) throws Exception {
        return awaitStatus(p, idp, host, wanted, maxMillis);
    }

    static long awaitStatus(GatehouseProcess p, TestIdp idp, String host, IntPredicate wanted, long maxMillis)
            throws Exception {
        long start = System.nanoTime();
        while (true) {
            int status = GatehouseProcess.send(p.request(host, "/", idp.validToken()).build()).statusCode();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            if (wanted.test(status)) {
                return ms;
            }
            assertThat(ms).as("%s answered %d for %s (see %s)", p, status, host, p.log()).isLessThan(maxMillis);
            Thread.sleep(5);
        }
    }
}
