package dev.gatehouse.admin;

import static dev.gatehouse.testing.AdminClient.app;
import static dev.gatehouse.testing.AdminClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.AdminClient;
import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile admin input: oversized and endless bodies, deep nesting, unknown fields, wrong types,
 * broken JSON, injection attempts in ids and comments. Each is 400/413/415 and stores nothing; the
 * store keeps working and its audit log verifies.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class HostileAdminInputTest {
    AdminClient admin;
    String id;
    String host;
    String upstream;

    @BeforeEach
    void setUp() {
        admin = new AdminClient(GatehouseTestResource.idp().adminToken());
        id = "app-" + UUID.randomUUID().toString().substring(0, 8);
        host = id + ".test";
        upstream = GatehouseTestResource.upstream().url();
    }

    private void assertNothingStored() {
        assertThat(admin.get("/api/v1/apps/" + id).statusCode()).isEqualTo(404);
        assertThat(admin.get("/api/v1/apps/" + id + "/versions").statusCode()).isEqualTo(404);
    }

    @Test
    void oversizedBodiesAre413ByLengthAndByChunks() {
        String big = "{\"host\": \"" + host + "\", \"x\": \"" + "a".repeat(300 * 1024) + "\"}";
        HttpResponse<String> sized = admin.create(id, big);
        assertThat(sized.statusCode()).isEqualTo(413);
        assertThat(json(sized).getString("reason")).isEqualTo("body-too-large");
        HttpResponse<String> chunked = Http.send(admin.builder("/api/v1/apps/" + id)
                .header("Content-Type", "application/json").header("If-None-Match", "*")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes()))).build());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(json(chunked).getString("reason")).as("problem+json from the API").isEqualTo("body-too-large");
        assertNothingStored();
    }

    @Test
    void brokenDeepOrMistypedJsonIs400() {
        String deep = "{\"host\": \"" + host + "\", \"policy\": " + "{\"allow\": ".repeat(200) + "{}" + "}".repeat(200) + "}";
        String[] bad = {
            deep,
            "{\"host\": ",
            "[1, 2]",
            "{\"host\": \"" + host + "\", \"host\": \"evil.test\", \"upstream\": \"" + upstream + "\", \"idp\": \"test\"}",
            "{\"host\": 5, \"upstream\": [\"" + upstream + "\"], \"idp\": {\"id\": \"test\"}, \"timeout\": true}",
            app(host, upstream, "{\"accept\": true}").replace("{\"host\"", "{\"evil\": 1, \"host\""),
            app(host, upstream, "{\"accept\": true}") + "{}",
        };
        for (String body : bad) {
            HttpResponse<String> r = admin.create(id, body);
            assertThat(r.statusCode()).as(body.length() > 200 ? body.substring(0, 200) : body).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        HttpResponse<String> types = admin.create(id, bad[4]);
        assertThat(json(types).getJsonArray("errors").size()).as(types.body()).isGreaterThanOrEqualTo(4);
        HttpResponse<String> text = Http.send(admin.builder("/api/v1/apps/" + id).header("If-None-Match", "*")
                .header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString("{}")).build());
        assertThat(text.statusCode()).isEqualTo(415);
        assertNothingStored();
    }

    @Test
    void injectionInIdsIsRefusedAndInCommentsIsJustText() {
        String[] ids = {"x%27%20OR%20%271%27%3D%271", "x%22%3B%20DROP%20TABLE%20app_versions%3B--", "UPPER",
            "a".repeat(64), "-dash", "%2e%2e"};
        for (String evil : ids) {
            HttpResponse<String> r = admin.create(evil, app(host, upstream, "{\"accept\": true}"));
            assertThat(r.statusCode()).as(evil).isEqualTo(400);
        }
        String comment = "'); DROP TABLE app_versions; DELETE FROM audit_log; --";
        HttpResponse<String> withComment = admin.create(id, app(host, upstream, "{\"accept\": true}")
                .replace("{\"host\"", "{\"comment\": \"" + comment + "\", \"host\""));
        assertThat(withComment.statusCode()).as(withComment.body()).isEqualTo(201);
        assertThat(json(admin.get("/api/v1/apps/" + id + "/versions")).getJsonArray("items").getJsonObject(0)
                .getString("comment")).as("stored as data, verbatim").isEqualTo(comment);
        String other = "c" + id;
        HttpResponse<String> tooLong = admin.create(other, app("c" + host, upstream, "{\"accept\": true}")
                .replace("{\"host\"", "{\"comment\": \"" + "x".repeat(1001) + "\", \"host\""));
        assertThat(tooLong.statusCode()).isEqualTo(400);
        HttpResponse<String> control = admin.create(other, app("c" + host, upstream, "{\"accept\": true}")
                .replace("{\"host\"", "{\"comment\": \"a\\u0000b\", \"host\""));
        assertThat(control.statusCode()).isEqualTo(400);
        assertThat(admin.get("/api/v1/apps/" + other).statusCode()).isEqualTo(404);
        assertThat(json(admin.get("/api/v1/audit/verify")).getBoolean("ok")).isTrue();
    }
}
