package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseProcess;
import dev.gatehouse.testing.RecordingUpstream;
import dev.gatehouse.testing.TestIdp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The app's timeout bounds the whole wait for the upstream, including the wait for one of its
 * pooled connections: with every connection busy, a queued request is answered 504 once the
 * timeout passed, not after the requests ahead of it have each used theirs up.
 */
class UpstreamPoolIT {

    @Test
    void requestsQueuedForABusyUpstreamPoolAre504WithinTheAppTimeout() throws Exception {
        Vertx vertx = Vertx.vertx();
        RecordingUpstream upstream = RecordingUpstream.start(vertx); // /slow answers after 3 s
        TestIdp idp = TestIdp.start(vertx);
        Path config = GatehouseProcess.openAppConfig(idp, upstream, "timeout: 1s");
        // one upstream connection: the first request holds it, the other three queue for it
        try (GatehouseProcess gatehouse = GatehouseProcess.launch("upstream-pool", config,
                List.of("gatehouse.upstream.pool-size=1")).awaitReady()) {
            long start = System.nanoTime();
            List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String path = "/slow?n=" + i;
                sent.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return GatehouseProcess.send(gatehouse.request("file.test", path, null).build());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (CompletableFuture<HttpResponse<String>> f : sent) {
                HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
                assertThat(r.statusCode()).isEqualTo(504);
                assertThat(new JsonObject(r.body()).getString("reason")).isEqualTo("upstream-timeout");
            }
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            // each waited at most its own 1 s (plus a busy machine's slack); one after the other,
            // as before the fix, the last answer came after 4 s
            assertThat(tookMs).as("all four answered within about one app timeout").isLessThan(3_000L);
            assertThat(upstream.hits()).as("the queued requests never reached the upstream").isLessThan(4);
            assertThat(GatehouseProcess.send(gatehouse.request("file.test", "/after", null).build()).statusCode())
                    .as("still serving").isEqualTo(200);
        } finally {
            vertx.close();
        }
    }
}
