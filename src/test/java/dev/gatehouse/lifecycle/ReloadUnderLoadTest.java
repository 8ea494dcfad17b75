package dev.gatehouse.lifecycle;

import static dev.gatehouse.lifecycle.Reloads.awaitMetric;
import static dev.gatehouse.lifecycle.Reloads.awaitStatus;
import static dev.gatehouse.lifecycle.Reloads.metric;
import static dev.gatehouse.testing.ReloadableConfig.app;
import static dev.gatehouse.testing.ReloadableConfig.document;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.ReloadableConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Requests flow from several threads while the config file is rewritten 20 times: every response
 * is what the (unchanged) policy says, before, during and after each swap. The rewrites alternate
 * between two versions that differ in a comment and in another app's policy, so every one is a real
 * reload that compiles something.
 */
@QuarkusTest
@TestProfile(ReloadProfile.class)
class ReloadUnderLoadTest {
    static final int RELOADS = 20;
    static final int THREADS = 4;
    static final String ALLOW = "{ allow: { authenticated_user: true } }";
    static final String ENGINEERS = "{ allow: { groups: { has: engineering } } }";

    @Test
    void noRequestFailsAcross20Reloads() throws Exception {
        String alice = ReloadableConfig.idp().validToken();
        Map<String, Object> claims = ReloadableConfig.idp().engineer();
        claims.put("groups", List.of("sales"));
        String sales = ReloadableConfig.idp().sign(claims);
        ReloadableConfig.write(version(0));
        awaitStatus("steady.test", sales, 403, 5000);
        awaitStatus("other.test", alice, 200, 5000);
        double successes = metric(ConfigReloadTest.SUCCESS);

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong sent = new AtomicLong();
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            boolean engineer = t % 2 == 0;
            Thread client = new Thread(() -> {
                while (running.get()) {
                    HttpResponse<String> r = Http.get("steady.test", "/", engineer ? alice : sales);
                    sent.incrementAndGet();
                    if (r.statusCode() != (engineer ? 200 : 403)) {
                        wrong.add(r.statusCode() + " " + r.body());
                    }
                }
            }, "load-" + t);
            clients.add(client);
            client.start();
        }
        try {
            for (int i = 1; i <= RELOADS; i++) {
                ReloadableConfig.write(version(i));
                awaitMetric(ConfigReloadTest.SUCCESS, successes + i);
            }
        } finally {
            running.set(false);
            for (Thread client : clients) {
                client.join(10_000);
            }
        }
        assertThat(wrong).as("responses other than the policy's, of " + sent.get()).isEmpty();
        assertThat(sent.get()).as("requests sent during the reloads").isGreaterThan(RELOADS * THREADS);
        assertThat(metric(ConfigReloadTest.version("steady"))).as("the app under load never changed").isEqualTo(1.0);
        assertThat(metric(ConfigReloadTest.version("other"))).isEqualTo(1.0 + RELOADS);
    }

    /** Version {@code i}: a comment and the other app's policy alternate; the app under load stays. */
    private static String version(int i) {
        return "# edit " + i + "\n" + document("", app("steady", "test", ENGINEERS),
                app("other", "test", i % 2 == 0 ? ALLOW : "{ allow: { accept: true } }"));
    }
}
