package dev.gatehouse.admin.console;

import static dev.gatehouse.testing.AdminClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.admin.console.ConsoleBrowser.Page;
import dev.gatehouse.testing.AdminClient;
import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.TestIdp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntPredicate;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's people and devices page over HTTP: a revocation made through the form refuses the
 * user's bearer token on the proxy, is listed, and is withdrawn after a confirmation; a user's
 * recent refused requests show with their reasons. Every test uses subjects of its own.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class ConsolePeopleTest {
    TestIdp idp;
    AdminClient api;
    ConsoleBrowser admin;
    String sub;

    @BeforeEach
    void setUp() {
        idp = GatehouseTestResource.idp();
        api = new AdminClient(idp.adminToken());
        admin = new ConsoleBrowser(idp.adminToken());
        sub = "bob-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String tokenOf(String subject, String group) {
        Map<String, Object> claims = idp.engineer();
        claims.put("sub", subject);
        claims.put("groups", List.of(group));
        return idp.sign(claims);
    }

    private Page people() {
        Page page = admin.get("/console/people");
        assertThat(page.status()).isEqualTo(200);
        return page;
    }

    /** Polls the proxy until the status matches (a revocation is published to every replica), up to 10 s. */
    private static int awaitStatus(String token, IntPredicate done) throws InterruptedException {
        long start = System.nanoTime();
        int status = -1;
        while (System.nanoTime() - start < 10_000_000_000L) {
            status = Http.get("api.test", "/reports", token).statusCode();
            if (done.test(status)) {
                break;
            }
            Thread.sleep(50);
        }
        System.out.printf("proxy answered %d after %d ms%n", status, (System.nanoTime() - start) / 1_000_000);
        return status;
    }

    @Test
    void theFormIsAccessibleAndReachableFromTheNavigation() {
        Page page = people();
        ConsoleBrowser.assertAccessible(page.html());
        assertThat(page.html().select("nav a[href=/console/people]").attr("aria-current")).isEqualTo("page");
        Element form = page.html().getElementById("revoke-form");
        assertThat(form.attr("method")).isEqualTo("post");
        for (String name : List.of("kind", "value", "expires", "idp", "reason")) {
            Element input = form.selectFirst("[name=" + name + "]");
            assertThat(input).as(name).isNotNull();
            assertThat(page.html().select("label[for=" + input.id() + "]")).as("label of " + name).isNotEmpty();
        }
        assertThat(page.html().getElementById("revoke-submit")).isNotNull();
        assertThat(page.html().getElementById("revocations")).isNotNull();
        assertThat(page.html().getElementById("denials-form").selectFirst("input[name=user]")).isNotNull();
        assertThat(admin.get("/console/apps").html().select("nav a[href=/console/people]")).isNotEmpty();
    }

    @Test
    void aRevokedUserIsRefusedOnTheProxyUntilTheRevocationIsWithdrawn() throws Exception {
        String token = tokenOf(sub, "engineering");
        assertThat(Http.get("api.test", "/reports", token).statusCode()).isEqualTo(200);

        Page done = admin.submit(people().html().getElementById("revoke-form"), Map.of("kind", "user", "value", sub,
                "idp", "test", "expires", "1h", "reason", "laptop stolen"));
        assertThat(done.status()).as(done.response().body()).isEqualTo(303);
        assertThat(done.location()).contains("/console/people?revoked=rv-");
        int refused = awaitStatus(token, s -> s == 403);
        assertThat(refused).isEqualTo(403);
        HttpResponse<String> answer = Http.get("api.test", "/reports", token);
        assertThat(json(answer).getString("reason")).isEqualTo("access-revoked");

        Page listed = admin.get(done.location().replace(ConsoleBrowser.ORIGIN, ""));
        ConsoleBrowser.assertAccessible(listed.html());
        assertThat(listed.html().select("[role=status]").text()).contains("Revoked");
        Element row = listed.html().select("#revocations tbody tr").stream().filter(tr -> tr.text().contains(sub))
                .findFirst().orElseThrow();
        assertThat(row.text()).contains("user", sub, "test", "laptop stolen", "root-admin");
        // audited as the API's
        JsonArray audit = json(api.get("/api/v1/audit?actor=root-admin&limit=20")).getJsonArray("items");
        assertThat(audit.stream().map(o -> (JsonObject) o).filter(e -> e.getString("action").equals("revocation.create")
                && e.getString("detail").contains(sub)).map(e -> e.getString("outcome"))).containsExactly("ok");
        // the refusal shows among the user's recent denials, with its reason in words
        Page denials = admin.get("/console/people?user=" + sub);
        assertThat(denials.html().select("#denials tbody tr").first().text()).contains("api", "GET /reports",
                "access-revoked", "denied");

        // withdraw, after a confirmation
        Page confirm = admin.get(row.selectFirst("a[href*=/delete]").attr("href"));
        assertThat(confirm.status()).isEqualTo(200);
        ConsoleBrowser.assertAccessible(confirm.html());
        assertThat(confirm.html().select("h1").text()).contains(sub);
        assertThat(Http.get("api.test", "/reports", token).statusCode()).as("the confirmation changes nothing")
                .isEqualTo(403);
        Page withdrawn = admin.submit(confirm.form("/delete"), Map.of());
        assertThat(withdrawn.status()).isEqualTo(303);
        assertThat(awaitStatus(token, s -> s == 200)).isEqualTo(200);
        assertThat(admin.get(withdrawn.location().replace(ConsoleBrowser.ORIGIN, "")).html()
                .select("#revocations").text()).doesNotContain(sub);
        assertThat(admin.get(row.selectFirst("a[href*=/delete]").attr("href")).status()).isEqualTo(404);
    }

    @Test
    void aBadRevocationShowsEachErrorAtItsFieldAndRevokesNothing() {
        Page bad = admin.submit(people().html().getElementById("revoke-form"), Map.of("kind", "device", "value", "",
                "expires", "yesterday"));
        assertThat(bad.status()).isEqualTo(400);
        ConsoleBrowser.assertAccessible(bad.html());
        assertThat(bad.html().select("#f-expires-err").text()).contains("expires: 'yesterday' is neither");
        assertThat(bad.html().getElementById("f-expires").attr("aria-invalid")).isEqualTo("true");
        assertThat(bad.html().select("#f-value-err").text()).contains("device: must not be empty");
        assertThat(bad.html().select(".error-summary li a").eachAttr("href")).contains("#f-expires", "#f-value");
        assertThat(bad.html().getElementById("f-kind").selectFirst("option[selected]").attr("value")).isEqualTo("device");
        JsonArray audit = json(api.get("/api/v1/audit?actor=root-admin&limit=5")).getJsonArray("items");
        assertThat(audit.getJsonObject(0).getString("action")).isEqualTo("revocation.create");
        assertThat(audit.getJsonObject(0).getString("outcome")).isEqualTo("invalid-revocation");

        // without the form token, or as a non-admin: refused, nothing revoked
        Map<String, String> fields = ConsoleBrowser.fields(people().html().getElementById("revoke-form"),
                Map.of("value", sub, "expires", "1h"));
        fields.remove(FormGuard.TOKEN_FIELD);
        assertThat(admin.post("/console/people/revoke", fields, ConsoleBrowser.ORIGIN, null).status()).isEqualTo(403);
        Map<String, Object> user = idp.engineer();
        user.put("realm_access", Map.of("roles", List.of("user")));
        ConsoleBrowser engineer = new ConsoleBrowser(idp.sign(user));
        assertThat(engineer.get("/console/people").status()).isEqualTo(403);
        assertThat(engineer.post("/console/people/revoke", Map.of("value", sub, "expires", "1h"), ConsoleBrowser.ORIGIN,
                null).status()).isEqualTo(403);
        assertThat(json(api.get("/api/v1/revocations")).getJsonArray("items").encode()).doesNotContain(sub);
    }

    @Test
    void recentDenialsOfAUserShowTheirReasonsInWords() {
        String token = tokenOf(sub, "sales");
        HttpResponse<String> denied = Http.get("api.test", "/payroll", token);
        assertThat(denied.statusCode()).isEqualTo(403);
        String requestId = denied.headers().firstValue("X-Request-Id").orElse("");
        assertThat(Http.get("docs.test", "/internal/x", token).statusCode()).isEqualTo(403);

        Element form = people().html().getElementById("denials-form");
        assertThat(form.attr("method")).isEqualTo("get");
        // the lookup is a GET form: submitted as a browser would
        Page lookup = admin.get(form.attr("action") + "?user=" + sub + "&app=");
        assertThat(lookup.status()).isEqualTo(200);
        ConsoleBrowser.assertAccessible(lookup.html());
        assertThat(lookup.html().getElementById("f-user").attr("value")).isEqualTo(sub);
        List<Element> rows = lookup.html().select("#denials tbody tr");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).text()).contains("docs", "GET /internal/x", "http-path-unauthorized");
        assertThat(rows.get(1).text()).contains("api", "GET /payroll", "denied (403)", "groups-unauthorized",
                "You are not in a group that may use this app.", "Ask your administrator", "allow.and[0].groups");
        if (!requestId.isEmpty()) {
            assertThat(rows.get(1).text()).contains(requestId);
        }
        assertThat(lookup.html().select("#denials caption").text()).contains("this replica");

        Page onlyApi = admin.get("/console/people?user=" + sub + "&app=api");
        assertThat(onlyApi.html().select("#denials tbody tr")).hasSize(1);
        Page nobody = admin.get("/console/people?user=nobody-" + sub);
        assertThat(nobody.html().select("#denials tbody tr").text()).contains("No refused requests");
    }
}
