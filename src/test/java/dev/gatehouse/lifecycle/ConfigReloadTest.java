package dev.gatehouse.lifecycle;

import static dev.gatehouse.lifecycle.Reloads.awaitMetric;
import static dev.gatehouse.lifecycle.Reloads.awaitStatus;
import static dev.gatehouse.lifecycle.Reloads.hasSeries;
import static dev.gatehouse.lifecycle.Reloads.metric;
import static dev.gatehouse.testing.ReloadableConfig.app;
import static dev.gatehouse.testing.ReloadableConfig.document;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.AdminClient;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.ReloadableConfig;
import dev.gatehouse.testing.TestIdp;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The config file edited while Gatehouse runs: a policy change applies to new requests within about
 * a second, only the changed app's policy version moves, apps come and go, a broken edit changes
 * nothing (and is counted and logged with its path), unchanged bytes are no reload at all, and the
 * apps written through the admin API stay in force across reloads.
 */
@QuarkusTest
@TestProfile(ReloadProfile.class)
class ConfigReloadTest {
    static final String ALLOW = "{ allow: { authenticated_user: true } }";
    static final String ENGINEERS = "{ allow: { groups: { has: engineering } } }";
    static final String ADMINS = "{ allow: { groups: { has: admins } } }";
    static final String SUCCESS = "gatehouse_config_reloads_total{result=\"success\"";
    static final String FAILURE = "gatehouse_config_reloads_total{result=\"failure\"";

    @Inject
    ConfigReloader reloader;

    TestIdp idp;
    String alice;
    String sales;

    @BeforeEach
    void tokens() {
        idp = ReloadableConfig.idp();
        alice = idp.validToken();
        Map<String, Object> claims = idp.engineer();
        claims.put("groups", List.of("sales"));
        sales = idp.sign(claims);
    }

    static String version(String app) {
        return "gatehouse_policy_version{app=\"" + app + "\"";
    }

