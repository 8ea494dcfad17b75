package dev.gatehouse.admin.console;

import static dev.gatehouse.testing.AdminClient.app;
import static dev.gatehouse.testing.AdminClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.admin.console.ConsoleBrowser.Page;
import dev.gatehouse.testing.AdminClient;
import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.TestIdp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's Try it page over HTTP, as a browser without JavaScript: the form's facts are
 * decided exactly as {@code POST /api/v1/apps/{id}/evaluate} decides them (compared here), with
 * the reasons and the per-criterion trace in words, against the live, the candidate or a typed policy.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class ConsoleTryItTest {
    TestIdp idp;
    AdminClient api;
    ConsoleBrowser admin;

    @BeforeEach
    void setUp() {
        idp = GatehouseTestResource.idp();
        api = new AdminClient(idp.adminToken());
        admin = new ConsoleBrowser(idp.adminToken());
    }

    /** An engineer's facts on a compliant laptop checked a minute ago. */
    static Map<String, String> engineer(String groups) {
        Map<String, String> f = new HashMap<>();
        f.put("sub", "alice");
        f.put("email", "alice@example.com");
        f.put("email-verified", "true");
        f.put("groups", groups);
        f.put("device-id", "laptop-1");
        f.put("compliant", "true");
        f.put("posture-at", Instant.now().minusSeconds(60).toString());
        f.put("method", "GET");
        f.put("path", "/reports");
        f.put("source", "192.0.2.7");
        return f;
    }

    private Page tryIt(String app, Map<String, String> typed) {
        Page form = admin.get("/console/apps/" + app + "/try");
        assertThat(form.status()).isEqualTo(200);
        return admin.submit(form.html().getElementById("try-form"), typed);
    }

    private static List<String> traceRow(Page page, String path) {
        Element row = page.html().select("#try-trace tbody tr").stream()
                .filter(tr -> tr.selectFirst("th code").text().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError("no trace row " + path + " in " + page.html().select("#try-trace")));
        return row.select("th, td").eachText();
    }

    @Test
    void theFormIsAccessibleAndLabelsEveryInput() {
        Page form = admin.get("/console/apps/api/try");
        assertThat(form.status()).isEqualTo(200);
        ConsoleBrowser.assertAccessible(form.html());
        Element f = form.html().getElementById("try-form");
        assertThat(f).isNotNull();
        assertThat(f.attr("method")).isEqualTo("post");
        assertThat(f.select("input:not([type=hidden]), select, textarea")).hasSizeGreaterThan(15);
        assertThat(form.html().getElementById("try-result")).isNotNull();
        assertThat(form.html().getElementById("try-result").text()).doesNotContain("Allowed", "Denied");
        assertThat(form.html().getElementById("f-path").attr("value")).isEqualTo("/");
        assertThat(form.html().getElementById("f-policy").wholeText()).contains("engineering");
        // no candidate: that choice is there but cannot be picked
        assertThat(form.html().getElementById("p-candidate").hasAttr("disabled")).isTrue();
        // reachable from the navigation of the app page
        assertThat(admin.get("/console/apps/api").html().select("a[href=/console/apps/api/try]")).isNotEmpty();
    }

    @Test
    void anAllowedRequestSaysAllowedWithTheTraceTheApiGives() {
        Page result = tryIt("api", engineer("engineering"));
        assertThat(result.status()).as(result.response().body()).isEqualTo(200);
        ConsoleBrowser.assertAccessible(result.html());
        Element region = result.html().getElementById("try-result");
        assertThat(region.attr("role")).isEqualTo("status");
        assertThat(region.select("h2").text()).contains("Allowed").doesNotContain("Denied");
        assertThat(region.text()).contains("the live policy");
        assertThat(traceRow(result, "allow.and")).contains("true");
        List<String> groups = traceRow(result, "allow.and[0].groups");
        assertThat(groups.get(1)).isEqualTo("true");
        assertThat(groups.get(3)).isEqualTo("groups [engineering] include engineering");
        assertThat(traceRow(result, "allow.and[1].device").get(3)).startsWith("device: compliant true");
        // the same facts through the API: the same decision
        JsonObject viaApi = json(api.post("/api/v1/apps/api/evaluate", "{\"identity\": {\"sub\": \"alice\", "
                + "\"groups\": [\"engineering\"]}, \"device\": {\"id\": \"laptop-1\", \"compliant\": true, "
                + "\"posture_at\": \"" + Instant.now().minusSeconds(60) + "\"}, \"request\": {\"path\": \"/reports\"}}", null));
        assertThat(viaApi.getString("decision")).isEqualTo("allow");
    }

    @Test
    void aDeniedRequestSaysDeniedWithItsReasonRemedyAndTheFailingCriterion() {
        Page result = tryIt("api", engineer("sales"));
        assertThat(result.status()).isEqualTo(200);
        Element region = result.html().getElementById("try-result");
        assertThat(region.select("h2").text()).contains("Denied").doesNotContain("Allowed");
        assertThat(region.text()).contains("at rule allow.and[0].groups");
        assertThat(region.select("ul.reasons li").first().text()).contains("groups-unauthorized",
                "You are not in a group that may use this app.", "What to do: Ask your administrator");
        List<String> groups = traceRow(result, "allow.and[0].groups");
        assertThat(groups.get(1)).isEqualTo("false");
        assertThat(groups.get(2)).isEqualTo("groups-unauthorized");
        assertThat(groups.get(3)).isEqualTo("groups [sales] do not include engineering");
    }

    @Test
    void anUnknownFactFailsClosedAsInTheApi() {
        Map<String, String> f = engineer("engineering");
        f.put("compliant", ""); // not known: not in the token
        Page result = tryIt("api", f);
        Element region = result.html().getElementById("try-result");
        assertThat(region.select("h2").text()).contains("Denied");
        List<String> device = traceRow(result, "allow.and[1].device");
        assertThat(device.get(1)).startsWith("unknown").contains("fails closed");
        JsonObject viaApi = json(api.post("/api/v1/apps/api/evaluate", "{\"identity\": {\"sub\": \"alice\", "
                + "\"groups\": [\"engineering\"]}, \"device\": {\"id\": \"laptop-1\", \"posture_at\": \""
                + Instant.now().minusSeconds(60) + "\"}}", null));
        assertThat(viaApi.getString("decision")).isEqualTo("deny");
        assertThat(region.select("ul.reasons li").first().text()).contains(
                viaApi.getJsonArray("reasons").getJsonObject(0).getString("code"));
        // a person not signed in at all: asked to sign in, which is a denial too
        Page anonymous = tryIt("api", Map.of("method", "GET"));
        assertThat(anonymous.html().getElementById("try-result").select("h2").text()).contains("Denied", "sign in");
    }

    @Test
    void aTypedPolicyIsTriedAndABrokenOneShowsItsErrorAtItsPath() {
        Map<String, String> f = engineer("sales");
        f.put("policy-source", "edited");
        f.put("policy", "allow:\n  groups: { has: sales }\n");
        Page allowed = tryIt("api", f);
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.html().getElementById("try-result").select("h2").text()).contains("Allowed");
        assertThat(allowed.html().getElementById("try-result").text()).contains("the policy typed here");
        assertThat(traceRow(allowed, "allow.groups").get(1)).isEqualTo("true");

        f.put("policy", "allow:\n  groups: { hass: sales }\n");
        Page broken = tryIt("api", f);
        assertThat(broken.status()).isEqualTo(400);
        ConsoleBrowser.assertAccessible(broken.html());
        JsonObject viaApi = json(api.post("/api/v1/apps/api/evaluate", "{\"policy\": {\"allow\": {\"groups\": "
                + "{\"hass\": \"sales\"}}}}", null));
        JsonObject error = viaApi.getJsonArray("errors").getJsonObject(0);
        String text = error.getString("path") + ": " + error.getString("message");
        assertThat(error.getString("path")).startsWith("policy.allow.groups");
        assertThat(broken.html().select(".error-summary li a").eachText()).contains(text);
        assertThat(broken.html().select(".error-summary li a").first().attr("href")).isEqualTo("#f-policy");
        assertThat(broken.html().select("#f-policy-err").text()).contains(text);
        assertThat(broken.html().getElementById("f-policy").attr("aria-invalid")).isEqualTo("true");
        assertThat(broken.html().getElementById("f-policy").attr("aria-describedby")).contains("f-policy-err");
        assertThat(broken.html().getElementById("try-result").text()).contains("not tried").doesNotContain("Allowed");

        // a fact the API refuses is shown at its field, with the API's path
        Map<String, String> bad = engineer("engineering");
        bad.put("source", "not-an-address");
        Page refused = tryIt("api", bad);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.html().select("#f-source-err").text())
                .contains("request.source_address: expected an IPv4 or IPv6 address");
        assertThat(refused.html().getElementById("f-source").attr("aria-invalid")).isEqualTo("true");
    }

    @Test
    void theCandidateCanBeTriedAndTheEditorOffersItsPolicy() {
        String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(api.create(id, app(id + ".test", GatehouseTestResource.upstream().url(),
                "{\"groups\": {\"has\": \"engineering\"}}")).statusCode()).isEqualTo(201);
        assertThat(api.put("/api/v1/apps/" + id + "/candidate", "{\"policy\": {\"allow\": {\"groups\": {\"has\": "
                + "\"sales\"}}}}", "If-None-Match", "*").statusCode()).isEqualTo(201);
        Map<String, String> f = engineer("sales");
        f.put("path", "/");
        f.put("policy-source", "candidate");
        Page result = tryIt(id, f);
        assertThat(result.html().getElementById("p-candidate").hasAttr("disabled")).isFalse();
        assertThat(result.html().getElementById("try-result").select("h2").text()).contains("Allowed");
        assertThat(result.html().getElementById("try-result").text()).contains("the candidate policy");
        f.put("policy-source", "live");
        assertThat(tryIt(id, f).html().getElementById("try-result").select("h2").text()).contains("Denied");

        // "Try this policy" in the editor: the Try it form with the editor's (unsaved) policy
        Page editor = admin.get("/console/apps/" + id);
        Element button = editor.html().getElementById("try-this-policy");
        assertThat(button.attr("formaction")).isEqualTo("/console/apps/" + id + "/try");
        Page prefilled = admin.post("/console/apps/" + id + "/try", ConsoleBrowser.fields(editor.form("/console/apps/"
                + id), Map.of("policy", "allow:\n  groups: { has: finance }\n", "action", "try-edited")),
                ConsoleBrowser.ORIGIN, null);
        assertThat(prefilled.status()).isEqualTo(200);
        assertThat(prefilled.html().getElementById("f-policy").wholeText()).contains("finance");
        assertThat(prefilled.html().getElementById("p-edited").hasAttr("checked")).isTrue();
        assertThat(prefilled.html().getElementById("try-result").text()).doesNotContain("Allowed", "Denied");
    }

    @Test
    void withHtmxTheAnswerIsSwappableAndCarriesItsErrorsInTheResultRegion() {
        Page form = admin.get("/console/apps/api/try");
        Element f = form.html().getElementById("try-form");
        assertThat(f.attr("hx-post")).isEqualTo("/console/apps/api/try");
        // the live region stays in the page; only its content is replaced, so screen readers announce it
        assertThat(f.attr("hx-select")).isEqualTo("#try-result-body");
        assertThat(f.attr("hx-target")).isEqualTo("#try-result");
        assertThat(f.attr("hx-swap")).isEqualTo("innerHTML");
        Map<String, String> bad = engineer("engineering");
        bad.put("method", "G E T");
        String body = ConsoleBrowser.fields(f, bad).entrySet().stream()
                .map(e -> java.net.URLEncoder.encode(e.getKey(), java.nio.charset.StandardCharsets.UTF_8) + "="
                        + java.net.URLEncoder.encode(e.getValue(), java.nio.charset.StandardCharsets.UTF_8))
                .collect(java.util.stream.Collectors.joining("&"));
        java.net.http.HttpResponse<String> r = dev.gatehouse.testing.Http.send(dev.gatehouse.testing.Http
                .to(AdminClient.HOST, "/console/apps/api/try").header("Authorization", "Bearer " + idp.adminToken())
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", ConsoleBrowser.ORIGIN)
                .header("HX-Request", "true").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(r.statusCode()).as("htmx swaps only 2xx answers").isEqualTo(200);
        Element region = org.jsoup.Jsoup.parse(r.body()).getElementById("try-result-body");
        assertThat(region.text()).contains("not tried", "request.method: expected an HTTP method such as GET");
        assertThat(region.selectFirst("a").attr("href")).isEqualTo("#f-method");
    }

    @Test
    void withoutTheFormTokenOrAsANonAdminNothingIsTried() {
        Page form = admin.get("/console/apps/api/try");
        Map<String, String> fields = ConsoleBrowser.fields(form.html().getElementById("try-form"), engineer("engineering"));
        fields.remove(FormGuard.TOKEN_FIELD);
        Page refused = admin.post("/console/apps/api/try", fields, ConsoleBrowser.ORIGIN, null);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.html().text()).contains("Nothing was changed").doesNotContain("Allowed");

        Map<String, Object> user = idp.engineer();
        user.put("realm_access", Map.of("roles", List.of("user")));
        ConsoleBrowser engineer = new ConsoleBrowser(idp.sign(user));
        assertThat(engineer.get("/console/apps/api/try").status()).isEqualTo(403);
        assertThat(engineer.post("/console/apps/api/try", Map.of("sub", "x"), ConsoleBrowser.ORIGIN, null).status())
                .isEqualTo(403);
        assertThat(admin.get("/console/apps/no-such-app/try").status()).isEqualTo(404);
    }
}
