package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.Streams;
import dev.gatehouse.testing.RecordingUpstream;
import dev.gatehouse.testing.TestClock;
import dev.gatehouse.testing.TestIdp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Long-lived HTTP responses (here server-sent events) are re-checked like WebSockets: while one
 * streams it shows in {@code gatehouse_open_connections{kind="stream"}}; when the token expires or
 * the policy decision turns to deny (posture gone stale), the stream is reset and counted. Time
 * moves by the test clock, not by sleeping; the wait is for the next re-check (1 s in tests).
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class LiveStreamsTest {
    @Inject
    TestClock clock;
    @Inject
    LiveConnections live;

    TestIdp idp;
    RecordingUpstream upstream;

    @BeforeEach
    void setUp() {
        idp = GatehouseTestResource.idp();
        upstream = GatehouseTestResource.upstream();
        upstream.reset();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void aStreamIsCountedAndResetWhenItsTokenExpires() throws Exception {
        Map<String, Object> claims = idp.engineer();
        claims.put("exp", System.currentTimeMillis() / 1000 + 120);
        assertCutWhen(idp.sign(claims), Duration.ofMinutes(3), "token-expired");
    }

    @Test
    void aStreamIsResetWhenThePolicyDecisionTurnsToDeny() throws Exception {
        // the api app asks for a device posture at most 15 minutes old: 20 minutes later it is stale
        Map<String, Object> claims = idp.engineer();
        claims.put("exp", System.currentTimeMillis() / 1000 + 3600);
        assertCutWhen(idp.sign(claims), Duration.ofMinutes(20), "device-posture-stale");
    }

    @Test
    void aStreamThatStaysAllowedRunsToItsEnd() throws Exception {
        HttpResponse<InputStream> r = open(idp.validToken());
        assertThat(r.statusCode()).isEqualTo(200);
        try (InputStream body = r.body()) {
            readAtLeast(body, 40); // a few events, across at least one re-check
            waitForGauge(1);
            assertThat(readAtLeast(body, 200)).as("still streaming after re-checks").isTrue();
        }
    }

    private void assertCutWhen(String token, Duration later, String reason) throws Exception {
        String revoked = "gatehouse_live_revocations_total{app=\"api\",kind=\"stream\",reason=\"" + reason + "\"";
        double before = Http.metricValue(Http.metrics(), revoked);
        long upstreamClosedBefore = upstream.eventStreamsClosed();
        HttpResponse<InputStream> r = open(token);
        assertThat(r.statusCode()).isEqualTo(200);
        try (InputStream body = r.body()) {
            assertThat(readAtLeast(body, 20)).isTrue();
            waitForGauge(1);
            clock.advance(later);
            CompletableFuture<Boolean> ended = CompletableFuture.supplyAsync(() -> Streams.endsInError(body));
            assertThat(ended.get(10, TimeUnit.SECONDS)).as("the stream was cut, not ended normally").isTrue();
        }
        waitForGauge(0);
        assertThat(Http.metricValue(Http.metrics(), revoked)).isEqualTo(before + 1);
        long deadline = System.currentTimeMillis() + 5000;
        while (upstream.eventStreamsClosed() == upstreamClosedBefore && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(upstream.eventStreamsClosed()).as("the upstream request was reset too")
                .isEqualTo(upstreamClosedBefore + 1);
    }

    private static HttpResponse<InputStream> open(String token) throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                Http.to("api.test", "/events").header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    /** Reads until {@code n} bytes arrived; false when the stream ended first. */
    private static boolean readAtLeast(InputStream in, int n) throws IOException {
        int total = 0;
        byte[] buf = new byte[256];
        while (total < n) {
            int k = in.read(buf);
            if (k < 0) {
                return false;
            }
            total += k;
        }
        return true;
    }


    private void waitForGauge(double expected) throws InterruptedException {
        String series = "gatehouse_open_connections{app=\"api\",kind=\"stream\"";
        long deadline = System.currentTimeMillis() + 5000;
        double value = -1;
        while (System.currentTimeMillis() < deadline) {
            value = Http.metricValue(Http.metrics(), series);
            if (value == expected) {
                return;
            }
            Thread.sleep(50);
        }
        assertThat(value).as(series).isEqualTo(expected);
    }
}
