package dev.gatehouse.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.CodeFlowIdp;
import dev.gatehouse.testing.GatehouseProcess;
import dev.gatehouse.testing.Postgres;
import dev.gatehouse.testing.RecordingUpstream;
import dev.gatehouse.testing.TestIdp;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A sign-in callback replayed to another replica: two Gatehouse processes on one PostgreSQL, the
 * test IdP's code flow. The sign-in starts on A, its callback is answered by B (a session), and the
 * same callback (with the same state cookie, which every replica can read) sent to A is refused
 * before its code goes to the IdP: the store remembers every state used. A has never seen this
 * callback, so its own memory of callbacks cannot be what stops it.
 */
class CallbackReplayIT {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private static Vertx vertx;
    private static TestIdp idp;
    private static GatehouseProcess a;
    private static GatehouseProcess b;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        idp = TestIdp.start(vertx);
        idp.codeFlow().enabled = true;
        RecordingUpstream upstream = RecordingUpstream.start(vertx);
        Path config = Files.createTempFile(Path.of("target").toAbsolutePath(), "gatehouse-callback-replay", ".yaml");
        Files.writeString(config, """
                idps:
                  test:
                    issuer: %s
                    audience: gatehouse
                    client-id: %s
                    client-secret: %s
                apps:
                  - id: wiki
                    host: wiki.test
                    upstream: %s
                    idp: test
                    login: browser
                    policy:
                      allow: { groups: { has: engineering } }
                """.formatted(idp.issuer(), CodeFlowIdp.CLIENT_ID, CodeFlowIdp.CLIENT_SECRET, upstream.url()));
        List<String> store = List.of("gatehouse.store.url=" + Postgres.freshDatabaseUrl(),
                "gatehouse.store.username=postgres", "gatehouse.store.key=" + Postgres.SEALING_KEY);
        a = GatehouseProcess.launch("callback-replay-a", config, store);
        a.awaitReady();
        b = GatehouseProcess.launch("callback-replay-b", config, store);
        b.awaitReady();
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

    static HttpResponse<String> get(GatehouseProcess p, String pathAndQuery, String cookie) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.port() + pathAndQuery))
                .header("Host", "wiki.test").header("Accept", "text/html").timeout(Duration.ofSeconds(20));
        if (cookie != null) {
            r.header("Cookie", cookie);
        }
        return CLIENT.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String location(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
        return r.headers().firstValue("Location").orElseThrow();
    }

    @Test
    void aCallbackAnsweredByOneReplicaIsRefusedByTheOtherBeforeTheIdpIsAsked() throws Exception {
        HttpResponse<String> started = get(a, "/private", null);
        String stateCookie = started.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("__Host-gatehouse_login_")).map(c -> c.split(";", 2)[0]).findFirst()
                .orElseThrow();
        HttpResponse<String> atIdp = CLIENT.send(HttpRequest.newBuilder(URI.create(location(started))).build(),
                HttpResponse.BodyHandlers.ofString());
        URI callback = URI.create(location(atIdp));
        String pathAndQuery = callback.getRawPath() + "?" + callback.getRawQuery();

        HttpResponse<String> onB = get(b, pathAndQuery, stateCookie);
        assertThat(location(onB)).isEqualTo("http://wiki.test/private");
        assertThat(onB.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("__Host-gatehouse_session="));
        int exchanges = idp.codeFlow().codeExchanges.get();

        HttpResponse<String> replayedOnA = get(a, pathAndQuery, stateCookie);
        assertThat(replayedOnA.statusCode()).as(replayedOnA.body()).isEqualTo(400);
        assertThat(replayedOnA.body()).contains("Signing in did not complete");
        assertThat(replayedOnA.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith("__Host-gatehouse_session="));
        assertThat(idp.codeFlow().codeExchanges.get()).as("the code never reached the IdP again").isEqualTo(exchanges);
        assertThat(Files.readString(a.log())).contains("callback replayed (seen by another replica)");

        HttpResponse<String> replayedOnB = get(b, pathAndQuery, stateCookie);
        assertThat(replayedOnB.statusCode()).as("and on the replica that answered it").isEqualTo(400);
    }
}
