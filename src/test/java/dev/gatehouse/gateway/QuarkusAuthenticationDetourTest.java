package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pins why {@link QuarkusAuthenticationDetour} exists, on a real Vert.x router: a stand-in for
 * Quarkus's authentication handler sits at its real order (-200) and prepares the deferred identity.
 * The pipeline (order -300) answers a cache hit without ever passing it; a cache miss takes the
 * detour through it and continues after it (order -50) with the deferred identity prepared.
 */
class QuarkusAuthenticationDetourTest {
    private static final int QUARKUS_AUTHENTICATION_ORDER = -200;

    private final List<String> steps = new CopyOnWriteArrayList<>();
    private Vertx vertx;
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        QuarkusAuthenticationDetour detour = new QuarkusAuthenticationDetour();
        detour.install(router, rc -> {
            steps.add("pipeline");
            if (rc.request().path().equals("/hit")) {
                rc.response().end("hit"); // a verified-token cache hit: answered at once
                return;
            }
            detour.withDeferredIdentity(rc, () -> {
                boolean prepared = rc.get(QuarkusHttpUser.DEFERRED_IDENTITY_KEY) != null;
                steps.add("verify with deferred identity " + prepared);
                rc.response().end("miss");
            });
        });
        router.route().order(QUARKUS_AUTHENTICATION_ORDER).handler(rc -> {
            steps.add("quarkus authentication");
            rc.put(QuarkusHttpUser.DEFERRED_IDENTITY_KEY, "deferred");
            rc.next();
        });
        server = vertx.createHttpServer().requestHandler(router).listen(0).toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aCacheHitNeverPassesQuarkusAuthentication() throws Exception {
        assertThat(get("/hit")).isEqualTo("hit");
        assertThat(steps).containsExactly("pipeline");
    }

    @Test
    void aCacheMissIsVerifiedAfterQuarkusAuthenticationPreparedTheIdentity() throws Exception {
        assertThat(get("/miss")).isEqualTo("miss");
        assertThat(steps).containsExactly("pipeline", "quarkus authentication", "verify with deferred identity true");
    }

    @Test
    void theDetourOrdersSurroundQuarkusAuthentication() {
        assertThat(QuarkusAuthenticationDetour.BEFORE).isLessThan(QUARKUS_AUTHENTICATION_ORDER);
        assertThat(QuarkusAuthenticationDetour.AFTER).isGreaterThan(QUARKUS_AUTHENTICATION_ORDER);
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }
}
