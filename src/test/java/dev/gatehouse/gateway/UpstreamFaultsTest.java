package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.RecordingUpstream;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Upstreams that fail mid-exchange: the client is told (502 before the answer started, a broken
 * connection after), nothing hangs, and the proxy keeps serving.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class UpstreamFaultsTest {

    /**
     * The app's timeout (1 s on slow.test) bounds the wait for the upstream's answer: 504
     * {@code upstream-timeout} once it passed, not before, and the upstream's request is abandoned
     * (its connection closed), not left running.
     */
    @Test
    void anUpstreamSlowerThanTheAppTimeoutIs504AndItsRequestIsAbandoned() throws Exception {
        RecordingUpstream upstream = GatehouseTestResource.upstream();
        upstream.reset();
        long start = System.nanoTime();
        HttpResponse<String> r = Http.get("slow.test", "/slow", null);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(504);
        assertThat(new JsonObject(r.body()).getString("reason")).isEqualTo("upstream-timeout");
        // (the 504 itself says it came before the upstream's answer at 3 s; no upper bound on time:
        // a busy machine may delay it)
        assertThat(tookMs).as("not before the app's timeout").isGreaterThanOrEqualTo(950L);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (upstream.slowAbandoned() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(upstream.slowAbandoned()).as("the upstream request was cancelled").isEqualTo(1);
    }

    /**
     * A request answered in time leaves no deadline behind: long after the app's timeout, the
     * upstream connection it used is still open and serves the next request (a deadline that fired
     * anyway would have reset it).
     */
    @Test
    void aRequestAnsweredInTimeLeavesNoTimeoutBehind() throws Exception {
        RecordingUpstream upstream = GatehouseTestResource.upstream();
        assertThat(Http.get("slow.test", "/first", null).statusCode()).isEqualTo(200);
        upstream.reset();
        Thread.sleep(1_500); // past slow.test's 1 s timeout
        assertThat(Http.get("slow.test", "/second", null).statusCode()).isEqualTo(200);
        assertThat(upstream.connections()).as("the kept-alive upstream connection was reused").isZero();
        assertThat(upstream.brokenOff()).isZero();
    }

    @Test
    void anUpstreamThatDropsTheConnectionBeforeAnsweringIs502() {
        HttpResponse<String> r = Http.get("slow.test", "/reset-before-answer", null);
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(new JsonObject(r.body()).getString("reason")).isEqualTo("upstream-unavailable");
    }

    @Test
    void anUpstreamThatBreaksOffMidBodyBreaksTheClientsResponseToo() {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.send(Http.to("slow.test", "/reset-mid-body").build(),
                HttpResponse.BodyHandlers.ofByteArray()))
                .as("a truncated body must not look complete").isInstanceOf(IOException.class);
        assertThat(System.nanoTime() - start).as("nothing hangs").isLessThan(15_000_000_000L);
        assertThat(Http.get("slow.test", "/after", null).statusCode()).as("still serving").isEqualTo(200);
    }
}
