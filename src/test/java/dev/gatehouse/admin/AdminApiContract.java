package dev.gatehouse.admin;

import static dev.gatehouse.testing.AdminClient.app;
import static dev.gatehouse.testing.AdminClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.AdminClient;
import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.RecordingUpstream;
import dev.gatehouse.testing.TestIdp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin API end to end through the proxy, on whichever store the subclass runs: writes apply
 * at once to the data plane, preconditions protect every write, invalid documents change nothing,
 * history, diff and rollback, and the config file's apps stay read-only.
 */
abstract class AdminApiContract {
    TestIdp idp;
    RecordingUpstream upstream;
    AdminClient admin;
    String id;
    String host;

    @BeforeEach
    void setUp() {
        idp = GatehouseTestResource.idp();
        upstream = GatehouseTestResource.upstream();
        upstream.reset();
        admin = new AdminClient(idp.adminToken());
        id = "app-" + UUID.randomUUID().toString().substring(0, 8);
        host = id + ".test";
    }

    String engineersOnly() {
        return app(host, upstream.url(), "{\"groups\": {\"has\": \"engineering\"}}");
    }

    String salesOnly() {
        return app(host, upstream.url(), "{\"groups\": {\"has\": \"sales\"}}");
    }

    @Test
    void aCreatedAppIsEnforcedAtOnce() {
        assertThat(Http.get(host, "/x", idp.validToken()).statusCode()).as("before: no such app").isEqualTo(404);
        HttpResponse<String> created = admin.create(id, engineersOnly());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.headers().firstValue("ETag")).hasValue("\"1\"");
        assertThat(json(created).getString("origin")).isEqualTo("api");
        assertThat(json(created).getLong("version")).isEqualTo(1);

        HttpResponse<String> allowed = Http.get(host, "/x", idp.validToken());
        assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
        assertThat(upstream.hits()).isEqualTo(1);
        Map<String, Object> sales = idp.engineer();
        sales.put("groups", List.of("sales"));
        HttpResponse<String> denied = Http.get(host, "/x", idp.sign(sales));
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(new JsonObject(denied.body()).getString("reason")).isEqualTo("groups-unauthorized");
        assertThat(upstream.hits()).isEqualTo(1);
        assertThat(Http.metricValue(Http.metrics(), "gatehouse_policy_version{app=\"" + id + "\""))
                .isEqualTo(1.0);

