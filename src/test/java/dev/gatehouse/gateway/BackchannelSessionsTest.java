package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.identity.LogoutTokenValidator;
import dev.gatehouse.testing.AdminClient;
import dev.gatehouse.testing.Browser;
import dev.gatehouse.testing.BrowserTestResource;
import dev.gatehouse.testing.CodeFlowIdp;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.TestIdp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Browser sessions ended from outside: a back-channel logout token ends the sessions of its IdP
 * session ({@code sid}) only, or, with just a {@code sub}, every session of that user; an admin's
 * revocation of the user refuses their session at once (403 {@code access-revoked}) until it is
 * withdrawn. Sessions are made by the real code flow against the test IdP ({@link CodeFlowIdp}).
 */
@QuarkusTest
@QuarkusTestResource(value = BrowserTestResource.class, restrictToAnnotatedClass = true)
class BackchannelSessionsTest {
    static final String APP = "http://wiki.corp.test/";
    TestIdp idp;
    String sub;

    @BeforeEach
    void setUp() {
        idp = BrowserTestResource.idp();
        sub = "user-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void tearDown() {
        idp.codeFlow().reset();
    }

    /** A browser signed in as {@link #sub} with IdP session {@code sid}. */
    Browser signedIn(String sid) {
        idp.codeFlow().signInAs(() -> {
            Map<String, Object> c = idp.engineer();
            c.put("sub", sub);
            c.put("sid", sid);
            return c;
        });
        Browser b = new Browser();
        HttpResponse<String> r = b.open(APP);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return b;
    }

    String logoutToken(String sid, String subject) {
        long now = System.currentTimeMillis() / 1000;
        Map<String, Object> c = new HashMap<>();
        c.put("iss", idp.issuer());
        c.put("aud", CodeFlowIdp.CLIENT_ID);
        c.put("iat", now);
        c.put("jti", UUID.randomUUID().toString());
        c.put("events", Map.of(LogoutTokenValidator.EVENT, Map.of()));
        if (sid != null) {
            c.put("sid", sid);
        }
        if (subject != null) {
            c.put("sub", subject);
        }
        return Jwt.claims(c).jws().keyId(idp.currentKid()).header("typ", "logout+jwt").sign(idp.currentKey().getPrivate());
    }

