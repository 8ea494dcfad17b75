package dev.gatehouse.admin.console;

import static dev.gatehouse.testing.AdminClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.admin.console.ConsoleBrowser.Page;
import dev.gatehouse.testing.AdminClient;
import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.PostgresStoreResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/**
 * The console's signing keys page on the shared store (PostgreSQL): rotating from the page makes a
 * new key sign, retiring an older one after a confirmation takes it out of the JWKS, and a form
 * shown before someone else's change is refused rather than acting on a key set it did not show.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
@QuarkusTestResource(value = PostgresStoreResource.class, restrictToAnnotatedClass = true)
class ConsoleKeysPostgresTest {

    @Test
    void anAdminRotatesAndRetiresFromTheConsole() {
        AdminClient api = new AdminClient(GatehouseTestResource.idp().adminToken());
        ConsoleBrowser admin = new ConsoleBrowser(GatehouseTestResource.idp().adminToken());
        Page page = admin.get("/console/keys");
        assertThat(page.status()).isEqualTo(200);
        ConsoleBrowser.assertAccessible(page.html());
        assertThat(page.html().select("nav a[href=/console/keys]").attr("aria-current")).isEqualTo("page");
        String old = json(api.get("/api/v1/assertion-keys")).getString("signing");
        assertThat(page.html().getElementById("keys").text()).contains(old);
        Element rotateForm = page.form("/console/keys/rotate");

        Page rotated = admin.submit(rotateForm, Map.of());
        assertThat(rotated.status()).as(rotated.response().body()).isEqualTo(303);
        JsonObject after = json(api.get("/api/v1/assertion-keys"));
        String fresh = after.getString("signing");
        assertThat(fresh).isNotEqualTo(old);
        assertThat(rotated.location()).endsWith("/console/keys?rotated=" + fresh);
        Page shown = admin.get(rotated.location().replace(ConsoleBrowser.ORIGIN, ""));
        assertThat(shown.html().select("p.notice").text()).contains(fresh);

        Page stale = admin.submit(rotateForm, Map.of());
        assertThat(stale.status()).as("a form from before the rotation").isEqualTo(412);
        assertThat(stale.html().select("h1").text()).isNotBlank();
        assertThat(json(api.get("/api/v1/assertion-keys")).getString("signing")).as("nothing changed").isEqualTo(fresh);

        Element retireLink = shown.html().select("#keys a[href=/console/keys/" + old + "/retire]").first();
        assertThat(retireLink).as("the older key can be retired").isNotNull();
        assertThat(shown.html().select("#keys a[href=/console/keys/" + fresh + "/retire]")).as("not the signer").isEmpty();
        Page confirm = admin.get("/console/keys/" + old + "/retire");
        assertThat(confirm.status()).isEqualTo(200);
        ConsoleBrowser.assertAccessible(confirm.html());
        assertThat(admin.get("/console/keys/" + fresh + "/retire").status()).as("the signer has no retire page")
                .isEqualTo(404);
        Page retired = admin.submit(confirm.form("/retire"), Map.of());
        assertThat(retired.status()).as(retired.response().body()).isEqualTo(303);
        assertThat(retired.location()).endsWith("/console/keys?retired=" + old);
        List<String> jwks = new JsonObject(Http.get("api.test", "/.gatehouse/jwks.json", null).body()).getJsonArray("keys")
                .stream().map(k -> ((JsonObject) k).getString("kid")).toList();
        assertThat(jwks).contains(fresh).doesNotContain(old);
        assertThat(admin.get("/console/keys").html().getElementById("keys").text()).doesNotContain(old);
    }
}
