package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.ConfigLoader;
import dev.gatehouse.route.Snapshot;
import dev.gatehouse.route.SnapshotHolder;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Base64;
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
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        RSAPublicKey key = (RSAPublicKey) g.generateKeyPair().getPublic();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        JsonObject jwk = new JsonObject().put("kty", "RSA").put("kid", "k1").put("use", "sig").put("alg", "RS256")
                .put("n", b64.encodeToString(unsigned(key.getModulus().toByteArray())))
                .put("e", b64.encodeToString(unsigned(key.getPublicExponent().toByteArray())));
        idp = vertx.createHttpServer().requestHandler(req -> {
            String base = "http://127.0.0.1:" + req.localAddress().port();
            if (req.path().equals("/.well-known/openid-configuration")) {
                req.response().putHeader("content-type", "application/json")
                        .end(new JsonObject().put("issuer", base).put("jwks_uri", base + "/certs").encode());
            } else if (req.path().equals("/certs")) {
                req.response().putHeader("content-type", "application/json")
                        .end(new JsonObject().put("keys", new JsonArray().add(jwk)).encode());
            } else {
                req.response().setStatusCode(404).end();
            }
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
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

    private static byte[] unsigned(byte[] twosComplement) {
        return twosComplement.length > 1 && twosComplement[0] == 0
                ? java.util.Arrays.copyOfRange(twosComplement, 1, twosComplement.length) : twosComplement;
    }
}
