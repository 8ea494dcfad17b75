package dev.gatehouse.cli;

import io.smallrye.jwt.build.Jwt;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * A real OpenID provider over HTTP for the doctor's token check: discovery, a JWKS and a token
 * endpoint that grants {@code client_credentials} to one client (HTTP Basic, as the doctor sends)
 * and issues a signed RS256 token with the claims the test sets.
 */
final class ClientCredentialsIdp {
    static final String CLIENT_ID = "gatehouse";
    static final String SECRET = "s3cret";

    private final HttpServer server;
    private final KeyPair key;
    private final int port;
    private volatile Map<String, Object> claims = Map.of();
    private volatile String rawToken;
    private volatile String error;

    private ClientCredentialsIdp(Vertx vertx) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        key = gen.generateKeyPair();
        String basic = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + SECRET)
                .getBytes(StandardCharsets.UTF_8));
        server = vertx.createHttpServer().requestHandler(req -> {
            String p = req.path();
            if (p.equals("/realms/cc/.well-known/openid-configuration")) {
                req.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                        .put("issuer", issuer()).put("jwks_uri", issuer() + "/certs")
                        .put("token_endpoint", issuer() + "/token").encode());
            } else if (p.equals("/realms/cc/certs")) {
                req.response().putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("keys", new JsonArray().add(new JsonObject().put("kty", "RSA")
                                .put("kid", "k1").put("n", "AQAB").put("e", "AQAB"))).encode());
            } else if (p.equals("/realms/cc/token") && req.method().name().equals("POST")) {
                req.body().onSuccess(body -> {
                    if (error != null) {
                        req.response().setStatusCode(400).putHeader("Content-Type", "application/json")
                                .end(new JsonObject().put("error", error).encode());
                    } else if (!basic.equals(req.getHeader("Authorization"))) {
                        req.response().setStatusCode(401).putHeader("Content-Type", "application/json")
                                .end("{\"error\":\"invalid_client\"}");
                    } else if (!body.toString().equals("grant_type=client_credentials")) {
                        req.response().setStatusCode(400).end("{\"error\":\"unsupported_grant_type\"}");
                    } else {
                        req.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                                .put("access_token", rawToken != null ? rawToken : token())
                                .put("token_type", "Bearer").encode());
                    }
                });
            } else {
                req.response().setStatusCode(404).end();
            }
        });
        port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join().actualPort();
    }

    static ClientCredentialsIdp start(Vertx vertx) throws Exception {
        return new ClientCredentialsIdp(vertx);
    }

    String issuer() {
        return "http://127.0.0.1:" + port + "/realms/cc";
    }

    /** The claims of the next token, on top of iss, aud, iat and exp. */
    void issue(Map<String, Object> claims) {
        this.claims = claims;
        this.rawToken = null;
        this.error = null;
    }

    /** Answers every token request with 400 and this OAuth error, whatever the credentials. */
    void refuseRequestsWith(String error) {
        this.error = error;
    }

    /** Issues exactly this access token (an opaque one, for instance). */
    void issueRaw(String token) {
        this.rawToken = token;
        this.error = null;
    }

    private String token() {
        long now = System.currentTimeMillis() / 1000;
        Map<String, Object> c = new HashMap<>();
        c.put("iss", issuer());
        c.put("aud", "gatehouse");
        c.put("iat", now);
        c.put("exp", now + 300);
        c.putAll(claims);
        return Jwt.claims(c).jws().keyId("k1").sign(key.getPrivate());
    }
}
