package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.Chromium;
import dev.gatehouse.testing.KeycloakBrowserResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.KeycloakServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.openqa.selenium.Cookie;

/**
 * A person in a real browser (headless Chromium, Selenium) in front of the packaged jar, signing in
 * at a real Keycloak ({@link KeycloakServer}, shared with {@code KeycloakIT}): the sign-in round
 * trip through Keycloak's login page back to the exact URL asked for; the plain-words deny page of
 * a device-gated app; two tabs signing in at once; sign-out and sign-in again; an admin ending the
 * person's session in Keycloak (back-channel logout) refusing the very next request; a WebSocket
 * the page opened closed when an admin revokes the user through Gatehouse's admin API.
 * Screenshots of the sign-in redirect, the deny page and the sign-out page go to
 * {@code target/screenshots/}. Skipped with {@code -DskipKeycloak}.
 */
@QuarkusIntegrationTest
@QuarkusTestResource(value = KeycloakBrowserResource.class, restrictToAnnotatedClass = true)
@DisabledIfSystemProperty(named = "gatehouse.skip-keycloak", matches = "true")
class BrowserIT {
    static final String SESSION_COOKIE = "__Host-gatehouse_session";
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static boolean clientPointed;
    KeycloakServer keycloak;

    @BeforeEach
    void pointKeycloakAtThisGatehouse() {
        keycloak = KeycloakServer.get();
        if (!clientPointed) { // Gatehouse's port is known only once the jar runs
            keycloak.pointClientAt(Http.port(), KeycloakBrowserResource.HOSTS);
            clientPointed = true;
        }
    }

    static String at(String host, String pathAndQuery) {
        return "http://" + host + ":" + Http.port() + pathAndQuery;
    }

    /** Opens {@code url}, signs in at Keycloak as {@code user}, and waits to be back at Gatehouse. */
    static void signIn(Chromium b, String url, String user) {
        b.open(url);
        b.signInAtKeycloak(user, KeycloakServer.password(user));
        b.await(Duration.ofSeconds(20), x -> x.url().startsWith(url.substring(0, url.indexOf('/', 8))),
                "back at the app after signing in");
    }

