package dev.gatehouse.lifecycle;

import static dev.gatehouse.lifecycle.ReplicasIT.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseProcess;
import dev.gatehouse.testing.Postgres;
import dev.gatehouse.testing.RecordingUpstream;
import dev.gatehouse.testing.TestIdp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The store stopped mid-run: two replicas on a PostgreSQL server of their own, the server stopped
 * (its processes end, connections drop) and started again on the same data directory. Meanwhile
 * requests keep being decided on both, readiness stays up and says the store is degraded, admin
 * writes and reads answer 503 and change nothing (the log says so once, not a stack trace per
 * request), and a third replica starts without the store (on
 * the file's apps). After the restart a write lands on A, B enforces it, and the third replica
 * picks up the store's apps and the shared signing key.
 */
class StoreOutageIT {

    @Test
    void requestsKeepFlowingWhileTheStoreIsDownAndEverythingRecovers() throws Exception {
        Vertx vertx = Vertx.vertx();
        TestIdp idp = TestIdp.start(vertx);
        RecordingUpstream upstream = RecordingUpstream.start(vertx);
        Path pgData = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "outage-pg-");
        int pgPort = GatehouseProcess.freePort();
        EmbeddedPostgres pg = startPostgres(pgData, pgPort);
        Path config = GatehouseProcess.openAppConfig(idp, upstream);
        List<String> store = List.of("gatehouse.store.url=jdbc:postgresql://localhost:" + pgPort + "/postgres",
                "gatehouse.store.username=postgres", "gatehouse.store.key=" + Postgres.SEALING_KEY,
                "gatehouse.store.check-interval=1s");
        GatehouseProcess a = GatehouseProcess.launch("outage-a", config, store).awaitReady();
        GatehouseProcess b = GatehouseProcess.launch("outage-b", config, store).awaitReady();
        GatehouseProcess late = null;
        try {
            String doc = "{\"host\": \"kept.test\", \"upstream\": \"" + upstream.url() + "\", \"idp\": \"test\", "
                    + "\"policy\": {\"allow\": {\"groups\": {\"has\": \"%s\"}}}}";
            assertThat(ReplicasIT.write(a, idp, "kept", doc.formatted("engineering"), "If-None-Match", "*").statusCode())
                    .isEqualTo(201);
            awaitStatus(b, idp, "kept.test", s -> s == 200, 5_000);
            String kid = new JsonObject(jwks(a)).getJsonArray("keys").getJsonObject(0).getString("kid");

            pg.close(); // pg_ctl stop: the server ends, every connection drops

            for (GatehouseProcess p : List.of(a, b)) {
                awaitDegraded(p);
                for (int i = 0; i < 20; i++) {
                    assertThat(GatehouseProcess.send(p.request("kept.test", "/", idp.validToken()).build()).statusCode())
                            .as("the API app is still enforced").isEqualTo(200);
                    assertThat(GatehouseProcess.send(p.request("file.test", "/", null).build()).statusCode())
                            .as("the file app too").isEqualTo(200);
                }
                assertThat(p.readiness()).as("the data plane stays ready").isEqualTo(200);
            }
            HttpResponse<String> refused = ReplicasIT.write(a, idp, "kept", doc.formatted("sales"), "If-Match", "\"1\"");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(new JsonObject(refused.body()).getString("reason")).isEqualTo("store-unavailable");
            HttpResponse<String> read = GatehouseProcess.send(a.request("admin.localhost", "/api/v1/apps/kept",
                    idp.adminToken()).build());
            assertThat(read.statusCode()).as("reads say 503 too").isEqualTo(503);
            for (int i = 0; i < 5; i++) {
                assertThat(GatehouseProcess.send(a.request("admin.localhost", "/api/v1/apps/kept",
                        idp.adminToken()).build()).statusCode()).isEqualTo(503);
            }
            assertOneOutageWarning(a);
            assertThat(GatehouseProcess.send(a.request("kept.test", "/", idp.validToken()).build()).statusCode())
                    .as("the refused write changed nothing").isEqualTo(200);

            // a replica that starts while the store is down serves the file's apps
            late = GatehouseProcess.launch("outage-late", config, store).awaitReady();
            assertThat(GatehouseProcess.send(late.request("file.test", "/", null).build()).statusCode()).isEqualTo(200);
            assertThat(GatehouseProcess.send(late.request("kept.test", "/", idp.validToken()).build()).statusCode())
                    .as("the store's apps are not known yet").isEqualTo(404);
            assertThat(late.management("/q/health/ready").body()).contains("its apps not loaded yet");

            pg = startPostgres(pgData, pgPort);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            HttpResponse<String> landed;
            do {
                Thread.sleep(200);
                landed = ReplicasIT.write(a, idp, "kept", doc.formatted("sales"), "If-Match", "\"1\"");
            } while (landed.statusCode() == 503 && System.nanoTime() < deadline);
            assertThat(landed.statusCode()).as("a write lands once the store is back: %s", landed.body()).isEqualTo(200);
            for (GatehouseProcess p : List.of(a, b, late)) {
                awaitStatus(p, idp, "kept.test", s -> s == 403, 10_000);
                assertThat(p.metric("gatehouse_policy_version{app=\"kept\"")).isEqualTo(2.0);
                awaitReadiness(p, "\"store\":\"ok\"");
            }
            assertThat(jwks(late)).as("the late replica switched to the shared key").contains(kid);
            HttpResponse<String> verify = GatehouseProcess.send(a.request("admin.localhost", "/api/v1/audit/verify",
                    idp.adminToken()).build());
            assertThat(new JsonObject(verify.body()).getBoolean("ok")).isTrue();
        } finally {
            for (GatehouseProcess p : new GatehouseProcess[] {a, b, late}) {
                if (p != null) {
                    p.close();
                }
            }
            pg.close();
            vertx.close();
        }
    }

    /**
     * Seven admin requests met the dead store on A: its log has one warning for the outage (the
     * stack traces are at DEBUG, which is off). Waits up to 5 s for the line: the log is written
     * asynchronously.
     */
    private static void assertOneOutageWarning(GatehouseProcess p) throws Exception {
        String marker = "the store is unavailable since";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        String log = Files.readString(p.log());
        while (!log.contains(marker) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            log = Files.readString(p.log());
        }
        long warnings = log.lines().filter(l -> l.contains(marker)).count();
        assertThat(warnings).as("outage warnings in %s", p.log()).isEqualTo(1);
        assertThat(log.lines().filter(l -> l.matches(".*request [0-9a-f]+: store unavailable.*")))
                .as("no line (and stack trace) per admin request in %s", p.log()).isEmpty();
    }

    private static EmbeddedPostgres startPostgres(Path dir, int port) throws Exception {
        return EmbeddedPostgres.builder().setDataDirectory(dir).setCleanDataDirectory(false).setPort(port)
                .setRegisterShutdownHook(true).start();
    }

    private static String jwks(GatehouseProcess p) throws Exception {
        return GatehouseProcess.send(p.request("file.test", "/.gatehouse/jwks.json", null).build()).body();
    }

    private static void awaitDegraded(GatehouseProcess p) throws Exception {
        awaitReadiness(p, "\"store\":\"degraded since");
    }

    private static void awaitReadiness(GatehouseProcess p, String fragment) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String body;
        do {
            body = p.management("/q/health/ready").body().replace(" ", "");
            if (body.contains(fragment.replace(" ", ""))) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        assertThat(body).as("readiness of %s", p.log()).contains(fragment.replace(" ", ""));
    }
}