    /** The policy version of the decision {@code host} makes for {@code token}, as whoami reports it. */
    static long decisionVersion(String host, String token) {
        HttpResponse<String> r = Http.get(host, "/.gatehouse/whoami", token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonObject(r.body()).getJsonObject("decision").getLong("policy_version");
    }

    @Test
    void aPolicyEditAppliesAtOnceAndMovesOnlyThatAppsVersion() throws Exception {
        ReloadableConfig.write(document("", app("edit-a", "test", ALLOW), app("edit-b", "test", ALLOW)));
        awaitStatus("edit-a.test", alice, 200, 5000);
        awaitStatus("edit-b.test", alice, 200, 5000);
        assertThat(metric(version("edit-a"))).isEqualTo(1.0);
        assertThat(metric(version("edit-b"))).isEqualTo(1.0);
        double successes = metric(SUCCESS);

        ReloadableConfig.write(document("", app("edit-a", "test", ADMINS), app("edit-b", "test", ALLOW)));
        long took = awaitStatus("edit-a.test", alice, 403, 5000);
        assertThat(took).as("ms until new requests see the edit").isLessThan(2000);
        HttpResponse<String> denied = Http.get("edit-a.test", "/", alice);
        assertThat(new JsonObject(denied.body()).getString("reason")).isEqualTo("groups-unauthorized");
        assertThat(Http.get("edit-b.test", "/", alice).statusCode()).isEqualTo(200);
        awaitMetric(SUCCESS, successes + 1);
        assertThat(metric(version("edit-a"))).as("the edited app").isEqualTo(2.0);
        assertThat(metric(version("edit-b"))).as("the app left alone").isEqualTo(1.0);
        assertThat(decisionVersion("edit-a.test", alice)).isEqualTo(2);
        assertThat(decisionVersion("edit-b.test", alice)).isEqualTo(1);

        // the same bytes again (an editor saving without a change): nothing is reloaded
        assertThat(reloader.reloadNow("test")).isEqualTo(ConfigReloader.Outcome.UNCHANGED);
        // a comment changes the file but no app: reloaded, no version moves
        ReloadableConfig.write("# reviewed\n" + document("", app("edit-a", "test", ADMINS),
                app("edit-b", "test", ALLOW)));
        awaitMetric(SUCCESS, successes + 2);
        assertThat(metric(version("edit-a"))).isEqualTo(2.0);
        assertThat(metric(version("edit-b"))).isEqualTo(1.0);
    }

    @Test
    void appsAreAddedAndRemoved() {
        ReloadableConfig.write(document("", app("keep", "test", ALLOW), app("extra", "test", ALLOW)));
        awaitStatus("extra.test", alice, 200, 5000);
        assertThat(metric(version("extra"))).isEqualTo(1.0);

        ReloadableConfig.write(document("", app("keep", "test", ALLOW)));
        awaitStatus("extra.test", alice, 404, 5000);
        HttpResponse<String> gone = Http.get("extra.test", "/", alice);
        assertThat(new JsonObject(gone.body()).getString("reason")).isEqualTo("route-not-found");
        assertThat(Http.get("keep.test", "/", alice).statusCode()).isEqualTo(200);
        assertThat(hasSeries(version("extra"))).as("a removed app has no version series").isFalse();

        // put back as it was: the same definition keeps its version
        ReloadableConfig.write(document("", app("keep", "test", ALLOW), app("extra", "test", ALLOW)));
        awaitStatus("extra.test", alice, 200, 5000);
        assertThat(metric(version("extra"))).isEqualTo(1.0);
    }

    @Test
    void aFileReloadKeepsTheAppsWrittenThroughTheAdminApi() {
        ReloadableConfig.write(document("", app("beside-api", "test", ALLOW)));
        awaitStatus("beside-api.test", alice, 200, 5000);
        String id = "api-" + UUID.randomUUID().toString().substring(0, 8);
        AdminClient admin = new AdminClient(idp.adminToken());
        HttpResponse<String> created = admin.create(id, AdminClient.app(id + ".test",
                ReloadableConfig.upstream().url(), "{\"groups\": {\"has\": \"engineering\"}}"));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(Http.get(id + ".test", "/", alice).statusCode()).as("in force at once").isEqualTo(200);
        assertThat(Http.get(id + ".test", "/", sales).statusCode()).isEqualTo(403);
        assertThat(metric(version(id))).isEqualTo(1.0);
        double successes = metric(SUCCESS);

        // an edit of the file that has nothing to do with the API's app
        ReloadableConfig.write(document("", app("beside-api", "test", ALLOW), app("beside-api-2", "test", ALLOW)));
        awaitStatus("beside-api-2.test", alice, 200, 5000);
        awaitMetric(SUCCESS, successes + 1);
        assertThat(Http.get(id + ".test", "/", alice).statusCode()).as("still in force").isEqualTo(200);
        assertThat(Http.get(id + ".test", "/", sales).statusCode()).as("with its policy").isEqualTo(403);
        assertThat(metric(version(id))).as("not compiled again").isEqualTo(1.0);
        assertThat(admin.get("/api/v1/apps/" + id).statusCode()).isEqualTo(200);

        // the store outlives this test's Gatehouse: leave nothing behind for the next start
        assertThat(admin.delete("/api/v1/apps/" + id, "\"1\"").statusCode()).isEqualTo(200);
        assertThat(Http.get(id + ".test", "/", alice).statusCode()).isEqualTo(404);
    }

    @Test
    void aBrokenEditChangesNothingAndTheNextGoodOneApplies() {
        ReloadableConfig.write(document("", app("guarded", "test", ENGINEERS)));
        awaitStatus("guarded.test", sales, 403, 5000);
        assertThat(Http.get("guarded.test", "/", alice).statusCode()).isEqualTo(200);
        long versionBefore = (long) metric(version("guarded"));
        double failures = metric(FAILURE);
        double successes = metric(SUCCESS);
        Capture log = Capture.on(ConfigReloader.class.getName());
        try {
            // a YAML syntax error, in an edit that would otherwise let sales in
            ReloadableConfig.write(document("", app("guarded", "test", ALLOW)) + "  - id: [unclosed\n");
            awaitMetric(FAILURE, failures + 1);
            assertStillTheOldPolicy(versionBefore);

            // valid YAML, but a criterion the policy language does not have
            ReloadableConfig.write(document("", app("guarded", "test", "{ allow: { groupz: { has: sales } } }")));
            awaitMetric(FAILURE, failures + 2);
            assertStillTheOldPolicy(versionBefore);
            assertThat(log.messages).anySatisfy(m -> assertThat(m)
                    .contains(ReloadableConfig.file().toString())
                    .contains("apps[0].policy.allow: unknown criterion 'groupz'"));
        } finally {
            log.detach();
        }
        assertThat(metric(SUCCESS)).isEqualTo(successes);

        ReloadableConfig.write(document("", app("guarded", "test", ALLOW)));
        awaitStatus("guarded.test", sales, 200, 5000);
        awaitMetric(SUCCESS, successes + 1);
        assertThat(metric(version("guarded"))).isEqualTo(versionBefore + 1);
    }

    private void assertStillTheOldPolicy(long version) {
        assertThat(Http.get("guarded.test", "/", sales).statusCode()).isEqualTo(403);
        assertThat(Http.get("guarded.test", "/", alice).statusCode()).isEqualTo(200);
        assertThat(metric(version("guarded"))).isEqualTo(version);
    }

    @Test
    void anEditInPlaceIsSeenToo() {
        ReloadableConfig.writeInPlace(document("", app("in-place", "test", ALLOW)));
        awaitStatus("in-place.test", alice, 200, 5000);
        ReloadableConfig.writeInPlace(document("", app("in-place", "test", ADMINS)));
        awaitStatus("in-place.test", alice, 403, 5000);
    }

    @Test
    void anIdpAddedByAReloadIsTrustedAndAChangedOneForgetsItsOldIssuer() {
        TestIdp second = ReloadableConfig.secondIdp();
        String partnerToken = second.validToken();
        String partnerIdp = "  partner:\n    issuer: " + second.issuer() + "\n    audience: gatehouse\n";
        ReloadableConfig.write(document(partnerIdp, app("partner-app", "partner", ALLOW)));
        awaitStatus("partner-app.test", partnerToken, 200, 5000);
        assertThat(Http.get("partner-app.test", "/", alice).statusCode())
                .as("a token of the other IdP").isEqualTo(401);

        // the same IdP id, now with the first IdP's issuer: a new tenant, the old keys never used again
        String moved = "  partner:\n    issuer: " + idp.issuer() + "\n    audience: gatehouse\n";
        ReloadableConfig.write(document(moved, app("partner-app", "partner", ALLOW)));
        awaitStatus("partner-app.test", alice, 200, 5000);
        assertThat(Http.get("partner-app.test", "/", partnerToken).statusCode())
                .as("a cached token of the IdP's old issuer").isEqualTo(401);
        assertThat(metric(version("partner-app"))).as("an IdP change is a change of its apps").isEqualTo(2.0);
    }

    /** Keeps what one logger logs. */
    static final class Capture extends Handler {
        final List<String> messages = new CopyOnWriteArrayList<>();
        private Logger logger;

        static Capture on(String name) {
            Capture c = new Capture();
            c.logger = Logger.getLogger(name);
            c.logger.addHandler(c);
            return c;
        }

        void detach() {
            logger.removeHandler(this);
        }

        @Override
        public void publish(LogRecord record) {
            messages.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
