package dev.gatehouse.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.Browser;
import dev.gatehouse.testing.BrowserTestResource;
import dev.gatehouse.testing.CodeFlowIdp;
import dev.gatehouse.testing.RecordingUpstream;
import dev.gatehouse.testing.TestIdp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Browser sign-in end to end against an IdP that checks what a real one checks (client secret,
 * single-use code, redirect URI, PKCE verifier): the redirect, the callback, the session cookie,
 * the way back to the exact URL, several tabs at once, and that bearer apps stay bearer.
 */
@QuarkusTest
@QuarkusTestResource(value = BrowserTestResource.class, restrictToAnnotatedClass = true)
class BrowserSignInTest {
    TestIdp idp;
    CodeFlowIdp flow;
    RecordingUpstream upstream;

    @BeforeEach
    void setUp() {
        idp = BrowserTestResource.idp();
        flow = idp.codeFlow();
        flow.reset();
        upstream = BrowserTestResource.upstream();
        upstream.reset();
    }

    @Test
    void wholeCodeFlowReturnsToTheExactUrlWithASessionCookie() {
        Browser b = new Browser();
        String asked = "http://wiki.corp.test/docs/page?x=1&y=%C3%A9";
        HttpResponse<String> first = b.get(asked);
        assertThat(first.statusCode()).isEqualTo(302);
        assertThat(upstream.hits()).as("nothing reaches the upstream before sign-in").isZero();
        String toIdp = first.headers().firstValue("Location").orElseThrow();
        assertThat(toIdp).startsWith(idp.issuer() + "/auth?");
        Map<String, String> q = CodeFlowIdp.query(URI.create(toIdp).getRawQuery());
        assertThat(q).containsEntry("response_type", "code").containsEntry("client_id", CodeFlowIdp.CLIENT_ID)
                .containsEntry("code_challenge_method", "S256").containsEntry("redirect_uri",
                        "http://wiki.corp.test/.gatehouse/callback").containsKeys("state", "nonce", "code_challenge");
        assertThat(q.get("scope")).contains("openid");
        String stateCookie = first.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("__Host-gatehouse_login_")).findFirst().orElseThrow();
        assertThat(stateCookie).contains("Secure").contains("HttpOnly").contains("SameSite=Lax")
                .contains("Path=/").doesNotContain("Domain=");

        HttpResponse<String> done = b.follow(first);
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(b.visited.get(b.visited.size() - 1)).isEqualTo(asked);
        assertThat(flow.codeExchanges.get()).isGreaterThan(0);
        assertThat(upstream.last().uri()).isEqualTo("/docs/page?x=1&y=%C3%A9");

        HttpResponse<String> callback = b.responses.get(b.responses.size() - 2);
        String session = callback.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("gatehouse_session=")).findFirst().orElseThrow();
        assertThat(session).contains("Domain=corp.test").contains("Secure").contains("HttpOnly")
                .contains("SameSite=Lax").contains("Path=/");
        assertThat(session.substring(0, session.indexOf(';')).length()).isLessThanOrEqualTo(256);
        assertThat(callback.headers().allValues("Set-Cookie"))
                .anyMatch(c -> c.startsWith("__Host-gatehouse_login_") && c.contains("Max-Age=0"));
        assertThat(b.cookies()).noneMatch(c -> c.name().startsWith("__Host-gatehouse_login_"));
    }

    @Test
    void theUpstreamGetsTheAssertionAndNeverGatehousesCookies() throws Exception {
        Browser b = signedIn("http://wiki.corp.test/");
        b.put("app_pref", "dark", "wiki.corp.test");
        upstream.reset();
        HttpResponse<String> r = b.get("http://wiki.corp.test/again");
        assertThat(r.statusCode()).isEqualTo(200);
        RecordingUpstream.Received got = upstream.last();
        assertThat(got.header("X-Gatehouse-Assertion")).isNotBlank();
        assertThat(got.header("Cookie")).isEqualTo("app_pref=dark");
        assertThat(got.header("Authorization")).isNull();
    }

    @Test
    void oneSignInServesEveryAppUnderTheCookieDomainAndAnotherDomainIsHostOnly() {
        Browser b = signedIn("http://wiki.corp.test/");
        int before = flow.codeExchanges.get();
        assertThat(b.get("http://both.corp.test/x").statusCode()).isEqualTo(200);
        assertThat(flow.codeExchanges.get()).isEqualTo(before);

        HttpResponse<String> other = b.open("http://app.other.test/y");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(flow.codeExchanges.get()).isEqualTo(before + 1);
        String set = b.responses.stream().flatMap(r -> r.headers().allValues("Set-Cookie").stream())
                .filter(c -> c.startsWith("__Host-gatehouse_session=")).findFirst().orElseThrow();
        assertThat(set).doesNotContain("Domain=").contains("Secure").contains("Path=/");
    }

    @Test
    void severalTabsSigningInAtOnceAllSucceed() {
        Browser b = new Browser();
        List<HttpResponse<String>> starts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            starts.add(b.get("http://wiki.corp.test/tab/" + i)); // every tab leaves before any comes back
        }
        assertThat(b.cookies().stream().filter(c -> c.name().startsWith("__Host-gatehouse_login_"))).hasSize(4);
        for (int i = 3; i >= 0; i--) { // and they come back in another order
            HttpResponse<String> toIdp = starts.get(i);
            HttpResponse<String> atIdp = b.get(Browser.location(toIdp, "http://wiki.corp.test/"));
            HttpResponse<String> callback = b.get(Browser.location(atIdp, "http://wiki.corp.test/"));
            assertThat(callback.statusCode()).as(callback.body()).isEqualTo(302);
            assertThat(callback.headers().firstValue("Location")).hasValue("http://wiki.corp.test/tab/" + i);
            assertThat(b.get("http://wiki.corp.test/tab/" + i).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void bearerAppsNeverRedirectNorSetCookies() {
        Browser b = new Browser();
        HttpResponse<String> r = b.get("http://bearer.corp.test/");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(r.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");
        Browser signed = signedIn("http://wiki.corp.test/");
        HttpResponse<String> withSession = signed.get("http://bearer.corp.test/");
        assertThat(withSession.statusCode()).as("a session is no credential on a bearer app").isEqualTo(401);
        assertThat(withSession.headers().allValues("Set-Cookie")).isEmpty();
        assertThat(b.get("http://bearer.corp.test/.gatehouse/login?rd=/").statusCode()).isEqualTo(404);
    }

    @Test
    void bothAppsUseTheBearerTokenWhenPresentAndTellApiClientsFromBrowsers() {
        HttpResponse<String> api = new Browser().accept("application/json").get("http://both.corp.test/api");
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.headers().allValues("Set-Cookie")).isEmpty();
        HttpResponse<String> person = new Browser().get("http://both.corp.test/page");
        assertThat(person.statusCode()).isEqualTo(302);
        HttpResponse<String> bearer = dev.gatehouse.testing.Http.get("both.corp.test", "/api", idp.validToken());
        assertThat(bearer.statusCode()).isEqualTo(200);
    }

    /** A browser that signed in by opening {@code url}. */
    static Browser signedIn(String url) {
        Browser b = new Browser();
        HttpResponse<String> r = b.open(url);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return b;
    }
}