    static HttpResponse<String> backchannel(String token) {
        return Http.send(Http.to("wiki.corp.test", "/.gatehouse/backchannel-logout")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("logout_token=" + URLEncoder.encode(token,
                        StandardCharsets.UTF_8))).build());
    }

    static void assertSignedIn(Browser b) {
        assertThat(b.get(APP + "x").statusCode()).isEqualTo(200);
    }

    void assertSentToSignIn(Browser b) {
        HttpResponse<String> r = b.get(APP + "x");
        assertThat(r.statusCode()).as("session ended: back to the IdP").isEqualTo(302);
        assertThat(r.headers().firstValue("Location").orElse("")).startsWith(idp.issuer());
    }

    @Test
    void aLogoutTokenWithASidEndsThatIdpSessionOnly() {
        Browser laptop = signedIn("idp-" + sub + "-laptop");
        Browser phone = signedIn("idp-" + sub + "-phone");
        HttpResponse<String> r = backchannel(logoutToken("idp-" + sub + "-laptop", sub));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertSentToSignIn(laptop);
        assertSignedIn(phone);
    }

    @Test
    void aLogoutTokenWithOnlyASubEndsEverySessionOfTheUser() {
        Browser laptop = signedIn("idp-" + sub + "-laptop");
        Browser phone = signedIn("idp-" + sub + "-phone");
        assertThat(backchannel(logoutToken(null, sub)).statusCode()).isEqualTo(200);
        assertSentToSignIn(laptop);
        assertSentToSignIn(phone);
    }

    @Test
    void aLogoutTokenForAnotherUserEndsNothingOfThisOne() {
        Browser b = signedIn("idp-" + sub);
        assertThat(backchannel(logoutToken("idp-someone-else", "someone-else")).statusCode()).isEqualTo(200);
        assertSignedIn(b);
    }

    @Test
    void aRevokedUsersSessionIsRefusedAtOnceUntilTheRevocationIsWithdrawn() {
        Browser b = signedIn("idp-" + sub);
        AdminClient admin = new AdminClient(idp.adminToken());
        HttpResponse<String> created = admin.post("/api/v1/revocations", "{\"user\": \"" + sub
                + "\", \"expires\": \"15m\", \"reason\": \"offboarding\"}", null);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> refused = b.get(APP + "x");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("access-revoked");
        assertThat(admin.delete("/api/v1/revocations/" + new JsonObject(created.body()).getString("id"), null)
                .statusCode()).isEqualTo(204);
        assertSignedIn(b);
    }

    static double logouts(String result, String reason) {
        return Http.metricValue(Http.metrics(), "gatehouse_backchannel_logouts_total{reason=\"" + reason
                + "\",result=\"" + result + "\"");
    }

    @Test
    void everyBackChannelLogoutIsCountedByResultAndAnAcceptedOneIsAudited() {
        double ended = logouts("ended", "none");
        double noSession = logouts("no_session", "none");
        double replayed = logouts("rejected", "replayed");
        double badSignature = logouts("rejected", "bad-signature");
        double missing = logouts("rejected", "missing-logout-token");
        Browser b = signedIn("idp-" + sub);

        String token = logoutToken("idp-" + sub, sub);
        assertThat(backchannel(token).statusCode()).isEqualTo(200);
        assertSentToSignIn(b);
        assertThat(backchannel(token).statusCode()).as("replay").isEqualTo(400);
        assertThat(backchannel(logoutToken("idp-nobody-" + sub, null)).statusCode()).isEqualTo(200);
        String forged = logoutToken(null, sub);
        forged = forged.substring(0, forged.lastIndexOf('.') + 1) + "AAAA" + forged.substring(forged.lastIndexOf('.') + 5);
        assertThat(backchannel(forged).statusCode()).isEqualTo(400);
        assertThat(Http.send(Http.to("wiki.corp.test", "/.gatehouse/backchannel-logout")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("nothing=here")).build()).statusCode()).isEqualTo(400);

        assertThat(logouts("ended", "none")).isEqualTo(ended + 1);
        assertThat(logouts("no_session", "none")).isEqualTo(noSession + 1);
        assertThat(logouts("rejected", "replayed")).isEqualTo(replayed + 1);
        assertThat(logouts("rejected", "bad-signature")).isEqualTo(badSignature + 1);
        assertThat(logouts("rejected", "missing-logout-token")).isEqualTo(missing + 1);

        String jti = payload(token).getString("jti");
        HttpResponse<String> audit = new AdminClient(idp.adminToken()).get("/api/v1/audit?limit=50");
        assertThat(audit.statusCode()).as(audit.body()).isEqualTo(200);
        JsonObject entry = new JsonObject(audit.body()).getJsonArray("items").stream().map(o -> (JsonObject) o)
                .filter(e -> "session.backchannel-logout".equals(e.getString("action"))
                        && String.valueOf(e.getValue("detail")).contains(jti))
                .findFirst().orElseThrow(() -> new AssertionError("no audit entry for " + jti + " in " + audit.body()));
        assertThat(entry.getString("outcome")).isEqualTo("ended");
        assertThat(String.valueOf(entry.getValue("detail"))).contains("\"sessions_ended\":1").contains(sub)
                .contains("idp-" + sub);
        assertThat(audit.body()).as("refused tokens are counted, not audited").doesNotContain("bad-signature");
    }

    static JsonObject payload(String jwt) {
        return new JsonObject(new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]),
                StandardCharsets.UTF_8));
    }
}
