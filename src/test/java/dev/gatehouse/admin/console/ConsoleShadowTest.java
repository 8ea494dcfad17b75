package dev.gatehouse.admin.console;

import static dev.gatehouse.testing.AdminClient.app;
import static dev.gatehouse.testing.AdminClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.admin.console.ConsoleBrowser.Page;
import dev.gatehouse.testing.AdminClient;
import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.RecordingUpstream;
import dev.gatehouse.testing.TestIdp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's shadow mode page over HTTP: a candidate attached through the form is checked and
 * stored as {@code PUT /api/v1/apps/{id}/candidate} does it, real requests' disagreements show up
 * (the count and the recent ones), and promotion after a confirmation makes a new live version.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class ConsoleShadowTest {
    TestIdp idp;
    RecordingUpstream upstream;
    AdminClient api;
    ConsoleBrowser admin;
    String id;

    @BeforeEach
    void setUp() {
        idp = GatehouseTestResource.idp();
        upstream = GatehouseTestResource.upstream();
        api = new AdminClient(idp.adminToken());
        admin = new ConsoleBrowser(idp.adminToken());
        id = "s-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(api.create(id, app(id + ".test", upstream.url(), "{\"groups\": {\"has\": \"engineering\"}}"))
                .statusCode()).isEqualTo(201);
    }

    private String tokenIn(String group) {
        Map<String, Object> claims = idp.engineer();
        claims.put("groups", List.of(group));
        return idp.sign(claims);
    }

    private Page shadow() {
        Page page = admin.get("/console/apps/" + id + "/shadow");
        assertThat(page.status()).isEqualTo(200);
        return page;
    }

    private Page attach(String policy) {
        return admin.submit(shadow().html().getElementById("shadow-form"), Map.of("policy", policy, "comment",
                "sales take over", "action", "save"));
    }

    private long appVersion() {
        return json(api.get("/api/v1/apps/" + id)).getLong("version");
    }

    @Test
    void aBrokenCandidateShowsItsErrorAtItsPathAndNothingIsStored() {
        Page empty = shadow();
        ConsoleBrowser.assertAccessible(empty.html());
        assertThat(empty.html().select("h2#candidate-title").text()).isEqualTo("No candidate");
        assertThat(empty.html().getElementById("shadow-disagreements").text()).isEqualTo("0");
        assertThat(empty.html().getElementById("shadow-promote")).isNull();
        assertThat(empty.html().getElementById("f-policy").wholeText()).as("starts from the live policy")
                .contains("engineering");
        assertThat(admin.get("/console/apps/" + id).html().select("a[href=/console/apps/" + id + "/shadow]")).isNotEmpty();

        Page broken = attach("allow:\n  groups: { hass: sales }\n");
        assertThat(broken.status()).isEqualTo(400);
        ConsoleBrowser.assertAccessible(broken.html());
        HttpResponse<String> viaApi = api.put("/api/v1/apps/" + id + "/candidate", "{\"policy\": {\"allow\": "
                + "{\"groups\": {\"hass\": \"sales\"}}}}", "If-None-Match", "*");
        assertThat(viaApi.statusCode()).isEqualTo(400);
        JsonObject e = json(viaApi).getJsonArray("errors").getJsonObject(0);
        String text = e.getString("path") + ": " + e.getString("message");
        assertThat(e.getString("path")).isEqualTo("policy.allow.groups");
        assertThat(broken.html().select(".error-summary li a").eachText()).contains(text);
        assertThat(broken.html().select(".error-summary li a").first().attr("href")).isEqualTo("#f-policy");
        assertThat(broken.html().select("#f-policy-err").text()).contains(text);
        assertThat(broken.html().getElementById("f-policy").attr("aria-invalid")).isEqualTo("true");
        assertThat(broken.html().getElementById("f-policy").wholeText()).contains("hass");
        // "check without saving" finds the same, and passes a good one
        Page checked = admin.submit(broken.html().getElementById("shadow-form"), Map.of("action", "check"));
        assertThat(checked.html().select("#f-policy-err").text()).contains(text);
        Page fine = admin.submit(checked.html().getElementById("shadow-form"), Map.of("policy",
                "allow:\n  groups: { has: sales }\n", "action", "check"));
        assertThat(fine.status()).isEqualTo(200);
        assertThat(fine.html().select("[role=status]").text()).contains("No problems found");
        assertThat(api.get("/api/v1/apps/" + id + "/candidate").statusCode()).as("nothing stored").isEqualTo(404);
        // audited like the API's refusal: candidate.set, invalid-policy, twice (console and API)
        JsonArray audit = json(api.get("/api/v1/audit?app=" + id)).getJsonArray("items");
        assertThat(audit.stream().map(o -> ((JsonObject) o).getString("action") + "/" + ((JsonObject) o)
                .getString("outcome"))).containsExactly("candidate.set/invalid-policy", "candidate.set/invalid-policy",
                "app.create/ok");
    }

    @Test
    void disagreementsOnRealTrafficShowAndPromotionMakesTheCandidateLive() {
        Page saved = attach("allow:\n  groups: { has: sales }\n");
        assertThat(saved.status()).as(saved.response().body()).isEqualTo(303);
        assertThat(saved.location()).endsWith("/console/apps/" + id + "/shadow?saved=1");
        assertThat(json(api.get("/api/v1/apps/" + id + "/candidate")).getString("comment")).isEqualTo("sales take over");

        // real traffic: the live policy decides; the candidate disagrees twice
        assertThat(Http.get(id + ".test", "/one", tokenIn("engineering")).statusCode()).isEqualTo(200);
        assertThat(Http.get(id + ".test", "/two", tokenIn("sales")).statusCode()).isEqualTo(403);
        assertThat(Http.get(id + ".test", "/three", tokenIn("hr")).statusCode()).isEqualTo(403);

        Page page = admin.get(saved.location().replace(ConsoleBrowser.ORIGIN, ""));
        ConsoleBrowser.assertAccessible(page.html());
        assertThat(page.html().select("[role=status]").text()).contains("Candidate saved as version 1");
        assertThat(page.html().select("h2#candidate-title").text()).contains("version 1");
        assertThat(page.html().getElementById("shadow-disagreements").text()).isEqualTo("2");
        assertThat(page.html().getElementById("shadow-evaluated").text()).isEqualTo("3");
        assertThat(page.html().text()).contains("this replica");
        List<String> recent = page.html().select("#shadow-recent tbody tr").eachText();
        assertThat(recent).hasSize(2);
        assertThat(recent.get(0)).contains("GET /two", "alice", "denied", "allowed");
        assertThat(recent.get(1)).contains("GET /one", "allowed", "denied", "groups-unauthorized");
        assertThat(page.html().select("#shadow-recent caption").text()).contains("this replica");

        // promote: a confirmation with what changes, then a new live version
        Element promote = page.html().getElementById("shadow-promote");
        assertThat(promote).isNotNull();
        Page confirm = admin.get(promote.closest("form").attr("action"));
        assertThat(confirm.status()).isEqualTo(200);
        ConsoleBrowser.assertAccessible(confirm.html());
        assertThat(confirm.html().select("table.diff tbody tr").eachText())
                .anyMatch(r -> r.contains("policy.allow.groups.has") && r.contains("engineering") && r.contains("sales"));
        assertThat(appVersion()).as("the confirmation changes nothing").isEqualTo(1);
        Page promoted = admin.submit(confirm.form("/shadow/promote"), Map.of("comment", "shadow looked right"));
        assertThat(promoted.status()).as(promoted.response().body()).isEqualTo(303);
        assertThat(promoted.location()).endsWith("?promoted=2");
        assertThat(appVersion()).isEqualTo(2);
        assertThat(json(api.get("/api/v1/apps/" + id)).getJsonObject("policy").encode()).contains("sales")
                .doesNotContain("engineering");
        assertThat(api.get("/api/v1/apps/" + id + "/candidate").statusCode()).isEqualTo(404);
        assertThat(Http.get(id + ".test", "/", tokenIn("sales")).statusCode()).as("live now").isEqualTo(200);
        Page after = admin.get(promoted.location().replace(ConsoleBrowser.ORIGIN, ""));
        assertThat(after.html().select("[role=status]").text()).contains("Promoted", "app version 2");
        JsonArray audit = json(api.get("/api/v1/audit?app=" + id)).getJsonArray("items");
        assertThat(audit.stream().map(o -> ((JsonObject) o).getString("action") + "/" + ((JsonObject) o)
                .getString("outcome"))).containsExactly("app.promote/ok", "candidate.set/ok", "app.create/ok");
        assertThat(audit.getJsonObject(0).getJsonObject("actor").getString("sub")).isEqualTo("root-admin");
    }

    @Test
    void aStalePromotionIsRefusedAndDiscardRemovesTheCandidate() {
        assertThat(attach("allow:\n  groups: { has: sales }\n").status()).isEqualTo(303);
        Page confirm = admin.get("/console/apps/" + id + "/shadow/promote");
        // someone saves the app meanwhile: the confirmation's If-Match is stale
        assertThat(api.replace(id, app(id + ".test", upstream.url(), "{\"groups\": {\"has\": \"finance\"}}"), 1)
                .statusCode()).isEqualTo(200);
        Page stale = admin.submit(confirm.form("/shadow/promote"), Map.of());
        assertThat(stale.status()).isEqualTo(409);
        assertThat(stale.html().text()).contains("Nothing was promoted");
        assertThat(appVersion()).isEqualTo(2);

        // replace, then discard: the form carries the candidate version (If-Match)
        Page replaced = admin.submit(shadow().html().getElementById("shadow-form"), Map.of("policy",
                "allow:\n  groups: { has: hr }\n", "action", "save"));
        assertThat(replaced.location()).endsWith("?saved=2");
        Page page = shadow();
        assertThat(page.html().select("pre.yaml").text()).contains("hr");
        // the button leads to a confirmation that names the version and shows the policy; nothing changes yet
        Page confirmDiscard = admin.get("/console/apps/" + id + "/shadow/discard");
        assertThat(page.html().getElementById("shadow-discard").closest("form").attr("method")).isEqualTo("get");
        assertThat(confirmDiscard.status()).isEqualTo(200);
        assertThat(confirmDiscard.html().select("pre.yaml").text()).contains("hr");
        assertThat(confirmDiscard.html().getElementById("discard-confirm").text()).contains("version 2");
        assertThat(api.get("/api/v1/apps/" + id + "/candidate").statusCode()).isEqualTo(200);
        Page discarded = admin.submit(confirmDiscard.html().getElementById("discard-confirm").closest("form"), Map.of());
        assertThat(discarded.status()).isEqualTo(303);
        assertThat(api.get("/api/v1/apps/" + id + "/candidate").statusCode()).isEqualTo(404);
        assertThat(admin.get(discarded.location().replace(ConsoleBrowser.ORIGIN, "")).html()
                .select("[role=status]").text()).contains("discarded");
        assertThat(admin.get("/console/apps/" + id + "/shadow/discard").status()).as("nothing left to discard").isEqualTo(404);

        // without the form token: refused, nothing stored
        Map<String, String> fields = ConsoleBrowser.fields(shadow().html().getElementById("shadow-form"),
                Map.of("policy", "allow:\n  groups: { has: hr }\n", "action", "save"));
        fields.remove(FormGuard.TOKEN_FIELD);
        assertThat(admin.post("/console/apps/" + id + "/shadow", fields, ConsoleBrowser.ORIGIN, null).status())
                .isEqualTo(403);
        assertThat(api.get("/api/v1/apps/" + id + "/candidate").statusCode()).isEqualTo(404);
        Map<String, Object> user = idp.engineer();
        user.put("realm_access", Map.of("roles", List.of("user")));
        assertThat(new ConsoleBrowser(idp.sign(user)).get("/console/apps/" + id + "/shadow").status()).isEqualTo(403);
    }
}
