package dev.gatehouse.demo;

import io.smallrye.jwt.build.Jwt;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A development OpenID provider for the demo: discovery, a JWKS and a token endpoint that signs
 * RS256 tokens for three demo users. {@code GET /token/alice} answers the raw token.
 * It exists so the demo needs nothing installed; it has no passwords and must never face a network.
 */
final class DemoIdp {
    static final String AUDIENCE = "gatehouse";

    private final KeyPair keys;
    private final String issuer;
    private final HttpServer server;

    private DemoIdp(KeyPair keys, String issuer, HttpServer server) {
        this.keys = keys;
        this.issuer = issuer;
        this.server = server;
    }

    static DemoIdp start(Vertx vertx, int port) {
        KeyPair keys;
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            keys = gen.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String issuer = "http://localhost:" + port + "/realms/demo";
        HttpServer server = vertx.createHttpServer();
        DemoIdp idp = new DemoIdp(keys, issuer, server);
        server.requestHandler(req -> {
            String path = req.path();
            if (path.equals("/realms/demo/.well-known/openid-configuration")) {
                req.response().putHeader("Content-Type", "application/json").end(idp.discovery().encode());
            } else if (path.equals("/realms/demo/protocol/openid-connect/certs")) {
                req.response().putHeader("Content-Type", "application/json").end(idp.jwks().encode());
            } else if (path.startsWith("/token/") && DemoUsers.ALL.containsKey(path.substring(7))) {
                req.response().putHeader("Content-Type", "text/plain").end(idp.token(path.substring(7)) + "\n");
            } else {
                req.response().setStatusCode(404).end("demo IdP: try /token/alice, /token/bob or /token/carol\n");
            }
        });
        server.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
        return idp;
    }

    String issuer() {
        return issuer;
    }

    String token(String user) {
        long now = System.currentTimeMillis() / 1000;
        Map<String, Object> claims = DemoUsers.ALL.get(user).claims(now);
        return Jwt.claims(claims).issuer(issuer).audience(AUDIENCE).issuedAt(now).expiresAt(now + 3600)
                .jws().keyId("demo-key").sign(keys.getPrivate());
    }

    private JsonObject discovery() {
        return new JsonObject()
                .put("issuer", issuer)
                .put("jwks_uri", issuer + "/protocol/openid-connect/certs")
                .put("authorization_endpoint", issuer + "/protocol/openid-connect/auth")
                .put("token_endpoint", issuer + "/protocol/openid-connect/token")
                .put("id_token_signing_alg_values_supported", new JsonArray(List.of("RS256")))
                .put("response_types_supported", new JsonArray(List.of("code")))
                .put("subject_types_supported", new JsonArray(List.of("public")));
    }

    private JsonObject jwks() {
        RSAPublicKey pub = (RSAPublicKey) keys.getPublic();
        return new JsonObject().put("keys", new JsonArray().add(new JsonObject()
                .put("kty", "RSA").put("use", "sig").put("alg", "RS256").put("kid", "demo-key")
                .put("n", b64(pub.getModulus())).put("e", b64(pub.getPublicExponent()))));
    }

    private static String b64(BigInteger v) {
        byte[] bytes = v.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    void stop() {
        server.close();
    }
}
