package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.RecordingUpstream;
import dev.gatehouse.testing.TestIdp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** WebSocket upgrades: allowed ones bridge both ways, denied ones never reach the upstream, open ones are re-checked. */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class WebSocketTest {
    Vertx vertx;
    WebSocketClient client;
    TestIdp idp;
    RecordingUpstream upstream;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        client = vertx.createWebSocketClient();
        idp = GatehouseTestResource.idp();
        upstream = GatehouseTestResource.upstream();
        upstream.reset();
    }

    @AfterEach
    void tearDown() {
        vertx.close();
    }

    private CompletableFuture<WebSocket> connect(String token) {
        WebSocketConnectOptions o = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(Http.port()).setURI("/ws")
                .addHeader("Host", "api.test");
        if (token != null) {
            o.addHeader("Authorization", "Bearer " + token);
        }
        o.addHeader("X-Gatehouse-User", "mallory");
        return client.connect(o).toCompletionStage().toCompletableFuture();
    }

    @Test
    void allowedUpgradeEchoesBothWays() throws Exception {
        WebSocket ws = connect(idp.validToken()).get(10, TimeUnit.SECONDS);
        CompletableFuture<String> echoed = new CompletableFuture<>();
        ws.textMessageHandler(echoed::complete);
        ws.writeTextMessage("hello through gatehouse");
        assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("hello through gatehouse");
        assertThat(upstream.webSocketConnects()).isEqualTo(1);
        RecordingUpstream.Received handshake = upstream.last();
        assertThat(handshake.header("X-Gatehouse-Assertion")).isNotBlank();
        assertThat(handshake.headers().getAll("X-Gatehouse-User")).isEmpty();
        assertThat(handshake.header("Authorization")).isNull();
        ws.close();
    }

    @Test
    void aClientCloseClosesTheUpstreamSide() throws Exception {
        for (int i = 0; i < 5; i++) {
            WebSocket ws = connect(idp.validToken()).get(10, TimeUnit.SECONDS);
            ws.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        long deadline = System.currentTimeMillis() + 10_000;
        while (upstream.webSocketCloses() < 5 && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(upstream.webSocketConnects()).isEqualTo(5);
        assertThat(upstream.webSocketCloses()).as("no upstream connection left behind").isEqualTo(5);
    }

    @Test
    void anUpstreamCloseClosesTheClientSide() throws Exception {
        WebSocket ws = connect(idp.validToken()).get(10, TimeUnit.SECONDS);
        CompletableFuture<Void> closed = new CompletableFuture<>();
        ws.closeHandler(v -> closed.complete(null));
        ws.writeTextMessage("close-me");
        ws.textMessageHandler(m -> { });
        // the recording upstream echoes; closing is tested from its side by closing its server socket
        upstream.closeAllWebSockets();
        closed.get(10, TimeUnit.SECONDS);
    }

    @Test
    void deniedUpgradesNeverReachTheUpstream() {
        assertRejected(connect(null), 401);
        Map<String, Object> sales = idp.engineer();
        sales.put("groups", List.of("sales"));
        assertRejected(connect(idp.sign(sales)), 403);
        assertThat(upstream.webSocketConnects()).isZero();
        assertThat(upstream.hits()).isZero();
    }

    @Test
    void anOpenSocketIsClosedWhenItsTokenExpires() throws Exception {
        Map<String, Object> shortLived = idp.engineer();
        shortLived.put("exp", System.currentTimeMillis() / 1000 + 2);
        WebSocket ws = connect(idp.sign(shortLived)).get(10, TimeUnit.SECONDS);
        CompletableFuture<Short> closed = new CompletableFuture<>();
        ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
        assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo((short) 1008);
        assertThat(ws.closeReason()).isEqualTo("token-expired");
    }

    private static void assertRejected(CompletableFuture<WebSocket> attempt, int status) {
        try {
            attempt.get(10, TimeUnit.SECONDS);
            throw new AssertionError("upgrade should have been rejected");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(UpgradeRejectedException.class);
            assertThat(((UpgradeRejectedException) e.getCause()).getStatus()).isEqualTo(status);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
