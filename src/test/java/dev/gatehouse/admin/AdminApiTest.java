package dev.gatehouse.admin;

import static dev.gatehouse.testing.AdminClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** {@link AdminApiContract} on the embedded default store (an H2 file in a fresh data directory). */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class AdminApiTest extends AdminApiContract {

    @Test
    void theOpenApiDocumentIsOnTheManagementPortOnly() {
        HttpResponse<String> doc = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + Http.managementPort() + "/q/openapi?format=json")).build());
        assertThat(doc.statusCode()).isEqualTo(200);
        assertThat(doc.body()).contains("/api/v1/apps/{id}", "/api/v1/apps/{id}/rollback", "/api/v1/audit/verify");
        HttpResponse<String> ui = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + Http.managementPort() + "/q/swagger-ui/")).build());
        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(Http.get("admin.localhost", "/q/openapi", idp.adminToken()).statusCode()).isEqualTo(404);
        assertThat(Http.get("admin.localhost", "/q/swagger-ui/", idp.adminToken()).statusCode()).isEqualTo(404);
        assertThat(Http.get("api.test", "/q/openapi", null).statusCode()).isIn(401, 403, 404);
    }

    @Test
    void theAssertionKeyOfTheEmbeddedStoreIsAFileAndIsNotRotatedThroughTheApi() {
        HttpResponse<String> keys = admin.get("/api/v1/assertion-keys");
        assertThat(keys.statusCode()).as(keys.body()).isEqualTo(200);
        assertThat(json(keys).getBoolean("rotatable")).isFalse();
        String signing = json(keys).getString("signing");
        assertThat(signing).isNotBlank();
        HttpResponse<String> refused = admin.post("/api/v1/assertion-keys/rotate", "", "\"1\"");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(json(refused).getString("reason")).isEqualTo("rotation-unavailable");
        assertThat(json(refused).getString("detail")).contains("key file", "PostgreSQL");
        assertThat(json(admin.get("/api/v1/assertion-keys")).getString("signing")).isEqualTo(signing);
        assertThat(json(admin.get("/api/v1/audit?actor=root-admin&limit=200")).getJsonArray("items").stream()
                .map(o -> (JsonObject) o).filter(e -> "assertion-key.rotate".equals(e.getString("action")))
                .map(e -> e.getString("outcome"))).contains("rotation-unavailable");
        HttpResponse<String> notRetired = admin.delete("/api/v1/assertion-keys/" + signing, "\"1\"");
        assertThat(notRetired.statusCode()).as(notRetired.body()).isEqualTo(409);
        assertThat(json(notRetired).getString("reason")).isEqualTo("rotation-unavailable");
        assertThat(json(admin.get("/api/v1/assertion-keys")).getString("signing")).isEqualTo(signing);
    }

    @Test
    void nothingIsSealedWithAStoreKeyOnTheEmbeddedStoreSoThereIsNothingToReseal() {
        HttpResponse<String> state = admin.get("/api/v1/store-key");
        assertThat(state.statusCode()).as(state.body()).isEqualTo(200);
        assertThat(json(state).getBoolean("available")).isFalse();
        assertThat(state.headers().firstValue("ETag")).isEmpty();
        HttpResponse<String> refused = admin.post("/api/v1/store-key/reseal", "", "\"AAAAAAAA\"");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(json(refused).getString("reason")).isEqualTo("reseal-unavailable");
        assertThat(json(admin.get("/api/v1/audit?actor=root-admin&limit=200")).getJsonArray("items").stream()
                .map(o -> (JsonObject) o).filter(e -> "store-key.reseal".equals(e.getString("action")))
                .map(e -> e.getString("outcome"))).contains("reseal-unavailable");
    }
}
