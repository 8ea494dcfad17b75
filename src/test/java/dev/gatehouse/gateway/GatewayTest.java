package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import dev.gatehouse.testing.RecordingUpstream;
import dev.gatehouse.testing.TestIdp;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The core path end to end: a real JWKS-serving IdP, Gatehouse, and an upstream that records what
 * it receives. Every denial asserts its status, its reason and that the upstream saw nothing.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
class GatewayTest {
    TestIdp idp;
    RecordingUpstream upstream;

    @BeforeEach
    void setUp() {
        idp = GatehouseTestResource.idp();
        upstream = GatehouseTestResource.upstream();
        upstream.reset();
    }

    private void assertRefused(HttpResponse<String> r, int status, String reason) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(new JsonObject(r.body()).getString("reason")).isEqualTo(reason);
        assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
        assertThat(upstream.hits()).as("upstream must not be contacted").isZero();
    }

    private static void assertBearerChallenge(HttpResponse<String> r) {
        assertThat(r.headers().firstValue("WWW-Authenticate").orElse("")).contains("Bearer").contains("error=\"invalid_token\"");
    }

    @Test
    void allowedRequestArrivesWithVerifiableAssertion() throws Exception {
        HttpResponse<String> r = Http.get("api.test", "/docs/page?x=1", idp.validToken());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ok");
        assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
        assertThat(upstream.hits()).isEqualTo(1);
        RecordingUpstream.Received got = upstream.last();
        assertThat(got.uri()).isEqualTo("/docs/page?x=1");
        assertThat(got.header("Authorization")).as("IdP token is not forwarded by default").isNull();
        assertThat(got.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(got.header("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(got.header("X-Forwarded-Host")).isEqualTo("api.test");
        assertThat(got.header("X-Request-Id")).isEqualTo(r.headers().firstValue("X-Request-Id").get());

        String jwks = Http.get("api.test", "/.gatehouse/jwks.json", null).body();
        JwtClaims claims = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(jwks).getJsonWebKeys()))
                .setExpectedIssuer("https://gatehouse.local")
                .setExpectedAudience("api")
                .setJwsAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.ConstraintType.PERMIT, "ES256")
                .setRequireExpirationTime()
                .build().processToClaims(got.header("X-Gatehouse-Assertion"));
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getClaimValue("email")).isEqualTo("alice@example.com");
        assertThat(claims.getStringListClaimValue("groups")).containsExactly("engineering");
        assertThat(claims.getClaimValue("device_id")).isEqualTo("laptop-1");
        assertThat(claims.getClaimValue("device_compliant")).isEqualTo(true);
        assertThat(claims.getJwtId()).isNotBlank();
        long ttl = claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue();
        assertThat(ttl).isPositive().isLessThanOrEqualTo(300);
    }

    @Test
    void theAssertionNamesTheIdpThatAuthenticatedTheCaller() throws Exception {
        HttpResponse<String> r = Http.get("api.test", "/", idp.validToken());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String assertion = upstream.last().header("X-Gatehouse-Assertion");
        JwtClaims claims = JwtClaims.parse(new String(Base64.getUrlDecoder().decode(assertion.split("\\.")[1]),
                StandardCharsets.UTF_8));
        assertThat(claims.getClaimValue("idp")).as("the IdP id of the config").isEqualTo("test");
        assertThat(claims.getSubject()).isEqualTo("alice");
    }

    @Test
    void noTokenIsUnauthenticated() {
        HttpResponse<String> r = Http.get("api.test", "/", null);
        assertRefused(r, 401, "user-unauthenticated");
        assertBearerChallenge(r);
    }

    @Test
    void badSignatureIsRejected() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        String forged = io.smallrye.jwt.build.Jwt.claims(idp.engineer()).jws().keyId(idp.currentKid())
                .sign(gen.generateKeyPair().getPrivate());
        HttpResponse<String> r = Http.get("api.test", "/", forged);
        assertRefused(r, 401, "invalid-token");
        assertBearerChallenge(r);
    }

    @Test
    void algNoneIsRejected() {
        String payload = new JsonObject(idp.engineer()).encode();
        String unsigned = TokenSupport.b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + TokenSupport.b64(payload) + ".";
        assertRefused(Http.get("api.test", "/", unsigned), 401, "invalid-token");
        String withSig = TokenSupport.b64("{\"alg\":\"none\",\"kid\":\"" + idp.currentKid() + "\"}") + "."
                + TokenSupport.b64(payload) + ".c2lnbmF0dXJl";
        assertRefused(Http.get("api.test", "/", withSig), 401, "invalid-token");
    }

    @Test
    void hs256SignedWithTheIdpPublicKeyIsRejected() {
        String payload = new JsonObject(idp.engineer()).encode();
        String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + idp.currentKid() + "\"}";
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(idp.publicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
        assertRefused(Http.get("api.test", "/", TokenSupport.hs256(header, payload, pem.getBytes())), 401, "invalid-token");
        assertRefused(Http.get("api.test", "/", TokenSupport.hs256(header, payload, idp.publicKey().getEncoded())), 401,
                "invalid-token");
    }

    @Test
    void expiredWrongIssuerAndWrongAudienceAreRejected() {
        Map<String, Object> expired = idp.engineer();
        long now = System.currentTimeMillis() / 1000;
        expired.put("iat", now - 3600);
        expired.put("exp", now - 120);
        assertRefused(Http.get("api.test", "/", idp.sign(expired)), 401, "invalid-token");

        Map<String, Object> issuer = idp.engineer();
        issuer.put("iss", "https://evil.example.com/realms/test");
        assertRefused(Http.get("api.test", "/", idp.sign(issuer)), 401, "invalid-token");

        Map<String, Object> audience = idp.engineer();
        audience.put("aud", "some-other-app");
        assertRefused(Http.get("api.test", "/", idp.sign(audience)), 401, "invalid-token");
    }

    @Test
    void audienceMayBeAList() {
        Map<String, Object> c = idp.engineer();
        c.put("aud", List.of("account", "gatehouse"));
        assertThat(Http.get("api.test", "/", idp.sign(c)).statusCode()).isEqualTo(200);
    }

    @Test
    void deviceDenialsNameTheirPreciseReason() {
        Map<String, Object> noDevice = idp.engineer();
        noDevice.remove("device_id");
        noDevice.remove("device_compliant");
        noDevice.remove("device_posture_at");
        assertRefused(Http.get("api.test", "/", idp.sign(noDevice)), 403, "device-unauthenticated");

        Map<String, Object> nonCompliant = idp.engineer();
        nonCompliant.put("device_compliant", false);
        assertRefused(Http.get("api.test", "/", idp.sign(nonCompliant)), 403, "device-unauthorized");

        Map<String, Object> stringTrue = idp.engineer();
        stringTrue.put("device_compliant", "true");
        assertRefused(Http.get("api.test", "/", idp.sign(stringTrue)), 403, "device-unknown");

        Map<String, Object> stale = idp.engineer();
        stale.put("device_posture_at", System.currentTimeMillis() / 1000 - 3600);
        assertRefused(Http.get("api.test", "/", idp.sign(stale)), 403, "device-posture-stale");
    }

    @Test
    void missingGroupIsDenied() {
        Map<String, Object> sales = idp.engineer();
        sales.put("groups", List.of("sales"));
        assertRefused(Http.get("api.test", "/", idp.sign(sales)), 403, "groups-unauthorized");
    }

    @Test
    void longestPathPrefixWinsOnTheSameHost() {
        assertRefused(Http.get("api.test", "/admin/users", idp.validToken()), 403, "groups-unauthorized");
        assertThat(Http.get("api.test", "/administrator", idp.validToken()).statusCode()).isEqualTo(200);
    }

    @Test
    void unknownHostIsNotFound() {
        assertRefused(Http.get("nowhere.test", "/", idp.validToken()), 404, "route-not-found");
        assertRefused(Http.get("wild.test", "/", idp.validToken()), 404, "route-not-found");
        assertThat(Http.get("deep.sub.wild.test", "/", idp.validToken()).statusCode()).isEqualTo(200);
    }

    @Test
    void traversalAndEncodedSlashesAreRejected() {
        for (String path : List.of("/docs/../admin", "/docs/%2e%2e/admin", "/docs/%2E%2e/admin", "/a%2fb",
                "/a%5cb", "/a%00b", "/a;jsessionid=1", "/%252e%252e/admin", "/a/%c0%ae%c0%ae/b")) {
            assertRefused(Http.send(Http.to("api.test", path).header("Authorization", "Bearer " + idp.validToken())
                    .build()), 400, "invalid-request");
        }
    }

    @Test
    void theNormalisedPathIsTheOneForwarded() {
        HttpResponse<String> r = Http.get("api.test", "//docs///%61bout", idp.validToken());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(upstream.last().uri()).isEqualTo("/docs/about");
    }

    @Test
    void spoofedIdentityHeadersNeverReachTheUpstream() {
        HttpResponse<String> r = Http.send(Http.to("headers.test", "/")
                .header("Authorization", "Bearer " + idp.validToken())
                .header("X-Gatehouse-User", "mallory")
                .header("x-gatehouse-groups", "admins")
                .header("X-Forwarded-User", "mallory")
                .header("X-Auth-Request-Email", "mallory@evil.com")
                .header("Remote-User", "mallory")
                .header("X-Original-URL", "/admin")
                .header("X-Forwarded-For", "10.9.9.9")
                .header("Connection", "X-Gatehouse-User, X-Forwarded-For")
                .build());
        assertThat(r.statusCode()).isEqualTo(200);
        RecordingUpstream.Received got = upstream.last();
        assertThat(got.headers().getAll("X-Gatehouse-User")).containsExactly("alice");
        assertThat(got.headers().getAll("X-Gatehouse-Groups")).containsExactly("engineering");
        assertThat(got.header("X-Gatehouse-Email")).isEqualTo("alice@example.com");
        assertThat(got.header("X-Forwarded-User")).isNull();
        assertThat(got.header("X-Auth-Request-Email")).isNull();
        assertThat(got.header("Remote-User")).isNull();
        assertThat(got.header("X-Original-URL")).isNull();
        assertThat(got.headers().getAll("X-Forwarded-For")).containsExactly("127.0.0.1");
        assertThat(got.header("Authorization")).as("forward-token: true").startsWith("Bearer ");
    }

    @Test
    void controlCharactersInClaimsNeverSplitUpstreamHeaders() {
        Map<String, Object> c = idp.engineer();
        c.put("email", "alice@example.com\r\nX-Injected: 1");
        c.put("sub", "alice\u0000\nX-Also: 2");
        HttpResponse<String> r = Http.get("headers.test", "/", idp.sign(c));
        assertThat(r.statusCode()).isEqualTo(200);
        RecordingUpstream.Received got = upstream.last();
        assertThat(got.header("X-Injected")).isNull();
        assertThat(got.header("X-Also")).isNull();
        assertThat(got.header("X-Gatehouse-Email")).isEqualTo("alice@example.comX-Injected: 1");
        assertThat(got.header("X-Gatehouse-User")).isEqualTo("aliceX-Also: 2");
    }

    @Test
    void underscoreHeadersAreDropped() {
        String raw = "GET / HTTP/1.1\r\nHost: headers.test\r\nAuthorization: Bearer " + idp.validToken()
                + "\r\nX_Gatehouse_User: mallory\r\nX-Custom_Header: x\r\nX-Fine: yes\r\nConnection: close\r\n\r\n";
        assertThat(Http.raw(raw)).startsWith("HTTP/1.1 200");
        RecordingUpstream.Received got = upstream.last();
        assertThat(got.header("X_Gatehouse_User")).isNull();
        assertThat(got.header("X-Custom_Header")).isNull();
        assertThat(got.header("X-Fine")).isEqualTo("yes");
    }

    @Test
    void publicAppNeedsNoTokenAndGetsNoAssertion() {
        HttpResponse<String> r = Http.get("public.test", "/hello", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(upstream.last().uri()).as("upstream base path is prepended").isEqualTo("/base/hello");
        assertThat(upstream.last().header("X-Gatehouse-Assertion")).isNull();
    }

    @Test
    void aBadTokenIsRejectedEvenWhereAnonymousAccessIsAllowed() {
        assertRefused(Http.get("public.test", "/", "not-a-jwt"), 401, "invalid-token");
    }

    @Test
    void sourceIpPolicyUsesThePeerNotXForwardedFor() {
        HttpResponse<String> r = Http.send(Http.to("office.test", "/")
                .header("Authorization", "Bearer " + idp.validToken())
                .header("X-Forwarded-For", "203.0.113.7").build());
        assertRefused(r, 403, "source-ip-unauthorized");
    }

    @Test
    void browsersGetAPlainWordsPage() {
        Map<String, Object> sales = idp.engineer();
        sales.put("groups", List.of("sales"));
        HttpResponse<String> r = Http.send(Http.to("api.test", "/").header("Accept", "text/html,*/*")
                .header("Authorization", "Bearer " + idp.sign(sales)).build());
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(r.body()).contains("not in a group").contains("groups-unauthorized").contains("What to do");
        assertThat(upstream.hits()).isZero();
    }

    @Test
    void problemJsonCarriesTheContractFields() {
        HttpResponse<String> r = Http.get("api.test", "/", null);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/problem+json");
        JsonObject p = new JsonObject(r.body());
        assertThat(p.fieldNames()).contains("type", "title", "status", "reason", "app", "request_id");
        assertThat(p.getString("app")).isEqualTo("api");
        assertThat(p.getString("request_id")).isEqualTo(r.headers().firstValue("X-Request-Id").get());
    }

    @Test
    void deadUpstreamIs502AndSlowUpstreamIs504() {
        HttpResponse<String> dead = Http.get("dead.test", "/", null);
        assertThat(dead.statusCode()).isEqualTo(502);
        assertThat(new JsonObject(dead.body()).getString("reason")).isEqualTo("upstream-unavailable");
        HttpResponse<String> slow = Http.get("slow.test", "/slow", null);
        assertThat(slow.statusCode()).isEqualTo(504);
        assertThat(new JsonObject(slow.body()).getString("reason")).isEqualTo("upstream-timeout");
    }

    @Test
    void bodiesOverTheAppLimitAre413() {
        HttpResponse<String> r = Http.send(Http.to("small.test", "/count")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[4096])).build());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(new JsonObject(r.body()).getString("reason")).isEqualTo("body-too-large");
        assertThat(upstream.hits()).isZero();
    }

    @Test
    void chunkedBodiesOverTheAppLimitAre413AndNeverArriveWhole() {
        HttpResponse<String> r = Http.send(Http.to("small.test", "/count")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(new byte[64 * 1024]))).build());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(upstream.received()).noneMatch(got -> got.bodyBytes() > 1024);
        HttpResponse<String> small = Http.send(Http.to("small.test", "/count")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(new byte[512]))).build());
        assertThat(small.body()).isEqualTo("512");
    }

    @Test
    void whoamiExplainsADecision() {
        Map<String, Object> sales = idp.engineer();
        sales.put("groups", List.of("sales"));
        HttpResponse<String> r = Http.get("api.test", "/.gatehouse/whoami?path=/reports", idp.sign(sales));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getString("subject")).isEqualTo("alice");
        assertThat(body.getJsonObject("device").getBoolean("compliant")).isTrue();
        assertThat(body.getJsonObject("decision").getString("outcome")).isEqualTo("deny");
        assertThat(body.getJsonObject("decision").getJsonArray("reasons").getJsonObject(0).getString("code"))
                .isEqualTo("groups-unauthorized");
        assertThat(upstream.hits()).isZero();
    }

    @Test
    void quarkusEndpointsAreNotServedOnTheDataPort() {
        for (String path : List.of("/q/health", "/q/metrics", "/q/openapi", "/q/dev-ui")) {
            HttpResponse<String> r = Http.get("api.test", path, null);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
        }
        assertThat(upstream.hits()).isZero();
    }
}
