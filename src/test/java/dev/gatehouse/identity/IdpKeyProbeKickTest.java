package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.route.Snapshot;
import dev.gatehouse.route.SnapshotHolder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Readiness waits for the IdP keys the probe fetches. At startup {@code lifecycle.ConfigBootstrap}
 * tells the probe the config is in force, and the probe fetches at once, beside the rest of the
 * boot: no tick to wait for (up to 250 ms, BENCHMARKS.md issue 13 round seven). Here the probe's
 * timer is never started, so only that call can fetch.
 */
class IdpKeyProbeKickTest {
    private Vertx vertx;
    private HttpServer idp;

    @BeforeEach
    void startIdp() throws Exception {
        vertx = Vertx.vertx();
        idp = ProbeTestIdp.start(vertx).server;
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void fetchesAsSoonAsTheConfigIsInForce() throws Exception {
        SnapshotHolder holder = new SnapshotHolder();
        holder.swap(Snapshot.of(new ConfigLoader().parse("idps:\n  corp: {issuer: 'http://127.0.0.1:" + idp.actualPort()
                + "', audience: gatehouse}\napps: []\n", "test"), 1));
        IdpKeyProbe probe = new IdpKeyProbe(vertx, holder, Clock.systemUTC(), new JwksKeys());
        assertThat(probe.states().get("corp").fetchedOnce()).isFalse();

        probe.configInForce(); // no StartupEvent: no timer, so nothing else fetches

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!probe.states().get("corp").fetchedOnce() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        IdpKeyProbe.IdpState state = probe.states().get("corp");
        assertThat(state.fetchedOnce()).as("keys fetched: %s", state).isTrue();
        assertThat(state.keys()).isEqualTo(1);
    }
}
