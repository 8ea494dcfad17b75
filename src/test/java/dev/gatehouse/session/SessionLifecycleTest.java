package dev.gatehouse.session;

import static dev.gatehouse.session.BrowserSignInTest.signedIn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.Browser;
import dev.gatehouse.testing.BrowserTestResource;
import dev.gatehouse.testing.CodeFlowIdp;
import dev.gatehouse.testing.RecordingUpstream;
import dev.gatehouse.testing.TestClock;
import dev.gatehouse.testing.TestIdp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What happens to a session after sign-in: max age, idle timeout (per app), refresh with the
 * refresh token and the policy re-evaluated on the refreshed claims, a refresh the IdP refuses,
 * sign-out with its CSRF checks, and forged handles.
 */
@QuarkusTest
@QuarkusTestResource(value = BrowserTestResource.class, restrictToAnnotatedClass = true)
class SessionLifecycleTest {
    @Inject
    TestClock clock;
    @Inject
    SessionRepository sessions;
    TestIdp idp;
    CodeFlowIdp flow;
    RecordingUpstream upstream;

    @BeforeEach
    void setUp() {
        idp = BrowserTestResource.idp();
        flow = idp.codeFlow();
        flow.reset();
        flow.clock = clock;
        upstream = BrowserTestResource.upstream();
        upstream.reset();
    }

    @AfterEach
    void resetClock() {
        flow.reset();
        clock.reset();
    }

    @Test
    void aSessionEndsAtItsMaxAge() {
        Browser b = signedIn("http://wiki.corp.test/");
        clock.advance(Duration.ofHours(11).plusMinutes(50));
        flow.refreshAllowed = true;
        // used every few minutes, never idle; past 12h it is over whatever the refresh token says
        clock.reset();
        clock.advance(Duration.ofHours(12).plusSeconds(1));
        HttpResponse<String> r = b.get("http://wiki.corp.test/late");
        assertThat(r.statusCode()).isEqualTo(302);
        assertThat(r.headers().firstValue("Location").orElseThrow()).startsWith(idp.issuer() + "/auth");
    }

    @Test
    void anAppsOwnIdleTimeoutAndMaxAgeApply() {
        Browser b = signedIn("http://short.corp.test/");
        clock.advance(Duration.ofMinutes(4));
        assertThat(b.get("http://short.corp.test/a").statusCode()).as("within the app's 5m idle timeout").isEqualTo(200);
        clock.advance(Duration.ofMinutes(4)); // 4 minutes after the last use: still within
        assertThat(b.get("http://short.corp.test/b").statusCode()).isIn(200);
        clock.advance(Duration.ofMinutes(6));
        assertThat(b.get("http://short.corp.test/c").statusCode()).as("idle past 5m").isEqualTo(302);
    }

    @Test
    void theAppsMaxAgeCountsFromSignIn() {
        Browser b = signedIn("http://short.corp.test/");
        for (int i = 0; i < 8; i++) { // 32 minutes, never idle
            clock.advance(Duration.ofMinutes(4));
            b.get("http://wiki.corp.test/keepalive");
        }
        assertThat(b.get("http://wiki.corp.test/x").statusCode()).as("wiki: global 12h").isEqualTo(200);
        assertThat(b.get("http://short.corp.test/x").statusCode()).as("short: 30m max age").isEqualTo(302);
    }

    @Test
    void claimsAreRefreshedAndThePolicyDecidesOnTheNewOnes() {
        flow.idTokenSeconds = 100;
        Browser b = signedIn("http://wiki.corp.test/");
        int before = flow.refreshes.get();
        clock.advance(Duration.ofSeconds(101));
        assertThat(b.get("http://wiki.corp.test/1").statusCode()).isEqualTo(200);
        assertThat(flow.refreshes.get()).isEqualTo(before + 1);

        flow.signInAs(() -> flow.engineerIn(List.of("sales"))); // the IdP now says: no longer an engineer
        clock.advance(Duration.ofSeconds(101));
        upstream.reset();
        HttpResponse<String> r = b.get("http://wiki.corp.test/2");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("groups-unauthorized").contains("alice@example.com")
                .contains("/.gatehouse/login?prompt=login&amp;rd=%2F2");
        assertThat(upstream.hits()).isZero();
    }

