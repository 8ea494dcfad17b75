package dev.gatehouse.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.Browser;
import dev.gatehouse.testing.BrowserTestResource;
import dev.gatehouse.testing.Postgres;
import dev.gatehouse.testing.PostgresStoreResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The store (PostgreSQL) goes away while a person is at the IdP: the callback cannot record its
 * state as used, so it answers the 503 plain-words page ({@code sessions-unavailable}) and makes no
 * session; once the store is back, signing in works again.
 */
@QuarkusTest
@QuarkusTestResource(value = BrowserTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = PostgresStoreResource.class, restrictToAnnotatedClass = true)
class StoreLostDuringSignInTest {
    static final String APP = "http://wiki.corp.test/";

    /** Refuses (or allows again) every connection to Gatehouse's database and ends those open. */
    static void storeReachable(boolean reachable) throws Exception {
        String url = ConfigProvider.getConfig().getValue("gatehouse.store.url", String.class);
        String db = url.substring(url.lastIndexOf('/') + 1);
        try (Connection c = Postgres.server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + db + " ALLOW_CONNECTIONS " + reachable);
            if (!reachable) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db + "'");
            }
        }
    }

    @Test
    void aCallbackWhileTheStoreIsAwayIs503AndMakesNoSession() throws Exception {
        BrowserTestResource.idp().codeFlow().reset();
        Browser b = new Browser();
        HttpResponse<String> start = b.get(APP + "private");
        assertThat(start.statusCode()).isEqualTo(302);
        HttpResponse<String> atIdp = b.get(Browser.location(start, APP));
        String callback = Browser.location(atIdp, APP);
        storeReachable(false);
        try {
            HttpResponse<String> r = b.get(callback);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
            assertThat(r.headers().firstValue("Retry-After")).hasValue("30");
            assertThat(r.body()).contains("Signing in is not possible right now").doesNotContain("Exception");
            assertThat(b.cookie("gatehouse_session")).as("no session cookie").isEmpty();
        } finally {
            storeReachable(true);
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        HttpResponse<String> again;
        do {
            again = new Browser().open(APP + "again"); // the pool reconnects on its own
        } while (again.statusCode() != 200 && System.nanoTime() < deadline);
        assertThat(again.statusCode()).as("signing in works once the store is back: " + again.body()).isEqualTo(200);
    }
}