    /** A request through Gatehouse with the browser's session cookie, not following redirects. */
    static HttpResponse<String> withCookie(String host, String path, Cookie session) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + Http.port() + path))
                .header("Host", host + ":" + Http.port())
                .header("Cookie", session.getName() + "=" + session.getValue())
                .header("Accept", "text/html").timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void signInThroughKeycloaksLoginPageReturnsToTheExactUrl() {
        try (Chromium b = new Chromium()) {
            String asked = at("wiki.localhost", "/docs/page?id=42&lang=en");
            b.open(asked);
            b.await(Duration.ofSeconds(20), x -> x.url().startsWith(keycloak.issuer()), "redirected to Keycloak");
            assertThat(b.url()).contains("/protocol/openid-connect/auth", "code_challenge_method=S256",
                    "code_challenge=", "state=", "nonce=", "client_id=gatehouse");
            b.screenshot("sign-in-redirect");
            b.signInAtKeycloak("alice", KeycloakServer.password("alice"));
            b.await(Duration.ofSeconds(20), x -> asked.equals(x.url()), "back at " + asked);
            assertThat(b.text("path")).isEqualTo("/wiki/docs/page?id=42&lang=en");
            assertThat(b.text("email")).isEqualTo("alice@corp.example");
            Cookie session = b.cookie(SESSION_COOKIE);
            assertThat(session).as("host-only session cookie").isNotNull();
            assertThat(session.isSecure()).isTrue();
            assertThat(session.isHttpOnly()).isTrue();
            assertThat(session.getSameSite()).isEqualTo("Lax");
            assertThat(session.getValue().length()).isLessThanOrEqualTo(256);
            assertThat(b.text("path")).as("the cookie never reaches the upstream").doesNotContain("gatehouse_session");
        }
    }

    @Test
    void aNonCompliantDeviceGetsThePlainWordsDenyPage() {
        try (Chromium b = new Chromium()) {
            signIn(b, at("kiosk.localhost", "/"), "dave");
            String page = b.pageText();
            b.screenshot("deny-page");
            assertThat(page.toLowerCase()).contains("device");
            assertThat(page).contains("dave@corp.example").contains("Sign in as someone else");
            assertThat(b.text("path")).as("nothing of the app").isNull();
        }
    }

    @Test
    void twoTabsSigningInAtTheSameTimeBothArrive() {
        try (Chromium b = new Chromium()) {
            String first = at("wiki.localhost", "/first");
            String second = at("wiki.localhost", "/second");
            String tab1 = b.driver().getWindowHandle();
            b.open(first);
            b.await(Duration.ofSeconds(20), x -> x.url().startsWith(keycloak.issuer()), "tab 1 at Keycloak");
            String tab2 = b.newTab();
            b.open(second);
            b.await(Duration.ofSeconds(20), x -> x.url().startsWith(keycloak.issuer()), "tab 2 at Keycloak");
            // both sign-ins are under way: two state cookies, neither overwrites the other
            b.switchTo(tab1);
            b.signInAtKeycloak("alice", KeycloakServer.password("alice"));
            b.await(Duration.ofSeconds(20), x -> first.equals(x.url()), "tab 1 back at /first");
            b.switchTo(tab2);
            b.driver().navigate().refresh(); // Keycloak knows alice now: straight back with tab 2's state
            b.await(Duration.ofSeconds(20), x -> second.equals(x.url()), "tab 2 back at /second");
            assertThat(b.text("path")).isEqualTo("/wiki/second");
            b.switchTo(tab1);
            b.driver().navigate().refresh();
            assertThat(b.text("path")).isEqualTo("/wiki/first");
        }
    }

    /**
     * Found by this test on the browser branch and fixed there (42b6808): the sign-out page's
     * {@code Content-Security-Policy: form-action 'self'} also applied to the 303 to Keycloak's
     * end-session endpoint, so Chromium stayed on the page and the Keycloak session lived on.
     */
    @Test
    void signOutEndsTheSessionHereAndAtKeycloak() {
        try (Chromium b = new Chromium()) {
            signIn(b, at("wiki.localhost", "/"), "alice");
            b.open(at("wiki.localhost", "/.gatehouse/logout"));
            b.screenshot("logout-page");
            b.driver().findElement(org.openqa.selenium.By.id("sign-out")).click();
            // POST, then Keycloak's end-session endpoint (RP-initiated logout with id_token_hint), then back
            // to Gatehouse's "signed out" page
            b.await(Duration.ofSeconds(20), x -> x.url().startsWith(at("wiki.localhost", "/.gatehouse/logout?done")),
                    "signed out at Keycloak and back at Gatehouse");
            assertThat(b.cookie(SESSION_COOKIE)).isNull();
            b.screenshot("signed-out-page");
            b.open(at("wiki.localhost", "/after"));
            b.await(Duration.ofSeconds(20), x -> x.url().startsWith(keycloak.issuer())
                    && !x.driver().findElements(org.openqa.selenium.By.id("username")).isEmpty(),
                    "asked to sign in again at Keycloak's login page");
        }
    }

    @Test
    void anAdminEndingTheKeycloakSessionLocksTheBrowserOutWithinOneSecond() throws Exception {
        try (Chromium b = new Chromium()) {
            signIn(b, at("wiki.localhost", "/"), "erin");
            Cookie session = b.cookie(SESSION_COOKIE);
            assertThat(withCookie("wiki.localhost", "/before", session).statusCode()).isEqualTo(200);
            var sessions = keycloak.sessionIds("erin");
            assertThat(sessions).isNotEmpty();
            long d0 = System.nanoTime();
            sessions.forEach(keycloak::deleteSession); // Keycloak posts a logout token to Gatehouse
            long t0 = System.nanoTime(); // the admin's action is done: from here the clock runs
            HttpResponse<String> after = withCookie("wiki.localhost", "/after", session);
            while (after.statusCode() == 200 && System.nanoTime() - t0 < Duration.ofSeconds(1).toNanos()) {
                after = withCookie("wiki.localhost", "/after", session);
            }
            long tookMs = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("back-channel logout: Keycloak's delete took " + (t0 - d0) / 1_000_000
                    + " ms; the session was refused " + tookMs + " ms after it returned");
            assertThat(after.statusCode()).as("refused within 1 s (took %d ms)", tookMs).isEqualTo(302);
            assertThat(after.headers().firstValue("Location").orElse("")).startsWith(keycloak.issuer());
        }
    }

    @Test
    void aWebSocketThePageOpenedClosesWithinTwoSecondsOfARevocation() throws Exception {
        try (Chromium b = new Chromium()) {
            signIn(b, at("chat.localhost", "/chat"), "bob");
            b.await(Duration.ofSeconds(10), x -> "open".equals(x.text("ws")), "the page's WebSocket open");
            String bobSub = payload(keycloak.tokens("bob").getString("access_token")).getString("sub");
            String admin = keycloak.tokens("olivia").getString("access_token");
            HttpResponse<String> created = Http.send(Http.to("admin.localhost", "/api/v1/revocations")
                    .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"user\": \"" + bobSub + "\", \"idp\": \"corp\", "
                            + "\"expires\": \"10m\", \"reason\": \"browser test\"}")).build());
            long t0 = System.nanoTime();
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            try {
                b.await(Duration.ofSeconds(2), x -> x.text("ws").startsWith("closed"), "WebSocket closed");
                long tookMs = (System.nanoTime() - t0) / 1_000_000;
                System.out.println("revocation: WebSocket closed " + tookMs + " ms after the admin API answered");
                assertThat(b.text("ws")).isEqualTo("closed 1008 access-revoked");
            } finally {
                Http.send(Http.to("admin.localhost", "/api/v1/revocations/"
                        + new JsonObject(created.body()).getString("id")).header("Authorization", "Bearer " + admin)
                        .DELETE().build());
            }
        }
    }

    static JsonObject payload(String jwt) {
        return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }
}