    @Test
    void aRefreshTheIdpRefusesEndsTheSession() {
        flow.idTokenSeconds = 100;
        Browser b = signedIn("http://wiki.corp.test/");
        flow.refreshAllowed = false;
        clock.advance(Duration.ofSeconds(101));
        assertThat(b.get("http://wiki.corp.test/").statusCode()).isEqualTo(302);
        flow.refreshAllowed = true;
        assertThat(b.get("http://wiki.corp.test/").statusCode()).as("ended, not only refused once").isEqualTo(302);
    }

    @Test
    void forgedOrUnknownHandlesAreNoSession() {
        Browser b = new Browser();
        b.put("gatehouse_session", Secrets.random(32), "wiki.corp.test");
        assertThat(b.get("http://wiki.corp.test/").statusCode()).isEqualTo(302);
        b.put("gatehouse_session", "x".repeat(300), "wiki.corp.test");
        assertThat(b.get("http://wiki.corp.test/").statusCode()).isEqualTo(302);
        assertThat(upstream.hits()).isZero();
    }

    @Test
    void signOutNeedsThePostWithTheCsrfTokenAndEndsTheSessionAtTheIdpToo() {
        Browser b = signedIn("http://wiki.corp.test/");
        HttpResponse<String> page = b.get("http://wiki.corp.test/.gatehouse/logout");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<form method=\"post\"").contains("alice@example.com");
        String csrf = csrfOf(page.body());
        assertThat(b.get("http://wiki.corp.test/").statusCode()).as("a GET signs nobody out").isEqualTo(200);

        String url = "http://wiki.corp.test/.gatehouse/logout";
        assertThat(b.post(url, "", Map.of()).statusCode()).as("no token").isEqualTo(403);
        assertThat(b.post(url, "csrf=" + "0".repeat(32), Map.of()).statusCode()).as("wrong token").isEqualTo(403);
        assertThat(b.post(url, "csrf=" + csrf, Map.of("Origin", "https://evil.example")).statusCode())
                .as("cross-origin").isEqualTo(403);
        assertThat(b.get("http://wiki.corp.test/").statusCode()).as("still signed in").isEqualTo(200);

        HttpResponse<String> out = b.post(url, "csrf=" + csrf, Map.of("Origin", "http://wiki.corp.test"));
        assertThat(out.statusCode()).isEqualTo(303);
        String toIdp = out.headers().firstValue("Location").orElseThrow();
        assertThat(toIdp).startsWith(idp.issuer() + "/logout?");
        Map<String, String> q = CodeFlowIdp.query(URI.create(toIdp).getRawQuery());
        assertThat(q).containsKey("id_token_hint")
                .containsEntry("post_logout_redirect_uri", "http://wiki.corp.test/.gatehouse/logout?done")
                .containsEntry("client_id", CodeFlowIdp.CLIENT_ID);
        assertThat(out.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("gatehouse_session=;")
                && c.contains("Max-Age=0") && c.contains("Domain=corp.test"));
        HttpResponse<String> done = b.follow(out);
        assertThat(done.body()).contains("You are signed out");
        // the old handle is dead everywhere, even sent again by hand
        assertThat(b.get("http://both.corp.test/").statusCode()).isEqualTo(302);
    }

    @Test
    void anEndedSessionIsRefusedWithTheSameCookie() {
        Browser b = signedIn("http://wiki.corp.test/");
        String handle = b.cookie("gatehouse_session").orElseThrow().value();
        Session s = sessions.cached(handle);
        assertThat(s).isNotNull();
        assertThat(s.state().sid()).as("the IdP's sid is kept for back-channel logout").isNotNull();
        assertThat(sessions.endBySid("test", s.state().sid())).isEqualTo(1);
        assertThat(b.get("http://wiki.corp.test/").statusCode()).isEqualTo(302);
    }

    static String csrfOf(String html) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
