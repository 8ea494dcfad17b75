package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
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
