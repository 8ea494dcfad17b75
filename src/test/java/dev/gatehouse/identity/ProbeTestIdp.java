package dev.gatehouse.identity;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal IdP for the key probe's tests, on a Vert.x HTTP server: a discovery document naming
 * {@code /certs}, a JWKS with one RSA key there, {@code /not-json} answering text, 404 elsewhere.
 * Counts the requests it answered.
 */
final class ProbeTestIdp {
    final HttpServer server;
    /** Requests answered so far. */
    final AtomicInteger requests;

    private ProbeTestIdp(HttpServer server, AtomicInteger requests) {
        this.server = server;
        this.requests = requests;
    }

    static ProbeTestIdp start(Vertx vertx) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        RSAPublicKey key = (RSAPublicKey) g.generateKeyPair().getPublic();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        JsonObject jwk = new JsonObject().put("kty", "RSA").put("kid", "k1").put("use", "sig").put("alg", "RS256")
                .put("n", b64.encodeToString(unsigned(key.getModulus().toByteArray())))
                .put("e", b64.encodeToString(unsigned(key.getPublicExponent().toByteArray())));
        AtomicInteger count = new AtomicInteger();
        HttpServer server = vertx.createHttpServer().requestHandler(req -> {
            count.incrementAndGet();
            String base = "http://127.0.0.1:" + req.localAddress().port();
            if (req.path().equals("/.well-known/openid-configuration")) {
                req.response().putHeader("content-type", "application/json")
                        .end(new JsonObject().put("issuer", base).put("jwks_uri", base + "/certs").encode());
            } else if (req.path().equals("/certs")) {
                req.response().putHeader("content-type", "application/json")
                        .end(new JsonObject().put("keys", new JsonArray().add(jwk)).encode());
            } else if (req.path().equals("/not-json")) {
                req.response().putHeader("content-type", "text/html").end("<html>sign in</html>");
            } else {
                req.response().setStatusCode(404).end();
            }
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return new ProbeTestIdp(server, count);
    }

    String base() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    private static byte[] unsigned(byte[] twosComplement) {
        return twosComplement.length > 1 && twosComplement[0] == 0
                ? Arrays.copyOfRange(twosComplement, 1, twosComplement.length) : twosComplement;
    }
}
