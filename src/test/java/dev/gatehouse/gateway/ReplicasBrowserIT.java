package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.BrowserApps;
import dev.gatehouse.testing.Chromium;
import dev.gatehouse.testing.GatehouseProcess;
import dev.gatehouse.testing.KeycloakServer;
import dev.gatehouse.testing.Postgres;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;

/**
 * Two Gatehouse replicas (the packaged jar, twice) on one PostgreSQL store, a real Keycloak
 * ({@link KeycloakServer}, shared with the other ITs of this JVM) and headless Chromium: a person
 * signs in on replica A and the same browser session works on replica B; signing out with A's
 * sign-out form, or an admin ending the Keycloak session (back-channel logout delivered to A
 * only), makes B refuse the session within 1 s. The delays are printed.
 *
 * <p>Both replicas serve the same app host, {@code wiki.localhost}, on two ports. Cookies are
 * scoped to a host, not to a port (RFC 6265 section 8.5; Chromium follows it), so the host-only
 * {@code __Host-gatehouse_session} cookie A sets is sent to {@code wiki.localhost} on B's port too:
 * the browser behaves as behind a load balancer that sends its requests to either replica.
 *
 * <p>The replicas sign in through their own Keycloak client, {@value #CLIENT}, a copy of
 * {@code gatehouse} whose callbacks are on both ports and whose back-channel logout URL is A's:
 * the {@code gatehouse} client stays pointed at {@code BrowserIT}'s jar.
 */
@DisabledIfSystemProperty(named = "gatehouse.skip-keycloak", matches = "true")
class ReplicasBrowserIT {
    static final String CLIENT = "gatehouse-replicas";
    static final String SESSION_COOKIE = "__Host-gatehouse_session";
    static final HttpClient CLIENT_NO_REDIRECTS = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private static Vertx vertx;
    private static BrowserApps apps;
    private static KeycloakServer keycloak;
    private static GatehouseProcess a;
    private static GatehouseProcess b;

    @BeforeAll
    static void start() throws Exception {
        keycloak = KeycloakServer.get();
        vertx = Vertx.vertx();
        apps = BrowserApps.start(vertx);
        Path config = Files.createTempFile(Path.of("target").toAbsolutePath(), "gatehouse-replicas-browser", ".yaml");
        // the client secret comes from the environment (failsafe sets GATEHOUSE_CORP_SECRET; the
        // processes inherit it), as in production
        Files.writeString(config, """
                idps:
                  corp:
                    issuer: %1$s
                    audience: gatehouse
                    client-id: %3$s
                    client-secret: ${GATEHOUSE_CORP_SECRET}
                    claims:
                      groups: groups
                      device-id: device_id
                apps:
                  - id: wiki
                    host: wiki.localhost
                    upstream: %2$s/wiki
                    idp: corp
                    login: browser
                    identity-headers: true
                    policy:
                      allow:
                        groups: { has: engineering }
                """.formatted(keycloak.issuer(), apps.url(), CLIENT));
        String dbUrl = Postgres.freshDatabaseUrl();
        List<String> store = List.of("gatehouse.store.url=" + dbUrl, "gatehouse.store.username=postgres",
                "gatehouse.store.key=" + Postgres.SEALING_KEY);
        a = GatehouseProcess.launch("browser-replica-a", config, store);
        a.awaitReady(); // A creates the schema, the shared keys and the first session key; B finds them
        b = GatehouseProcess.launch("browser-replica-b", config, store);
        b.awaitReady();
        keycloak.addClient(CLIENT, List.of(origin(a), origin(b)),
                "http://127.0.0.1:" + a.port() + "/.gatehouse/backchannel-logout");
    }

    @AfterAll
    static void stop() throws Exception {
        for (GatehouseProcess p : new GatehouseProcess[] {a, b}) {
            if (p != null) {
                p.close();
            }
        }
        if (vertx != null) {
            vertx.close();
        }
    }

    static String origin(GatehouseProcess p) {
        return "http://wiki.localhost:" + p.port();
    }

    /** Signs in on A through Keycloak's login page; returns the session cookie A set. */
    static Cookie signInOnA(Chromium browser, String user) {
        String asked = origin(a) + "/from-a";
        browser.open(asked);
        browser.signInAtKeycloak(user, KeycloakServer.password(user));
        browser.await(Duration.ofSeconds(20), x -> asked.equals(x.url()), "back at A after signing in");
        assertThat(browser.text("email")).isEqualTo(user + "@corp.example");
        Cookie session = browser.cookie(SESSION_COOKIE);
        assertThat(session).as("A set the session cookie").isNotNull();
        return session;
    }

    /** The same browser on B: B serves the session A made (loaded from the store), no sign-in. */
    static void sameSessionOnB(Chromium browser, String user) {
        String onB = origin(b) + "/from-b";
        browser.open(onB);
        browser.await(Duration.ofSeconds(20), x -> onB.equals(x.url()) && x.text("path") != null,
                "B serves the page with A's session");
        assertThat(browser.text("path")).isEqualTo("/wiki/from-b");
        assertThat(browser.text("email")).as("B knows who it is").isEqualTo(user + "@corp.example");
    }

