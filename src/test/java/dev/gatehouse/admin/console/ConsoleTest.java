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
 * The admin console walked page by page over HTTP, as a browser without JavaScript would, with
 * an admin's bearer token: every page shows its data, every form works, writes are checked,
 * saved and audited exactly as the API's, and the pages keep their accessible structure.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class ConsoleTest {
    private static final String GOOD_POLICY = "allow:\n  and:\n    - groups: { has: engineering }\n"
            + "    - device: { compliant: true }\n";
    private static final String BROKEN_POLICY = "allow:\n  and:\n    - groups: { has: engineering }\n"
            + "    - device: { compliantt: true }\n";

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
        id = "c-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private Page create(String policy) {
        Page form = admin.get("/console/new");
        assertThat(form.status()).isEqualTo(200);
        return admin.submit(form.form("/console/new"), Map.of("id", id, "host", id + ".test", "upstream",
                upstream.url(), "idp", "test", "policy", policy, "comment", "first", "action", "save"));
    }

    private long apiVersion() {
        HttpResponse<String> r = api.get("/api/v1/apps/" + id);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r).getLong("version");
    }

    @Test
    void createBreakFixDiffAndRollBack() {
        Page created = create(GOOD_POLICY);
        assertThat(created.status()).as(created.response().body()).isEqualTo(303);
        assertThat(created.location()).endsWith("/console/apps/" + id + "?saved=1");
        assertThat(json(api.get("/api/v1/apps/" + id)).getJsonObject("policy").encode()).contains("engineering");

        Page edit = admin.get("/console/apps/" + id + "?saved=1");
        assertThat(edit.status()).isEqualTo(200);
        assertThat(edit.html().select("[role=status]").text()).contains("Saved as version 1");
        assertThat(edit.html().getElementById("f-host").attr("value")).isEqualTo(id + ".test");
        assertThat(edit.html().getElementById("f-policy").wholeText()).contains("compliant: true");
        ConsoleBrowser.assertAccessible(edit.html());

        // break it: the error is at its path, as POST /api/v1/validate reports it, and nothing is saved
        Element form = edit.form("/console/apps/" + id);
        Page broken = admin.submit(form, Map.of("policy", BROKEN_POLICY, "action", "save"));
        assertThat(broken.status()).isEqualTo(400);
        JsonObject validate = json(api.post("/api/v1/validate", "{\"id\": \"" + id + "\", \"host\": \"" + id
                + ".test\", \"upstream\": \"" + upstream.url() + "\", \"idp\": \"test\", \"policy\": {\"allow\": "
                + "{\"and\": [{\"groups\": {\"has\": \"engineering\"}}, {\"device\": {\"compliantt\": true}}]}}}", null));
        JsonArray expected = validate.getJsonArray("errors");
        assertThat(expected).isNotEmpty();
        List<String> summary = broken.html().select(".error-summary li a").eachText();
        for (Object o : expected) {
            JsonObject e = (JsonObject) o;
            String text = e.getString("path") + ": " + e.getString("message");
            assertThat(summary).contains(text);
            assertThat(broken.html().select("#f-policy-err").text()).contains(text);
        }
        assertThat(summary).anyMatch(s -> s.startsWith("policy.allow.and[1].device: unknown field 'compliantt'"));
        assertThat(broken.html().select(".error-summary a").first().attr("href")).isEqualTo("#f-policy");
        assertThat(broken.html().getElementById("f-policy").attr("aria-invalid")).isEqualTo("true");
        assertThat(broken.html().getElementById("f-policy").wholeText()).contains("compliantt");
        ConsoleBrowser.assertAccessible(broken.html());
        assertThat(apiVersion()).as("nothing saved").isEqualTo(1);

        // "check without saving" shows the same, and a good policy passes the check
        Page checked = admin.submit(broken.form("/console/apps/" + id), Map.of("action", "check"));
        assertThat(checked.status()).isEqualTo(400);
        assertThat(checked.html().select(".error-summary li").eachText())
                .anyMatch(s -> s.startsWith("policy.allow.and[1].device: unknown field 'compliantt'"));
        String fixedPolicy = "allow:\n  and:\n    - groups: { has: engineering }\n    - device: { managed: true }\n";
        Page fine = admin.submit(checked.form("/console/apps/" + id), Map.of("policy", fixedPolicy, "action", "check"));
        assertThat(fine.status()).isEqualTo(200);
        assertThat(fine.html().select("[role=status]").text()).contains("No problems found");
        assertThat(apiVersion()).isEqualTo(1);

        // fix and save with a comment
        Page saved = admin.submit(fine.form("/console/apps/" + id), Map.of("comment", "managed devices", "action", "save"));
        assertThat(saved.status()).as(saved.response().body()).isEqualTo(303);
        assertThat(saved.location()).endsWith("?saved=2");
        assertThat(json(api.get("/api/v1/apps/" + id)).getJsonObject("policy").encode()).contains("managed");

        // history: both versions with author and comment; the diff of 1 and 2 at its path
        Page history = admin.get("/console/apps/" + id + "/history");
        assertThat(history.status()).isEqualTo(200);
        ConsoleBrowser.assertAccessible(history.html());
        List<String> rows = history.html().select("table:not(.diff) tbody tr").eachText();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0)).contains("2 (current)", "root-admin (test)", "managed devices");
        assertThat(rows.get(1)).contains("1", "first");
        Page diff = admin.get("/console/apps/" + id + "/history?from=1&to=2");
        assertThat(diff.html().select("table.diff tbody tr").eachText())
                .anyMatch(r -> r.contains("policy.allow.and[1].device.compliant") && r.contains("removed"))
                .anyMatch(r -> r.contains("policy.allow.and[1].device.managed") && r.contains("added"));
        assertThat(diff.html().select("table.diff caption").text()).contains("version 1", "version 2");

        // roll back to 1: a confirmation with what it changes, then a new version 3 with 1's content
        String rollbackHref = history.html().select("a[href*=rollback?version=1]").attr("href");
        Page confirm = admin.get(rollbackHref);
        assertThat(confirm.status()).isEqualTo(200);
        ConsoleBrowser.assertAccessible(confirm.html());
        assertThat(confirm.html().select("h1").text()).contains("Roll back app " + id + " to version 1");
        assertThat(confirm.html().select("table.diff tbody tr").eachText())
                .anyMatch(r -> r.contains("policy.allow.and[1].device.compliant") && r.contains("added"));
        assertThat(apiVersion()).as("the confirmation page changes nothing").isEqualTo(2);
        Page rolledBack = admin.submit(confirm.form("/rollback"), Map.of("comment", "back to compliant"));
        assertThat(rolledBack.status()).as(rolledBack.response().body()).isEqualTo(303);
        assertThat(apiVersion()).isEqualTo(3);
        JsonObject v3 = json(api.get("/api/v1/apps/" + id + "/versions/3"));
        JsonObject v1 = json(api.get("/api/v1/apps/" + id + "/versions/1"));
        assertThat(v3.getJsonObject("document")).isEqualTo(v1.getJsonObject("document"));
        assertThat(v3.getString("comment")).isEqualTo("back to compliant");
        Page after = admin.get(rolledBack.location().replace(ConsoleBrowser.ORIGIN, ""));
        assertThat(after.html().select("[role=status]").text()).contains("version 3 has the content of version 1");

        // audited like the API: same actions, the signed-in admin as actor
        JsonArray audit = json(api.get("/api/v1/audit?app=" + id)).getJsonArray("items");
        assertThat(audit.stream().map(o -> ((JsonObject) o).getString("action") + "/"
                + ((JsonObject) o).getString("outcome"))).containsExactly("app.rollback/ok", "app.replace/ok",
                "app.replace/invalid-app", "app.create/ok");
        assertThat(audit.stream().map(o -> ((JsonObject) o).getJsonObject("actor").getString("sub")))
                .containsOnly("root-admin");
        // and the app is in force: an engineer with a compliant device gets through
        assertThat(Http.get(id + ".test", "/", idp.validToken()).statusCode()).isEqualTo(200);
    }

    @Test
    void theLiveCheckAnswersAFragmentWithTheSameErrorsAndSavesNothing() {
        Page form = admin.get("/console/new");
        Element textarea = form.html().getElementById("f-policy");
        assertThat(textarea.attr("hx-post")).isEqualTo("/console/check");
        assertThat(textarea.attr("hx-target")).isEqualTo("#live-check");
        Map<String, String> fields = ConsoleBrowser.fields(form.form("/console/new"), Map.of("id", id, "host",
                id + ".test", "upstream", upstream.url(), "idp", "test", "policy", BROKEN_POLICY));
        Page broken = admin.post("/console/check", fields, null, "same-origin");
        assertThat(broken.status()).isEqualTo(200);
        assertThat(broken.html().select("li a").eachText())
                .containsExactly("policy.allow.and[1].device: unknown field 'compliantt'");
        assertThat(broken.html().select("li a").attr("href")).isEqualTo("#f-policy");
        fields.put("policy", GOOD_POLICY);
        Page fine = admin.post("/console/check", fields, null, "same-origin");
        assertThat(fine.html().text()).contains("No problems found");
        fields.remove(FormGuard.TOKEN_FIELD);
        assertThat(admin.post("/console/check", fields, null, "same-origin").status()).isEqualTo(403);
        assertThat(api.get("/api/v1/apps/" + id).statusCode()).isEqualTo(404);
    }

    @Test
    void aConcurrentEditShowsBothVersionsAndSavingAgainReplacesTheirs() {
        assertThat(api.create(id, app(id + ".test", upstream.url(), "{\"groups\": {\"has\": \"engineering\"}}"))
                .statusCode()).isEqualTo(201);
        Page mine = admin.get("/console/apps/" + id);
        // someone else saves version 2 meanwhile
        assertThat(api.replace(id, app(id + ".test", upstream.url(), "{\"groups\": {\"has\": \"finance\"}}"), 1)
                .statusCode()).isEqualTo(200);
        Page conflict = admin.submit(mine.form("/console/apps/" + id), Map.of("policy",
                "allow:\n  groups: { has: sales }\n", "comment", "sales too", "action", "save"));
        assertThat(conflict.status()).isEqualTo(409);
        ConsoleBrowser.assertAccessible(conflict.html());
        Element section = conflict.html().selectFirst("section.conflict");
        assertThat(section).isNotNull();
        assertThat(section.select("h2").text()).contains("Someone saved this app");
        assertThat(section.text()).contains("Version 2 was saved by root-admin (test)", "Your changes are not saved");
        List<Element> sides = section.select("pre.yaml");
        assertThat(sides).hasSize(2);
        assertThat(sides.get(0).wholeText()).contains("finance").doesNotContain("sales");
        assertThat(sides.get(1).wholeText()).contains("sales").doesNotContain("finance");
        assertThat(section.select("table.diff tbody tr").eachText()).anyMatch(r -> r.contains("policy.allow.groups.has"));
        assertThat(json(api.get("/api/v1/apps/" + id)).getJsonObject("policy").encode()).contains("finance");
        assertThat(conflict.html().getElementById("f-policy").wholeText()).as("the form keeps mine").contains("sales");

        // the form now carries version 2: saving again deliberately replaces it
        Page saved = admin.submit(conflict.form("/console/apps/" + id), Map.of("action", "save"));
        assertThat(saved.status()).as(saved.response().body()).isEqualTo(303);
        assertThat(json(api.get("/api/v1/apps/" + id)).getJsonObject("policy").encode()).contains("sales");
        assertThat(apiVersion()).isEqualTo(3);
        JsonArray audit = json(api.get("/api/v1/audit?app=" + id)).getJsonArray("items");
        assertThat(audit.stream().map(o -> ((JsonObject) o).getString("outcome")))
                .containsExactly("ok", "precondition-failed", "ok", "ok");
    }

    @Test
    void formsWithoutTheRightTokenOrFromElsewhereAreRefusedAndAudited() {
        Page form = admin.get("/console/new");
        Map<String, String> fields = ConsoleBrowser.fields(form.form("/console/new"), Map.of("id", id, "host",
                id + ".test", "upstream", upstream.url(), "idp", "test", "policy", GOOD_POLICY, "action", "save"));

        Map<String, String> noToken = new java.util.LinkedHashMap<>(fields);
        noToken.remove(FormGuard.TOKEN_FIELD);
        assertRefused(admin.post("/console/new", noToken, ConsoleBrowser.ORIGIN, null));
        Map<String, String> wrong = new java.util.LinkedHashMap<>(fields);
        wrong.put(FormGuard.TOKEN_FIELD, fields.get(FormGuard.TOKEN_FIELD) + "x");
        assertRefused(admin.post("/console/new", wrong, ConsoleBrowser.ORIGIN, null));
        // another admin's token is worth nothing to this one
        Map<String, Object> other = idp.admin();
        other.put("sub", "other-admin");
        String othersToken = ConsoleBrowser.fields(new ConsoleBrowser(idp.sign(other)).get("/console/new")
                .form("/console/new"), Map.of()).get(FormGuard.TOKEN_FIELD);
        Map<String, String> borrowed = new java.util.LinkedHashMap<>(fields);
        borrowed.put(FormGuard.TOKEN_FIELD, othersToken);
        assertRefused(admin.post("/console/new", borrowed, ConsoleBrowser.ORIGIN, null));
        // the right token from another site
        assertRefused(admin.post("/console/new", fields, "https://evil.example", null));
        assertRefused(admin.post("/console/new", fields, "null", null));
        assertRefused(admin.post("/console/new", fields, null, "cross-site"));
        assertRefused(admin.post("/console/new", fields, ConsoleBrowser.ORIGIN, "same-site"));
        assertThat(api.get("/api/v1/apps/" + id).statusCode()).as("nothing was created").isEqualTo(404);
        JsonArray refusals = json(api.get("/api/v1/audit?actor=root-admin&limit=50")).getJsonArray("items");
        assertThat(refusals.stream().map(o -> (JsonObject) o).filter(e -> e.getString("action").equals("admin.refused"))
                .map(e -> e.getString("outcome"))).contains("invalid-form-token", "cross-site");

        // the same fields, same origin: accepted (also without Origin, as older browsers send)
        Page ok = admin.post("/console/new", fields, null, "same-origin");
        assertThat(ok.status()).as(ok.response().body()).isEqualTo(303);
        assertThat(apiVersion()).isEqualTo(1);
    }

    private static void assertRefused(Page page) {
        assertThat(page.status()).isEqualTo(403);
        assertThat(page.response().headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.html().select("h1").text()).isEqualTo("Not allowed");
        assertThat(page.html().text()).contains("Nothing was changed");
    }

    @Test
    void nonAdminsAndStrangersGetThePlainWordsPageNotJson() {
        Map<String, Object> user = idp.engineer();
        user.put("realm_access", Map.of("roles", List.of("user")));
        String notAdmin = idp.sign(user);
        Page engineer = new ConsoleBrowser(notAdmin).get("/console/apps");
        assertThat(engineer.status()).isEqualTo(403);
        assertThat(engineer.response().headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(engineer.html().select("h1").text()).isEqualTo("Access denied");
        assertThat(engineer.html().text()).contains("roles-unauthorized").doesNotContain("{\"");
        // a person who is not signed in is sent to the admin IdP to sign in (the admin host takes
        // browser sessions), with PKCE, and back to the console afterwards
        Page stranger = new ConsoleBrowser(null).get("/console/apps");
        assertThat(stranger.status()).isEqualTo(302);
        assertThat(stranger.response().headers().firstValue("Location").orElse(""))
                .contains("code_challenge_method=S256").contains("redirect_uri=")
                .contains("%2F.gatehouse%2Fcallback");
        Page engineerPost = new ConsoleBrowser(notAdmin).post("/console/new", Map.of("id", id),
                ConsoleBrowser.ORIGIN, null);
        assertThat(engineerPost.status()).isEqualTo(403);
        assertThat(api.get("/api/v1/apps/" + id).statusCode()).isEqualTo(404);
        // outside the console and the API the admin host has nothing, for anyone
        assertThat(admin.get("/consoles").status()).isEqualTo(404);
        assertThat(admin.get("/console/nothing-here").html().select("h1").text()).isEqualTo("Not found");
    }

    @Test
    void theAppsListShowsEveryAppWithItsTrafficOfTheLastHour() {
        Page before = admin.get("/console/apps");
        long allowed = count(before, "api", 6);
        long denied = count(before, "api-admin", 7);
        assertThat(Http.get("api.test", "/x", idp.validToken()).statusCode()).isEqualTo(200);
        assertThat(Http.get("api.test", "/admin/x", idp.validToken()).statusCode()).isEqualTo(403);
        assertThat(create(GOOD_POLICY).status()).isEqualTo(303);

        Page list = admin.get("/console/");
        assertThat(list.status()).isEqualTo(303);
        list = admin.get("/console/apps");
        assertThat(list.status()).isEqualTo(200);
        ConsoleBrowser.assertAccessible(list.html());
        assertThat(count(list, "api", 6)).isEqualTo(allowed + 1);
        assertThat(count(list, "api-admin", 7)).isEqualTo(denied + 1);
        List<String> api = row(list, "api").eachText();
        assertThat(api.get(1)).isEqualTo("api.test");
        assertThat(api.get(2)).isEqualTo("test");
        assertThat(api.get(3)).isEqualTo("bearer");
        assertThat(api.get(5)).contains("config file");
        List<String> mine = row(list, id).eachText();
        assertThat(mine.get(4)).isEqualTo("1");
        assertThat(mine.get(5)).contains("admin API");
        assertThat(list.html().select("caption").text()).contains("since");
    }

    private static long count(Page page, String app, int column) {
        return Long.parseLong(row(page, app).get(column).text());
    }

    private static org.jsoup.select.Elements row(Page page, String app) {
        Element th = page.html().select("tbody th a").stream().filter(a -> a.text().equals(app)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + app)).parent();
        return th.parent().select("th, td");
    }

    @Test
    void deletingAsksFirstAndTheHistoryStays() {
        assertThat(create(GOOD_POLICY).status()).isEqualTo(303);
        Page confirm = admin.get("/console/apps/" + id + "/delete");
        assertThat(confirm.status()).isEqualTo(200);
        ConsoleBrowser.assertAccessible(confirm.html());
        assertThat(apiVersion()).isEqualTo(1);
        Page deleted = admin.submit(confirm.form("/delete"), Map.of("comment", "retired"));
        assertThat(deleted.status()).isEqualTo(303);
        assertThat(api.get("/api/v1/apps/" + id).statusCode()).isEqualTo(404);
        Page list = admin.get(deleted.location().replace(ConsoleBrowser.ORIGIN, ""));
        assertThat(list.html().select("[role=status]").text()).contains("App " + id + " was deleted");
        assertThat(list.html().select("tbody th").eachText()).doesNotContain(id);
        Page history = admin.get("/console/apps/" + id + "/history");
        assertThat(history.html().select("tbody tr").first().text()).contains("deleted the app", "retired");
    }

    @Test
    void theAuditLogFiltersAndShowsTheChainStatus() {
        assertThat(create(GOOD_POLICY).status()).isEqualTo(303);
        Page all = admin.get("/console/audit");
        assertThat(all.status()).isEqualTo(200);
        ConsoleBrowser.assertAccessible(all.html());
        assertThat(all.html().select("section.chain").text()).contains("Intact");

        Page filtered = admin.get("/console/audit?app=" + id);
        List<Element> rows = filtered.html().select("tbody tr");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).text()).contains("app.create", "ok", "root-admin (test)", id);
        assertThat(filtered.html().getElementById("f-app").attr("value")).isEqualTo(id);

        Page byActor = admin.get("/console/audit?actor=nobody-" + id);
        assertThat(byActor.html().select("tbody tr").text()).contains("No entries match");
        Page future = admin.get("/console/audit?app=" + id + "&since=2999-01-01T00:00");
        assertThat(future.html().select("tbody tr").text()).contains("No entries match");
        Page past = admin.get("/console/audit?app=" + id + "&since=2000-01-01T00:00&until=2999-01-01T00:00:00Z");
        assertThat(past.html().select("tbody tr")).hasSize(1);
        Page bad = admin.get("/console/audit?since=yesterday");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.html().select(".error-summary").text()).contains("since must be a time such as");
    }

    @Test
    void fileAppsAreReadOnlyAndTheAssetsAreServed() {
        Page file = admin.get("/console/apps/api");
        assertThat(file.status()).isEqualTo(200);
        ConsoleBrowser.assertAccessible(file.html());
        assertThat(file.html().text()).contains("comes from the config file");
        assertThat(file.html().select("form")).isEmpty();
        assertThat(file.html().select("pre.yaml").text()).contains("engineering");
        assertThat(admin.get("/console/apps/api/delete").status()).isEqualTo(409);
        HttpResponse<String> htmx = Http.send(new AdminClient(idp.adminToken()).builder("/console/assets/htmx.min.js")
                .build());
        assertThat(htmx.statusCode()).isEqualTo(200);
        assertThat(htmx.body()).contains("htmx");
        assertThat(admin.get("/console/assets/console.css").status()).isEqualTo(200);
        assertThat(Http.get(AdminClient.HOST, "/console/assets/console.css", null).statusCode()).isEqualTo(401);
        assertThat(admin.get("/console/apps").response().headers().firstValue("X-Frame-Options")).hasValue("DENY");
    }

    /** With the embedded store the keys are files: the page says how to rotate them, and offers no form. */
    @Test
    void theKeysPageExplainsKeysInFilesAndOffersNoRotation() {
        Page page = admin.get("/console/keys");
        assertThat(page.status()).isEqualTo(200);
        ConsoleBrowser.assertAccessible(page.html());
        String signing = json(api.get("/api/v1/assertion-keys")).getString("signing");
        assertThat(page.html().getElementById("keys").text()).contains(signing);
        assertThat(page.html().getElementById("keys-in-files")).isNotNull();
        assertThat(page.html().select("form[action=/console/keys/rotate]")).isEmpty();
        Page refused = admin.post("/console/keys/rotate", Map.of("_csrf",
                admin.get("/console/people").form("/console/people/revoke").selectFirst("input[name=_csrf]").attr("value"),
                "version", "1"), ConsoleBrowser.ORIGIN, null);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.html().text()).contains("PostgreSQL");
        assertThat(json(api.get("/api/v1/assertion-keys")).getString("signing")).isEqualTo(signing);
    }
}
