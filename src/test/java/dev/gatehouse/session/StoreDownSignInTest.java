package dev.gatehouse.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.Browser;
import dev.gatehouse.testing.BrowserTestResource;
import dev.gatehouse.testing.GatehouseProcess;
import dev.gatehouse.testing.Http;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Gatehouse started while its store (PostgreSQL here) does not answer, so the session keys were
 * never read: a person who opens a browser app, or arrives at the callback, gets a 503 plain-words
 * page ({@code sessions-unavailable}, {@code Retry-After}), never a stack trace, a sign-in made with
 * no keys, or a session cookie; bearer apps keep working from the file.
 */
@QuarkusTest
@QuarkusTestResource(value = BrowserTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = StoreDownSignInTest.UnreachableStore.class, restrictToAnnotatedClass = true)
class StoreDownSignInTest {
    /** A PostgreSQL store on a port nobody listens on. */
    public static class UnreachableStore implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                return Map.of("gatehouse.store.url", "jdbc:postgresql://127.0.0.1:" + GatehouseProcess.freePort()
                                + "/gatehouse?connectTimeout=2", "gatehouse.store.username", "postgres",
                        "gatehouse.store.key", dev.gatehouse.testing.Postgres.SEALING_KEY);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {
        }
    }

    static void assertPlainWords503(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(r.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(r.body()).contains("Signing in is not possible right now")
                .doesNotContain("Exception").doesNotContain("at dev.gatehouse");
        assertThat(r.headers().allValues("Set-Cookie")).noneMatch(c -> c.contains("gatehouse_session=")
                && !c.contains("Max-Age=0"));
    }

    @Test
    void aPersonOpeningABrowserAppIsToldSignInIsUnavailable() {
        double before = Http.metricValue(Http.metrics(), "gatehouse_requests_total{app=\"wiki\",decision=\"upstream_error\","
                + "reason=\"sessions-unavailable\"");
        assertPlainWords503(new Browser().get("http://wiki.corp.test/docs"));
        // and again at once: answered without waiting for the store a second time
        long t0 = System.nanoTime();
        assertPlainWords503(new Browser().get("http://wiki.corp.test/docs"));
        System.out.println("store down: second sign-in answered 503 in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertThat(Http.metricValue(Http.metrics(), "gatehouse_requests_total{app=\"wiki\",decision=\"upstream_error\","
                + "reason=\"sessions-unavailable\"")).isEqualTo(before + 2);
    }

    @Test
    void aCallbackWhileTheKeysCannotBeReadIs503AndMakesNoSession() {
        Browser b = new Browser();
        b.put("__Host-gatehouse_login_AAAAAAAAAAA", "k1.AAAAAAAAAAAAAAAAAAAAAAAAAAAA", "wiki.corp.test");
        assertPlainWords503(b.get("http://wiki.corp.test/.gatehouse/callback?code=abc&state=AAAAAAAAAAA.xyz"));
    }

    @Test
    void bearerAppsKeepWorking() {
        HttpResponse<String> r = Http.get("bearer.corp.test", "/x", BrowserTestResource.idp().validToken());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }
}
