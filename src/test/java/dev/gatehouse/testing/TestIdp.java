package dev.gatehouse.testing;

import io.smallrye.jwt.build.Jwt;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real OpenID provider for tests: discovery and a JWKS over HTTP on a random port, RS256 keys
 * that can be rotated, and helpers to mint valid and hostile tokens. Counts JWKS fetches. Over https
 * ({@link #startTls}) its issuer is {@code https://localhost:PORT/realms/test}.
 */
public final class TestIdp {
    public static final String AUDIENCE = "gatehouse";

    private final HttpServer server;
    private final List<KeyPair> published = new ArrayList<>();
    private final List<String> kids = new ArrayList<>();
    private volatile boolean down;
    final AtomicInteger jwksFetches = new AtomicInteger();
    /** The User-Agent of Gatehouse's IdP key probe ({@code identity.IdpKeyProbe}). */
    static final String IDP_PROBE_AGENT = "gatehouse-idp-probe";
    private final int port;
    private final boolean tls;
    private final CodeFlowIdp codeFlow = new CodeFlowIdp(this);

    /** The authorization, token and end-session endpoints of browser sign-in. */
    public CodeFlowIdp codeFlow() {
        return codeFlow;
    }

    private TestIdp(Vertx vertx, HttpServerOptions options) {
        rotate();
        tls = options.isSsl();
        server = vertx.createHttpServer(options).requestHandler(req -> {
            if (down) {
                req.connection().close();
                return;
            }
            String p = req.path();
            if (p.equals("/realms/test/.well-known/openid-configuration")) {
                req.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                        .put("issuer", issuer())
                        .put("jwks_uri", issuer() + "/certs")
                        .put("authorization_endpoint", issuer() + "/auth")
                        .put("token_endpoint", issuer() + "/token")
                        .put("end_session_endpoint", issuer() + "/logout")
                        .put("id_token_signing_alg_values_supported", new JsonArray().add("RS256")).encode());
            } else if (p.equals("/realms/test/certs")) {
                // Gatehouse's readiness probe fetches too; tests count what token checks fetch
                if (!IDP_PROBE_AGENT.equals(req.getHeader("User-Agent"))) {
                    jwksFetches.incrementAndGet();
                }
                req.response().putHeader("Content-Type", "application/json").end(jwks().encode());
            } else if (!codeFlow.handle(req)) {
                req.response().setStatusCode(404).end();
            }
        });
        port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join().actualPort();
    }

    public static TestIdp start(Vertx vertx) {
        return new TestIdp(vertx, new HttpServerOptions());
    }

    /** The IdP over https, with this certificate (PEM files) for "localhost". */
    public static TestIdp startTls(Vertx vertx, String certPem, String keyPem) {
        return new TestIdp(vertx, new HttpServerOptions().setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(certPem).setKeyPath(keyPem)));
    }

    public String issuer() {
        return (tls ? "https://localhost:" : "http://127.0.0.1:") + port + "/realms/test";
    }

    public int jwksFetches() {
        return jwksFetches.get();
    }

    /** Simulates an outage: connections are closed without an answer. */
    public void setDown(boolean down) {
        this.down = down;
    }

    /** Adds a new signing key (the newest signs); older keys stay published. */
    public synchronized String rotate() {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            published.add(gen.generateKeyPair());
            kids.add("k" + kids.size());
            return kids.get(kids.size() - 1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Removes all but the newest key from the JWKS. */
    public synchronized void retireOldKeys() {
        while (published.size() > 1) {
            published.remove(0);
            kids.remove(0);
        }
    }

    public synchronized KeyPair currentKey() {
        return published.get(published.size() - 1);
    }

    public synchronized String currentKid() {
        return kids.get(kids.size() - 1);
    }

    public RSAPublicKey publicKey() {
        return (RSAPublicKey) currentKey().getPublic();
    }

    private synchronized JsonObject jwks() {
        JsonArray keys = new JsonArray();
        for (int i = 0; i < published.size(); i++) {
            RSAPublicKey pub = (RSAPublicKey) published.get(i).getPublic();
            keys.add(new JsonObject().put("kty", "RSA").put("use", "sig").put("alg", "RS256")
                    .put("kid", kids.get(i)).put("n", b64(pub.getModulus())).put("e", b64(pub.getPublicExponent())));
        }
        return new JsonObject().put("keys", keys);
    }

    /** Claims of a valid, fully compliant engineer; tests override what they probe. */
    public Map<String, Object> engineer() {
        long now = System.currentTimeMillis() / 1000;
        Map<String, Object> c = new HashMap<>();
        c.put("iss", issuer());
        c.put("aud", AUDIENCE);
        c.put("sub", "alice");
        c.put("email", "alice@example.com");
        c.put("email_verified", true);
        c.put("groups", List.of("engineering"));
        c.put("device_id", "laptop-1");
        c.put("device_compliant", true);
        c.put("device_posture_at", now - 30);
        c.put("amr", List.of("pwd", "otp"));
        c.put("auth_time", now - 60);
        c.put("iat", now);
        c.put("exp", now + 600);
        return c;
    }

    /**
     * Claims of an admin of Gatehouse: the engineer's (compliant device) plus the realm role
     * {@code gatehouse-admin} where the test IdP's claim paths read roles ({@code realm_access.roles}).
     */
    public Map<String, Object> admin() {
        Map<String, Object> c = engineer();
        c.put("sub", "root-admin");
        c.put("realm_access", Map.of("roles", List.of("gatehouse-admin")));
        return c;
    }

    public String adminToken() {
        return sign(admin());
    }

    /** Signs the claims with the current key, RS256. */
    public String sign(Map<String, Object> claims) {
        return Jwt.claims(claims).jws().keyId(currentKid()).sign(currentKey().getPrivate());
    }

    public String validToken() {
        return sign(engineer());
    }

    static String b64(BigInteger v) {
        byte[] bytes = v.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public void stop() {
        server.close();
    }
}
