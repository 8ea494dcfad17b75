package dev.gatehouse.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.Browser;
import dev.gatehouse.testing.BrowserTestResource;
import dev.gatehouse.testing.CodeFlowIdp;
import dev.gatehouse.testing.RecordingUpstream;
import dev.gatehouse.testing.TestClock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The callback accepts a {@code state} only with the state cookie of the browser that started the
 * sign-in, once, within the login timeout; a rigged callback never makes a session.
 */
@QuarkusTest
@QuarkusTestResource(value = BrowserTestResource.class, restrictToAnnotatedClass = true)
class CallbackCsrfTest {
    @Inject
    TestClock clock;
    @Inject
    SignInStates states;
    CodeFlowIdp flow;
    RecordingUpstream upstream;

    @BeforeEach
    void setUp() {
        flow = BrowserTestResource.idp().codeFlow();
        flow.reset();
        upstream = BrowserTestResource.upstream();
        upstream.reset();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    /** Starts a sign-in and lets the IdP answer; returns the callback URL (not yet visited). */
    private static String callbackUrl(Browser b) {
        HttpResponse<String> start = b.get("http://wiki.corp.test/private");
        HttpResponse<String> atIdp = b.get(Browser.location(start, "http://wiki.corp.test/"));
        return Browser.location(atIdp, "http://wiki.corp.test/");
    }

    private static void assertRefused(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("sign-in-failed");
        assertThat(r.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("gatehouse_session=")
                && !c.contains("Max-Age=0"));
    }

    @Test
    void missingState() {
        Browser b = new Browser();
        callbackUrl(b);
        assertRefused(b.get("http://wiki.corp.test/.gatehouse/callback?code=abc"));
    }

    @Test
    void mismatchedState() {
        Browser b = new Browser();
        String url = callbackUrl(b);
        String tampered = url.replaceAll("state=([^.&]+)\\.[^&]+", "state=$1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        assertThat(tampered).isNotEqualTo(url);
        assertRefused(b.get(tampered));
    }

    @Test
    void replayedCallback() {
        Browser b = new Browser();
        String url = callbackUrl(b);
        String stateCookie = b.cookieHeader("wiki.corp.test");
        assertThat(b.get(url).statusCode()).isEqualTo(302);
        Browser replay = new Browser();
        replay.put(stateCookie.substring(0, stateCookie.indexOf('=')), stateCookie.substring(stateCookie.indexOf('=') + 1),
                "wiki.corp.test");
        assertRefused(replay.get(url));
    }

    @Test
    void expiredState() {
        Browser b = new Browser();
        String url = callbackUrl(b);
        clock.advance(Duration.ofMinutes(11));
        assertRefused(b.get(url));
    }

    @Test
    void stateFromAnotherBrowser() {
        Browser victim = new Browser();
        String attackersCallback = callbackUrl(new Browser()); // the attacker's own sign-in, handed to a victim
        callbackUrl(victim); // the victim has a sign-in under way too, with its own state cookie
        assertRefused(victim.get(attackersCallback));
        assertThat(upstream.hits()).isZero();
    }

    @Test
    void forgedStateCookie() {
        Browser b = new Browser();
        String url = callbackUrl(b);
        String name = b.cookies().get(0).name();
        b.put(name, "k." + "A".repeat(80), "wiki.corp.test");
        assertRefused(b.get(url));
    }

    @Test
    void anErrorFromTheIdpIsAPageNotASession() {
        Browser b = new Browser();
        String url = callbackUrl(b);
        assertRefused(b.get(url.replaceFirst("code=[^&]+", "error=access_denied")));
    }

    @Test
    void theVerifierIsCheckedByTheIdp() {
        Browser b = new Browser();
        int failures = flow.pkceFailures.get();
        assertThat(b.open("http://wiki.corp.test/").statusCode()).isEqualTo(200);
        assertThat(flow.pkceFailures.get()).as("the verifier matched the challenge").isEqualTo(failures);
    }

    /**
     * The state cookie is readable on every replica, so a callback replayed to another replica got
     * past the replica-local check: the store's record of used states stops it. Here the "other
     * replica" used the state first (recorded through the same store), and this one has not seen it.
     */
    @Test
    void aCallbackAnotherReplicaSawIsRefusedHere() throws Exception {
        Browser b = new Browser();
        String url = callbackUrl(b);
        String state = java.net.URLDecoder.decode(url.replaceAll(".*[?&]state=([^&]+).*", "$1"),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(states.firstUse(state, System.currentTimeMillis() + 600_000).toCompletionStage()
                .toCompletableFuture().get()).as("used on the other replica").isTrue();
        assertRefused(b.get(url));
        assertThat(upstream.hits()).isZero();
    }
}