        HttpResponse<String> read = admin.get("/api/v1/apps/" + id);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValue("ETag")).hasValue("\"1\"");
        assertThat(json(read).getString("host")).isEqualTo(host);
        assertThat(json(read).getJsonObject("policy").encode()).contains("engineering");
    }

    @Test
    void everyWriteNeedsTheVersionItRead() {
        admin.create(id, engineersOnly());
        HttpResponse<String> again = admin.create(id, engineersOnly());
        assertThat(again.statusCode()).as("create of an existing app").isEqualTo(412);
        HttpResponse<String> none = admin.put("/api/v1/apps/" + id, salesOnly(), null, null);
        assertThat(none.statusCode()).isEqualTo(428);
        assertThat(none.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(none).getString("reason")).isEqualTo("precondition-required");
        HttpResponse<String> star = admin.put("/api/v1/apps/" + id, salesOnly(), "If-Match", "*");
        assertThat(star.statusCode()).isEqualTo(428);
        HttpResponse<String> replaced = admin.replace(id, salesOnly(), 1);
        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(200);
        assertThat(replaced.headers().firstValue("ETag")).hasValue("\"2\"");
        HttpResponse<String> stale = admin.replace(id, engineersOnly(), 1);
        assertThat(stale.statusCode()).isEqualTo(412);
        assertThat(json(stale).getString("reason")).isEqualTo("precondition-failed");
        assertThat(json(stale).getString("detail")).contains("version 2");
        assertThat(Http.get(host, "/", idp.validToken()).statusCode()).as("the replace is in force").isEqualTo(403);
        assertThat(Http.metricValue(Http.metrics(), "gatehouse_policy_version{app=\"" + id + "\"")).isEqualTo(2.0);
    }

    @Test
    void anInvalidAppChangesNothingAndListsEveryError() {
        admin.create(id, engineersOnly());
        String bad = "{\"host\": \"" + host + "\", \"upstream\": \"ftp://x\", \"idp\": \"nope\", \"colour\": 1, "
                + "\"policy\": {\"allow\": {\"and\": [{\"groups\": {\"has\": \"x\"}}, {\"device\": {\"compliantt\": true}}]}}}";
        HttpResponse<String> r = admin.replace(id, bad, 1);
        assertThat(r.statusCode()).isEqualTo(400);
        JsonArray errors = json(r).getJsonArray("errors");
        assertThat(errors.stream().map(e -> ((JsonObject) e).getString("path")).toList())
                .contains("upstream", "idp", "", "policy.allow.and[1].device");
        assertThat(r.body()).contains("unknown field 'compliantt'").contains("unknown field 'colour'");
        assertThat(json(admin.get("/api/v1/apps/" + id)).getLong("version")).as("nothing saved").isEqualTo(1);
        assertThat(Http.get(host, "/", idp.validToken()).statusCode()).as("proxy unchanged").isEqualTo(200);
        HttpResponse<String> check = admin.post("/api/v1/validate", bad.replace("{\"host\"", "{\"id\": \"v\", \"host\""), null);
        assertThat(check.statusCode()).isEqualTo(400);
        assertThat(json(check).getJsonArray("errors")).hasSize(errors.size());
        String good = engineersOnly().replace("{\"host\"", "{\"id\": \"other-" + id + "\", \"host\"")
                .replace(host, "other-" + host);
        assertThat(admin.post("/api/v1/validate", good, null).statusCode()).isEqualTo(200);
        assertThat(admin.get("/api/v1/apps/other-" + id).statusCode()).as("validate saves nothing").isEqualTo(404);
    }

    @Test
    void historyDiffAndRollback() {
        admin.create(id, engineersOnly());
        admin.replace(id, salesOnly(), 1);
        JsonArray versions = json(admin.get("/api/v1/apps/" + id + "/versions")).getJsonArray("items");
        assertThat(versions.stream().map(v -> ((JsonObject) v).getLong("version")).toList()).containsExactly(2L, 1L);
        JsonObject v1 = versions.getJsonObject(1);
        assertThat(v1.getJsonObject("author").getString("sub")).isEqualTo("root-admin");
        assertThat(v1.getJsonObject("author").getString("idp")).isEqualTo("test");
        assertThat(v1.getString("content_hash")).hasSize(64);
        assertThat(json(admin.get("/api/v1/apps/" + id + "/versions/1")).getJsonObject("document")
                .getJsonObject("policy").encode()).contains("engineering");

        JsonArray changes = json(admin.get("/api/v1/apps/" + id + "/diff?from=1&to=2")).getJsonArray("changes");
        assertThat(changes).hasSize(1);
        assertThat(changes.getJsonObject(0).getString("path")).isEqualTo("policy.allow.groups.has");
        assertThat(changes.getJsonObject(0).getString("op")).isEqualTo("changed");
        assertThat(changes.getJsonObject(0).getString("from")).isEqualTo("engineering");
        assertThat(changes.getJsonObject(0).getString("to")).isEqualTo("sales");

        assertThat(admin.post("/api/v1/apps/" + id + "/rollback", "{\"version\": 1}", null).statusCode()).isEqualTo(428);
        HttpResponse<String> back = admin.post("/api/v1/apps/" + id + "/rollback",
                "{\"version\": 1, \"comment\": \"sales broke it\"}", "\"2\"");
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        assertThat(back.headers().firstValue("ETag")).hasValue("\"3\"");
        assertThat(Http.get(host, "/", idp.validToken()).statusCode()).as("version 1's policy again").isEqualTo(200);
        JsonObject v3 = json(admin.get("/api/v1/apps/" + id + "/versions?limit=1")).getJsonArray("items")
                .getJsonObject(0);
        assertThat(v3.getString("comment")).isEqualTo("sales broke it");
        assertThat(v3.getString("content_hash")).isEqualTo(v1.getString("content_hash"));
        assertThat(json(admin.get("/api/v1/apps/" + id + "/diff?from=1&to=3")).getJsonArray("changes")).isEmpty();
    }

    @Test
    void deleteIsAVersionAndRollbackRevives() {
        admin.create(id, engineersOnly());
        assertThat(admin.delete("/api/v1/apps/" + id, null).statusCode()).isEqualTo(428);
        assertThat(admin.delete("/api/v1/apps/" + id, "\"7\"").statusCode()).isEqualTo(412);
        HttpResponse<String> gone = admin.delete("/api/v1/apps/" + id, "\"1\"");
        assertThat(gone.statusCode()).as(gone.body()).isEqualTo(200);
        assertThat(Http.get(host, "/", idp.validToken()).statusCode()).isEqualTo(404);
        assertThat(admin.get("/api/v1/apps/" + id).statusCode()).isEqualTo(404);
        assertThat(Http.metrics()).doesNotContain("app=\"" + id + "\"");
        assertThat(admin.post("/api/v1/apps/" + id + "/rollback", "{\"version\": 1}", "\"2\"").statusCode())
                .isEqualTo(200);
        assertThat(Http.get(host, "/", idp.validToken()).statusCode()).isEqualTo(200);
    }

    @Test
    void fileAppsAreReadOnlyAndKeepTheirRoutes() {
        HttpResponse<String> read = admin.get("/api/v1/apps/api");
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(json(read).getString("origin")).isEqualTo("file");
        assertThat(json(read).getString("host")).isEqualTo("api.test");
        HttpResponse<String> write = admin.replace("api", app("api.test", upstream.url(), "{\"accept\": true}"), 1);
        assertThat(write.statusCode()).isEqualTo(409);
        assertThat(json(write).getString("reason")).isEqualTo("origin-file");
        assertThat(admin.delete("/api/v1/apps/api", "\"1\"").statusCode()).isEqualTo(409);
        HttpResponse<String> steal = admin.create(id, app("api.test", upstream.url(), "{\"accept\": true}"));
        assertThat(steal.statusCode()).isEqualTo(409);
        assertThat(json(steal).getString("reason")).isEqualTo("route-taken");
        HttpResponse<String> adminHost = admin.create(id, app(AdminClient.HOST, upstream.url(), "{\"accept\": true}"));
        assertThat(adminHost.statusCode()).isEqualTo(400);
        assertThat(json(adminHost).getJsonArray("errors").getJsonObject(0).getString("path")).isEqualTo("host");
        JsonObject list = json(admin.get("/api/v1/apps?limit=500"));
        assertThat(list.getJsonArray("items").stream().map(i -> (JsonObject) i)
                .filter(i -> i.getString("id").equals("api")).findFirst().orElseThrow().getString("origin"))
                .isEqualTo("file");
    }

    @Test
    void listingPages() {
        for (int i = 0; i < 3; i++) {
            admin.create(id + "-" + i, app(i + "." + host, upstream.url(), "{\"accept\": true}"));
        }
        JsonObject first = json(admin.get("/api/v1/apps?limit=2"));
        assertThat(first.getJsonArray("items")).hasSize(2);
        String cursor = first.getString("next_cursor");
        int seen = 2;
        while (cursor != null) {
            JsonObject page = json(admin.get("/api/v1/apps?limit=2&cursor=" + cursor));
            seen += page.getJsonArray("items").size();
            cursor = page.getString("next_cursor");
        }
        assertThat(seen).isEqualTo(json(admin.get("/api/v1/apps?limit=500")).getJsonArray("items").size());
        assertThat(admin.get("/api/v1/apps?limit=0").statusCode()).isEqualTo(400);
        assertThat(admin.get("/api/v1/apps?cursor=%25%25").statusCode()).isEqualTo(400);
    }
}
