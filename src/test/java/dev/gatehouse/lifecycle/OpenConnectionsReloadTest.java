package dev.gatehouse.lifecycle;

import static dev.gatehouse.lifecycle.Reloads.awaitStatus;
import static dev.gatehouse.lifecycle.Reloads.metric;
import static dev.gatehouse.testing.ReloadableConfig.app;
import static dev.gatehouse.testing.ReloadableConfig.document;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.Streams;
import dev.gatehouse.testing.ReloadableConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * After a reload, open WebSockets and streaming responses are re-checked at once: the profile
 * re-checks them only every 60 s, so a connection cut within two seconds of the edit was cut by the
 * re-check that follows the swap.
 */
@QuarkusTest
@TestProfile(ReloadProfile.class)
class OpenConnectionsReloadTest {
    static final String ALLOW = "{ allow: { authenticated_user: true } }";
    static final String ADMINS = "{ allow: { groups: { has: admins } } }";

    Vertx vertx;
    String alice;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        alice = ReloadableConfig.idp().validToken();
    }

    @AfterEach
    void tearDown() {
        vertx.close();
    }

    @Test
    void anOpenWebSocketIsClosedWhenAnEditDeniesIt() throws Exception {
        ReloadableConfig.write(document("", app("live", "test", ALLOW)));
        awaitStatus("live.test", alice, 200, 5000);
        WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(Http.port())
                .setURI("/ws").addHeader("Host", "live.test").addHeader("Authorization", "Bearer " + alice);
        WebSocket ws = vertx.createWebSocketClient().connect(o).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        CompletableFuture<Short> closed = new CompletableFuture<>();
        ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
        CompletableFuture<String> echoed = new CompletableFuture<>();
        ws.textMessageHandler(echoed::complete);
        ws.writeTextMessage("still here");
        assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("still here");

        long edited = System.nanoTime();
        ReloadableConfig.write(document("", app("live", "test", ADMINS)));
        assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo((short) 1008);
        long took = (System.nanoTime() - edited) / 1_000_000;
        assertThat(took).as("ms from the edit to the close").isLessThan(2000);
        assertThat(ws.closeReason()).isEqualTo("groups-unauthorized");
        assertThat(metric("gatehouse_live_revocations_total{app=\"live\",kind=\"websocket\",reason=\"groups-unauthorized\""))
                .isEqualTo(1.0);
    }

    @Test
    void aStreamingResponseIsCutWhenAnEditDeniesIt() throws Exception {
        ReloadableConfig.write(document("", app("stream", "test", ALLOW)));
        awaitStatus("stream.test", alice, 200, 5000);
        HttpResponse<InputStream> r = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                Http.to("stream.test", "/events").header("Authorization", "Bearer " + alice).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        try (InputStream body = r.body()) {
            assertThat(body.read(new byte[64])).isPositive();
            long edited = System.nanoTime();
            ReloadableConfig.write(document("", app("stream", "test", ADMINS)));
            CompletableFuture<Boolean> cut = CompletableFuture.supplyAsync(() -> Streams.endsInError(body));
            assertThat(cut.get(10, TimeUnit.SECONDS)).as("cut, not ended normally").isTrue();
            assertThat((System.nanoTime() - edited) / 1_000_000).as("ms from the edit to the cut").isLessThan(2000);
        }
    }

}