    /** A request to B with this session cookie, redirects not followed. */
    static int statusOnB(Cookie session) throws Exception {
        return CLIENT_NO_REDIRECTS.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b.port() + "/poll"))
                        .header("Host", "wiki.localhost:" + b.port())
                        .header("Cookie", session.getName() + "=" + session.getValue())
                        .header("Accept", "text/html").timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static HttpResponse<String> onB(Cookie session) throws Exception {
        return CLIENT_NO_REDIRECTS.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b.port() + "/after"))
                        .header("Host", "wiki.localhost:" + b.port())
                        .header("Cookie", session.getName() + "=" + session.getValue())
                        .header("Accept", "text/html").timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Polls B with {@code session} (in the background, every few ms) from before the sign-out until
     * B refuses it; {@link #refusedAtNanos} is when it first did.
     */
    static final class Poller extends Thread {
        final Cookie session;
        final AtomicLong refusedAt = new AtomicLong();
        /** Wall-clock time (epoch ms) of the first refusal, to compare with a replica's log. */
        final AtomicLong refusedAtWallMs = new AtomicLong();
        volatile int lastStatus;
        volatile boolean stop;

        Poller(Cookie session) {
            super("poll-replica-b");
            this.session = session;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!stop) {
                try {
                    long before = System.nanoTime();
                    long beforeWall = System.currentTimeMillis();
                    int status = statusOnB(session);
                    lastStatus = status;
                    if (status != 200) {
                        refusedAt.set(before); // the request that saw it was sent at `before`, or later
                        refusedAtWallMs.set(beforeWall);
                        return;
                    }
                    Thread.sleep(5);
                } catch (Exception e) {
                    lastStatus = -1;
                }
            }
        }

        long refusedAtNanos(Duration within) throws InterruptedException {
            join(within.toMillis());
            stop = true;
            return refusedAt.get();
        }
    }

    @Test
    void aSessionMadeOnAWorksOnBAndSigningOutOnAIsEnforcedOnBWithinOneSecond() throws Exception {
        try (Chromium browser = new Chromium()) {
            Cookie session = signInOnA(browser, "carol");
            sameSessionOnB(browser, "carol");
            assertThat(statusOnB(session)).isEqualTo(200);

            Poller poller = new Poller(session);
            poller.start();
            browser.open(origin(a) + "/.gatehouse/logout");
            long clicked = System.nanoTime();
            browser.driver().findElement(By.id("sign-out")).click();
            // the browser leaves A's form once A answered the POST (303 to Keycloak's end-session)
            browser.await(Duration.ofSeconds(20), x -> !x.url().startsWith(origin(a) + "/.gatehouse/logout")
                    || x.url().contains("done"), "A answered the sign-out");
            long answered = System.nanoTime();
            browser.await(Duration.ofSeconds(20), x -> x.url().startsWith(origin(a) + "/.gatehouse/logout?done"),
                    "signed out at Keycloak and back at A");
            long refused = poller.refusedAtNanos(Duration.ofSeconds(10));
            assertThat(refused).as("B refused the session within 10 s (last status %d)", poller.lastStatus)
                    .isPositive();
            long afterClickMs = (refused - clicked) / 1_000_000;
            long afterAnswerMs = Math.max(0, (refused - answered) / 1_000_000);
            System.out.println("replicas: sign-out on A enforced on B " + afterClickMs
                    + " ms after the click (the POST, A ending the session, the notice), " + afterAnswerMs
                    + " ms after the browser saw A's answer");
            assertThat(afterAnswerMs).as("B refuses within 1 s of A's answer (%d ms after the click)", afterClickMs)
                    .isLessThanOrEqualTo(1_000);
            HttpResponse<String> after = onB(session);
            assertThat(after.statusCode()).as("sent to sign in").isEqualTo(302);
            assertThat(after.headers().firstValue("Location").orElse("")).startsWith(keycloak.issuer());
        }
    }

    /** When A logged that it ended sessions for a back-channel logout (epoch ms), from its JSON log; 0 if it did not. */
    static long lastBackchannelLogoutOnA() throws Exception {
        long at = 0;
        for (String line : Files.readAllLines(a.log())) {
            if (line.contains("back-channel logout from corp") && line.contains("\"timestamp\":\"")) {
                String ts = line.substring(line.indexOf("\"timestamp\":\"") + 13);
                at = java.time.Instant.parse(ts.substring(0, ts.indexOf('"'))).toEpochMilli();
            }
        }
        return at;
    }

    @Test
    void aBackChannelLogoutDeliveredToAEndsTheSessionOnBWithinOneSecond() throws Exception {
        try (Chromium browser = new Chromium()) {
            Cookie session = signInOnA(browser, "dave");
            sameSessionOnB(browser, "dave");
            assertThat(statusOnB(session)).isEqualTo(200);
            List<String> ids = keycloak.sessionIds("dave");
            assertThat(ids).isNotEmpty();
            long endedBefore = lastBackchannelLogoutOnA();
            Poller poller = new Poller(session);
            poller.start();
            long d0 = System.nanoTime();
            ids.forEach(keycloak::deleteSession); // Keycloak posts the logout token to A (the client's URL)
            long returned = System.nanoTime();
            long refused = poller.refusedAtNanos(Duration.ofSeconds(10));
            assertThat(refused).as("B refused the session within 10 s (last status %d)", poller.lastStatus)
                    .isPositive();
            long endedOnA = lastBackchannelLogoutOnA();
            assertThat(endedOnA).as("A got the logout token and ended the session").isGreaterThan(endedBefore);
            long afterA = poller.refusedAtWallMs.get() - endedOnA;
            System.out.println("replicas: back-channel logout to A: Keycloak's delete took " + (returned - d0) / 1_000_000
                    + " ms; B refused the session " + afterA + " ms after A logged that it ended it, "
                    + (refused - returned) / 1_000_000 + " ms after Keycloak's delete returned");
            assertThat(afterA).as("B refuses within 1 s of A ending the session").isLessThanOrEqualTo(1_000);
            HttpResponse<String> after = onB(session);
            assertThat(after.statusCode()).as("sent to sign in").isEqualTo(302);
            assertThat(after.headers().firstValue("Location").orElse("")).startsWith(keycloak.issuer());
            assertThat(Files.readString(b.log())).as("the logout token went to A only")
                    .doesNotContain("back-channel logout from corp");
        }
    }
}
