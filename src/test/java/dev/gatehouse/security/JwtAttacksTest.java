package dev.gatehouse.security;

import static dev.gatehouse.security.Hostile.assertNothingUpstream;
import static dev.gatehouse.security.Hostile.assertRefused;
import static dev.gatehouse.security.Hostile.b64;
import static dev.gatehouse.security.Hostile.hmac;
import static dev.gatehouse.security.Hostile.idp;
import static dev.gatehouse.security.Hostile.idpHeader;
import static dev.gatehouse.security.Hostile.idpSigned;
import static dev.gatehouse.security.Hostile.json;
import static dev.gatehouse.security.Hostile.rs256;
import static dev.gatehouse.security.Hostile.unb64;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseTestResource;
import dev.gatehouse.testing.Http;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Forged, tampered and malformed bearer tokens against the {@code api} app (engineering group and a
 * compliant device with a fresh posture): every one is refused with 401 {@code invalid-token} (or,
 * when the signature is genuine and only a claim's type is odd, 403 with the precise reason), never
 * a 5xx, and the upstream sees nothing. Key-locating headers ({@code jku}, {@code x5u}, {@code jwk},
 * {@code x5c}) point at an attacker server that must never be fetched.
 */
@QuarkusTest
@QuarkusTestResource(GatehouseTestResource.class)
@TestProfile(HostileInputProfile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class) // the key-rotation case must run before any kid spray
class JwtAttacksTest {
    private static final String API = "api.test";

    private static Vertx vertx;
    private static HttpServer attacker;
    private static final AtomicInteger attackerFetches = new AtomicInteger();
    private static KeyPair attackerKey;
    private static String attackerJwk;
    private static PrivateKey certKey;
    private static String certDerB64;

    @BeforeAll
    static void startAttacker() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        attackerKey = gen.generateKeyPair();
        RSAPublicKey pub = (RSAPublicKey) attackerKey.getPublic();
        attackerJwk = new JsonObject().put("kty", "RSA").put("use", "sig").put("alg", "RS256").put("kid", "attacker-1")
                .put("n", b64u(pub.getModulus())).put("e", b64u(pub.getPublicExponent())).encode();
        String cert = Files.readString(Path.of("src/test/resources/tls/localhost-cert.pem"));
        certDerB64 = pemBody(cert); // x5c carries standard (not url) base64 DER
        String key = Files.readString(Path.of("src/test/resources/tls/localhost-key.pem"));
        certKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pemBody(key))));
        vertx = Vertx.vertx();
        attacker = vertx.createHttpServer().requestHandler(req -> {
            attackerFetches.incrementAndGet();
            if (req.path().startsWith("/cert")) {
                req.response().putHeader("Content-Type", "application/pem-certificate-chain").end(cert);
            } else {
                req.response().putHeader("Content-Type", "application/json")
                        .end("{\"keys\":[" + attackerJwk + "]}");
            }
        });
        attacker.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
    }

    @AfterAll
    static void stopAttacker() {
        vertx.close();
    }

    @BeforeEach
    void setUp() {
        Hostile.upstream().reset();
    }

    private static String pemBody(String pem) {
        return pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    }

    private static String b64u(BigInteger v) {
        byte[] bytes = v.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return b64(bytes);
    }

    private static String attackerUrl(String path) {
        return "http://127.0.0.1:" + attacker.actualPort() + path;
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static String engineerPayload() {
        return json(idp().engineer());
    }

    private static void assertInvalidToken(String token) {
        assertRefused(Http.get(API, "/", token), 401, "invalid-token");
    }

    // ---- keys: another published key's kid ----

    @Test
    @Order(1)
    void aSignatureIsCheckedAgainstTheKeyItsKidNamesNotAnyPublishedKey() {
        KeyPair old = idp().currentKey();
        String oldKid = idp().currentKid();
        String newKid = idp().rotate(); // both keys are now published; the new one signs
        assertThat(Http.get(API, "/", idp().validToken()).statusCode()).as("the new key is learnt").isEqualTo(200);
        Hostile.upstream().reset();
        String payload = engineerPayload();
        assertInvalidToken(rs256("{\"alg\":\"RS256\",\"kid\":\"" + newKid + "\"}", payload, old.getPrivate()));
        assertInvalidToken(rs256("{\"alg\":\"RS256\",\"kid\":\"" + oldKid + "\"}", payload, idp().currentKey().getPrivate()));
        // sanity: both genuine combinations pass
        assertThat(Http.get(API, "/", rs256("{\"alg\":\"RS256\",\"kid\":\"" + oldKid + "\"}", payload, old.getPrivate()))
                .statusCode()).isEqualTo(200);
    }

    // ---- alg: none ----

    static Stream<Arguments> algNone() {
        List<Arguments> out = new ArrayList<>();
        for (String alg : List.of("none", "None", "NONE", "nOnE")) {
            out.add(Arguments.of(alg, ""));
            out.add(Arguments.of(alg, "c2lnbmF0dXJl"));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "alg {0}, signature ''{1}''")
    @MethodSource
    void algNone(String alg, String signature) {
        String header = "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\",\"kid\":\"" + idp().currentKid() + "\"}";
        assertInvalidToken(b64(header) + "." + b64(engineerPayload()) + "." + signature);
    }

    // ---- the payload swapped under a kept signature ----

    @Test
    void aSalesTokensSignatureDoesNotCoverAnEngineersPayload() {
        Map<String, Object> sales = idp().engineer();
        sales.put("sub", "bob");
        sales.put("groups", List.of("sales"));
        String salesToken = idpSigned(sales);
        assertRefused(Http.get(API, "/", salesToken), 403, "groups-unauthorized"); // genuine, but not allowed
        String[] parts = salesToken.split("\\.");
        Map<String, Object> engineer = idp().engineer();
        engineer.put("sub", "bob");
        assertInvalidToken(parts[0] + "." + b64(json(engineer)) + "." + parts[2]);
    }

    // ---- RS256 -> HMAC confusion ----

    static Stream<Arguments> publicKeyAsHmacSecret() throws Exception {
        RSAPublicKey pub = idp().publicKey();
        byte[] der = pub.getEncoded();
        String pem64 = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END PUBLIC KEY-----";
        String pemMime = "-----BEGIN PUBLIC KEY-----\r\n"
                + Base64.getMimeEncoder().encodeToString(der) + "\r\n-----END PUBLIC KEY-----\r\n";
        HttpResponse<String> jwks = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(idp().issuer() + "/certs")).build(), HttpResponse.BodyHandlers.ofString());
        JsonArray keys = new JsonObject(jwks.body()).getJsonArray("keys");
        String jwkJson = keys.getJsonObject(keys.size() - 1).encode();
        Map<String, byte[]> forms = new java.util.LinkedHashMap<>();
        forms.put("PEM, 64-column lines", pem64.getBytes(StandardCharsets.US_ASCII));
        forms.put("PEM with trailing newline", (pem64 + "\n").getBytes(StandardCharsets.US_ASCII));
        forms.put("PEM, MIME lines and CRLF", pemMime.getBytes(StandardCharsets.US_ASCII));
        forms.put("DER SubjectPublicKeyInfo", der);
        forms.put("DER PKCS#1 RSAPublicKey", Arrays.copyOfRange(der, 24, der.length));
        forms.put("JWK JSON as served", jwkJson.getBytes(StandardCharsets.UTF_8));
        forms.put("whole JWKS document", jwks.body().getBytes(StandardCharsets.UTF_8));
        forms.put("modulus bytes", pub.getModulus().toByteArray());
        List<Arguments> out = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : forms.entrySet()) {
            for (String alg : List.of("HS256", "HS512")) {
                out.add(Arguments.of(f.getKey(), alg, f.getValue()));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{1} keyed by the IdP public key as {0}")
    @MethodSource
    void publicKeyAsHmacSecret(String form, String alg, byte[] secret) {
        String header = "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\",\"kid\":\"" + idp().currentKid() + "\"}";
        assertInvalidToken(hmac(alg, header, engineerPayload(), secret));
        assertInvalidToken(hmac(alg, "{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}", engineerPayload(), secret));
    }

    // ---- signatures: stripped, truncated, flipped; segment count ----

    static Stream<Arguments> tamperedSignatures() {
        Function<String, String[]> split = t -> t.split("\\.");
        return Stream.of(
                Arguments.of("signature stripped, dot kept", (Function<String, String>) t -> t.substring(0, t.lastIndexOf('.') + 1)),
                Arguments.of("two segments", (Function<String, String>) t -> t.substring(0, t.lastIndexOf('.'))),
                Arguments.of("four segments", (Function<String, String>) t -> t + "." + split.apply(t)[2]),
                Arguments.of("five segments (JWE shape)", (Function<String, String>) t -> t + ".AAAA.BBBB"),
                Arguments.of("signature truncated by 8 chars", (Function<String, String>) t -> t.substring(0, t.length() - 8)),
                Arguments.of("signature truncated to 1 char", (Function<String, String>) t -> t.substring(0, t.lastIndexOf('.') + 2)),
                Arguments.of("signature with 4 chars appended", (Function<String, String>) t -> t + "AAAA"),
                Arguments.of("first signature bit flipped", (Function<String, String>) t -> flip(t, 0)),
                Arguments.of("middle signature bit flipped", (Function<String, String>) t -> flip(t, 128)),
                Arguments.of("last signature bit flipped", (Function<String, String>) t -> flip(t, 255)),
                Arguments.of("signature all zeros", (Function<String, String>) t -> t.substring(0, t.lastIndexOf('.') + 1) + b64(new byte[256])),
                Arguments.of("empty header segment", (Function<String, String>) t -> t.substring(t.indexOf('.'))),
                Arguments.of("header and payload swapped", (Function<String, String>) t -> split.apply(t)[1] + "." + split.apply(t)[0] + "." + split.apply(t)[2]));
    }

    private static String flip(String token, int byteIndex) {
        String[] p = token.split("\\.");
        byte[] sig = unb64(p[2]);
        sig[byteIndex] ^= 0x01;
        return p[0] + "." + p[1] + "." + b64(sig);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void tamperedSignatures(String what, Function<String, String> tamper) {
        assertInvalidToken(tamper.apply(idp().validToken()));
    }

    // ---- kid injection ----

    static Stream<String> hostileKids() {
        return Stream.of("../../etc/passwd", "../../../../../../dev/null", "/dev/null", "' OR 1=1 --", "\" OR \"\"=\"",
                "k0' UNION SELECT 'secret", "${jndi:ldap://127.0.0.1/x}", "file:///etc/passwd", "", " ", "\u0000",
                "k0\r\nX-Injected: 1", "k".repeat(8000), "attacker-1");
    }

    @ParameterizedTest(name = "kid ''{0}''")
    @MethodSource("hostileKids")
    void hostileKidWithAnAttackerKey(String kid) {
        String header = new JsonObject().put("alg", "RS256").put("kid", kid).encode();
        assertInvalidToken(rs256(header, engineerPayload(), attackerKey.getPrivate()));
        assertThat(attackerFetches.get()).isZero();
    }

    @ParameterizedTest(name = "kid ''{0}'' with an HMAC over an empty or null key")
    @MethodSource("hostileKids")
    void hostileKidWithHmacOverEmptyKey(String kid) {
        String header = new JsonObject().put("alg", "HS256").put("kid", kid).encode();
        assertInvalidToken(hmac("HS256", header, engineerPayload(), new byte[0]));
        assertInvalidToken(hmac("HS256", header, engineerPayload(), new byte[] {0}));
    }

    @Test
    void kidAsANumberObjectOrNull() {
        for (String kid : List.of("0", "{\"k\":\"k0\"}", "null", "[\"k0\"]", "true")) {
            String header = "{\"alg\":\"RS256\",\"kid\":" + kid + "}";
            assertInvalidToken(rs256(header, engineerPayload(), attackerKey.getPrivate()));
        }
    }

    // ---- key-locating headers: never fetched, never trusted ----

    static Stream<Arguments> keyLocatingHeaders() {
        return Stream.of(
                Arguments.of("jku to an attacker JWKS", (Function<JsonObject, JsonObject>) h -> h.put("kid", "attacker-1")
                        .put("jku", attackerUrl("/jwks.json"))),
                Arguments.of("jku with the IdP's kid", (Function<JsonObject, JsonObject>) h -> h.put("kid", idp().currentKid())
                        .put("jku", attackerUrl("/jwks.json"))),
                Arguments.of("jku without kid", (Function<JsonObject, JsonObject>) h -> h.put("jku", attackerUrl("/jwks.json"))),
                Arguments.of("x5u to an attacker certificate", (Function<JsonObject, JsonObject>) h -> h.put("x5u", attackerUrl("/cert.pem"))),
                Arguments.of("jwk embedded", (Function<JsonObject, JsonObject>) h -> h.put("jwk", new JsonObject(attackerJwk))),
                Arguments.of("jwk embedded with its kid", (Function<JsonObject, JsonObject>) h -> h.put("kid", "attacker-1")
                        .put("jwk", new JsonObject(attackerJwk))),
                Arguments.of("jwk embedded under the IdP's kid", (Function<JsonObject, JsonObject>) h -> h.put("kid", idp().currentKid())
                        .put("jwk", new JsonObject(attackerJwk).put("kid", idp().currentKid()))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void keyLocatingHeaders(String what, Function<JsonObject, JsonObject> header) {
        String h = header.apply(new JsonObject().put("alg", "RS256").put("typ", "JWT")).encode();
        assertInvalidToken(rs256(h, engineerPayload(), attackerKey.getPrivate()));
        assertThat(attackerFetches.get()).as("the attacker's server is never contacted").isZero();
    }

    @Test
    void x5cCertificateChainIsNotTrusted() {
        for (JsonObject h : List.of(
                new JsonObject().put("alg", "RS256").put("x5c", new JsonArray().add(certDerB64)),
                new JsonObject().put("alg", "RS256").put("kid", idp().currentKid()).put("x5c", new JsonArray().add(certDerB64)),
                new JsonObject().put("alg", "RS256").put("x5c", new JsonArray().add(certDerB64))
                        .put("x5u", attackerUrl("/cert.pem")).put("x5t#S256", "AAAA"))) {
            assertInvalidToken(rs256(h.encode(), engineerPayload(), certKey));
        }
        assertThat(attackerFetches.get()).isZero();
    }

    @Test
    void anUnknownCriticalExtensionIsRefusedEvenWithAGenuineSignature() {
        String header = "{\"alg\":\"RS256\",\"kid\":\"" + idp().currentKid() + "\",\"crit\":[\"x-gatehouse-skip\"],\"x-gatehouse-skip\":true}";
        assertInvalidToken(rs256(header, engineerPayload(), idp().currentKey().getPrivate()));
        String critExp = "{\"alg\":\"RS256\",\"kid\":\"" + idp().currentKid() + "\",\"crit\":[\"exp\"],\"exp\":0}";
        assertInvalidToken(rs256(critExp, engineerPayload(), idp().currentKey().getPrivate()));
    }

    // ---- lifetime edges (30 s skew) ----

    @Test
    void expiredBeyondTheSkewIsRefusedWithinItAccepted() {
        Map<String, Object> c = idp().engineer();
        c.put("iat", now() - 600);
        c.put("exp", now() - 31);
        assertInvalidToken(idpSigned(c));
        c.put("exp", now() - 20);
        assertThat(Http.get(API, "/", idpSigned(c)).statusCode()).as("20 s past exp is inside the 30 s skew").isEqualTo(200);
    }

    @Test
    void notBeforeInTheFutureBeyondTheSkewIsRefusedWithinItAccepted() {
        Map<String, Object> c = idp().engineer();
        c.put("nbf", now() + 120);
        assertInvalidToken(idpSigned(c));
        c.put("nbf", now() + 10);
        assertThat(Http.get(API, "/", idpSigned(c)).statusCode()).isEqualTo(200);
    }

    @Test
    void issuedAtFarInTheFutureIsRefused() {
        Map<String, Object> c = idp().engineer();
        c.put("iat", now() + 3600);
        assertInvalidToken(idpSigned(c));
    }

    static Stream<Arguments> malformedLifetimes() {
        long now = System.currentTimeMillis() / 1000;
        return Stream.of(
                Arguments.of("exp missing", "exp", null),
                Arguments.of("exp as a string", "exp", "9999999999"),
                Arguments.of("exp as a numeric string in range", "exp", Long.toString(now + 600)),
                Arguments.of("exp as a list", "exp", List.of(now + 600)),
                Arguments.of("exp as an object", "exp", Map.of("v", now + 600)),
                Arguments.of("exp as a boolean", "exp", true),
                Arguments.of("exp in the past as a float", "exp", now - 3600.5),
                Arguments.of("exp zero", "exp", 0),
                Arguments.of("exp negative", "exp", -1),
                Arguments.of("nbf as a string", "nbf", "0"),
                Arguments.of("iat as a string", "iat", Long.toString(now)),
                Arguments.of("iat missing", "iat", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void malformedLifetimes(String what, String claim, Object value) {
        Map<String, Object> c = idp().engineer();
        if (value == null) {
            c.remove(claim);
        } else {
            c.put(claim, value);
        }
        assertInvalidToken(idpSigned(c));
    }

    @Test
    void fractionalExpInTheFutureIsAValidNumericDate() {
        // RFC 7519 NumericDate may be non-integer
        Map<String, Object> c = idp().engineer();
        c.put("exp", now() + 600.5);
        assertThat(Http.get(API, "/", idpSigned(c)).statusCode()).isEqualTo(200);
    }

    // ---- issuer and audience ----

    static Stream<Arguments> wrongIssuerOrAudience() {
        String iss = idp().issuer();
        return Stream.of(
                Arguments.of("aud empty string", "aud", ""),
                Arguments.of("aud empty list", "aud", List.of()),
                Arguments.of("aud list of others", "aud", List.of("account", "other")),
                Arguments.of("aud case variant", "aud", "Gatehouse"),
                Arguments.of("aud with trailing space", "aud", "gatehouse "),
                Arguments.of("aud as a number", "aud", 1),
                Arguments.of("aud as an object", "aud", Map.of("aud", "gatehouse")),
                Arguments.of("aud nested list", "aud", List.of(List.of("gatehouse"))),
                Arguments.of("aud missing", "aud", null),
                Arguments.of("iss empty", "iss", ""),
                Arguments.of("iss missing", "iss", null),
                Arguments.of("iss with trailing slash", "iss", iss + "/"),
                Arguments.of("iss prefix of the real one", "iss", iss.substring(0, iss.length() - 1)),
                Arguments.of("iss upper case", "iss", iss.toUpperCase()),
                Arguments.of("iss as a list", "iss", List.of(iss)),
                Arguments.of("iss attacker", "iss", "https://evil.example.com/realms/test"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void wrongIssuerOrAudience(String what, String claim, Object value) {
        Map<String, Object> c = idp().engineer();
        if (value == null) {
            c.remove(claim);
        } else {
            c.put(claim, value);
        }
        assertInvalidToken(idpSigned(c));
    }

    // ---- size ----

    @Test
    void aTokenOf20KbIsRefusedWithoutA5xx() {
        String big = b64(idpHeader()) + "." + b64("{\"pad\":\"" + "x".repeat(15_000) + "\"}") + ".c2ln";
        HttpResponse<String> r = Http.get(API, "/", big);
        assertThat(r.statusCode()).isIn(400, 401, 431);
        assertNothingUpstream();
        // and a genuinely signed one of that size
        Map<String, Object> c = idp().engineer();
        c.put("pad", "x".repeat(15_000));
        HttpResponse<String> signed = Http.get(API, "/", idpSigned(c));
        assertThat(signed.statusCode()).isIn(400, 401, 431);
        assertNothingUpstream();
    }

    @Test
    void aTokenJustUnderTheHeaderLimitIsCheckedAndRefused() {
        String token = b64(idpHeader()) + "." + b64("{\"pad\":\"" + "x".repeat(9_000) + "\"}") + ".c2ln";
        assertInvalidToken(token);
    }

    @Test
    void aOneMegabyteAuthorizationHeaderIsRefusedWithoutA5xx() {
        String request = "GET / HTTP/1.1\r\nHost: api.test\r\nAuthorization: Bearer " + "a".repeat(1 << 20)
                + "\r\nConnection: close\r\n\r\n";
        String answer = Hostile.raw(request);
        int status = Hostile.rawStatus(answer);
        assertThat(status).as(answer.length() > 300 ? answer.substring(0, 300) : answer).isIn(-1, 400, 401, 431);
        assertNothingUpstream();
    }

    // ---- malformed encodings ----

    static Stream<Arguments> malformedEncodings() {
        String h = b64(idpHeader());
        String p = b64(json(idp().engineer()));
        String token = idp().validToken();
        String[] t = token.split("\\.");
        return Stream.of(
                Arguments.of("padding on the header", h + "==." + t[1] + "." + t[2]),
                Arguments.of("padding on the signature", t[0] + "." + t[1] + "." + t[2] + "=="),
                Arguments.of("standard alphabet + and /", t[0] + "." + t[1] + "." + t[2].replace('-', '+').replace('_', '/') + "+/"),
                Arguments.of("space inside the token", t[0] + ". " + t[1] + "." + t[2]),
                Arguments.of("percent-encoded dot", t[0] + "%2E" + t[1] + "." + t[2]),
                Arguments.of("header not JSON", b64("not json") + "." + p + ".c2ln"),
                Arguments.of("header a JSON array", b64("[\"RS256\"]") + "." + p + ".c2ln"),
                Arguments.of("header JSON null", b64("null") + "." + p + ".c2ln"),
                Arguments.of("header without alg", b64("{\"kid\":\"" + idp().currentKid() + "\"}") + "." + p + ".c2ln"),
                Arguments.of("header alg as a list", b64("{\"alg\":[\"RS256\"]}") + "." + p + ".c2ln"),
                Arguments.of("header invalid UTF-8", b64(new byte[] {(byte) 0xff, (byte) 0xfe, '{', '}'}) + "." + p + ".c2ln"),
                Arguments.of("header truncated JSON", b64("{\"alg\":\"RS256\"") + "." + p + ".c2ln"),
                Arguments.of("one non-base64 char", t[0] + "." + t[1] + "!." + t[2]),
                Arguments.of("base64 of a lone byte (invalid length)", t[0] + "." + t[1] + "A." + t[2]),
                Arguments.of("unicode in the token", t[0] + "." + t[1] + "é." + t[2]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void malformedEncodings(String what, String token) {
        assertInvalidToken(token);
    }

    static Stream<Arguments> genuinelySignedOddPayloads() {
        Map<String, Object> c = idp().engineer();
        String valid = json(c);
        String body = valid.substring(1); // without the opening brace
        return Stream.of(
                Arguments.of("payload not JSON", "not json".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("payload a JSON array", ("[" + valid + "]").getBytes(StandardCharsets.UTF_8)),
                Arguments.of("payload JSON null", "null".getBytes(StandardCharsets.UTF_8)),
                Arguments.of("payload trailing garbage", (valid + "xyz").getBytes(StandardCharsets.UTF_8)),
                Arguments.of("duplicate groups claim, engineering last",
                        ("{\"groups\":[\"sales\"]," + body.replace("}", ",\"groups\":[\"engineering\"]}")).getBytes(StandardCharsets.UTF_8)),
                Arguments.of("duplicate groups claim, engineering first",
                        ("{\"groups\":[\"engineering\"]," + body.replace("\"groups\":[\"engineering\"]", "\"groups\":[\"sales\"]"))
                                .getBytes(StandardCharsets.UTF_8)),
                Arguments.of("deeply nested claim", ("{\"deep\":" + "[".repeat(4000) + "]".repeat(4000) + "," + body)
                        .getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void genuinelySignedOddPayloads(String what, byte[] payload) {
        String token = rs256(idpHeader().getBytes(StandardCharsets.UTF_8), payload, idp().currentKey().getPrivate());
        assertInvalidToken(token);
    }

    @Test
    void invalidUtf8InAGenuinelySignedGroupNeverGrants() {
        byte[] prefix = json(idp().engineer()).replace("\"engineering\"", "\"engineerin").getBytes(StandardCharsets.UTF_8);
        int at = new String(prefix, StandardCharsets.UTF_8).indexOf("\"engineerin") + "\"engineerin".length();
        byte[] payload = new byte[prefix.length + 2];
        System.arraycopy(prefix, 0, payload, 0, at);
        payload[at] = (byte) 0xe7; // 'g' with its high bit set: not UTF-8
        payload[at + 1] = '"';
        System.arraycopy(prefix, at, payload, at + 2, prefix.length - at);
        HttpResponse<String> r = Http.get(API, "/", rs256(idpHeader().getBytes(StandardCharsets.UTF_8), payload,
                idp().currentKey().getPrivate()));
        assertThat(r.statusCode()).as(r.body()).isIn(401, 403);
        assertNothingUpstream();
    }

    // ---- claim type confusion: genuine signature, odd claim types ----
    // A claim of the wrong type is an UNKNOWN fact (groups-unknown, device-unknown): refused like a
    // failing one, and named as what it is; a well-typed but wrong value still fails as unauthorized.

    static Stream<Arguments> claimTypeConfusion() {
        long now = System.currentTimeMillis() / 1000;
        return Stream.of(
                Arguments.of("groups", 42, "groups-unknown"),
                Arguments.of("groups", Map.of("engineering", true), "groups-unknown"),
                Arguments.of("groups", List.of(List.of("engineering")), "groups-unknown"),
                Arguments.of("groups", List.of(Map.of("name", "engineering")), "groups-unknown"),
                Arguments.of("groups", true, "groups-unknown"),
                Arguments.of("groups", "engineering,admins", "groups-unauthorized"),
                Arguments.of("groups", List.of("Engineering"), "groups-unauthorized"),
                Arguments.of("groups", List.of("engineering "), "groups-unauthorized"),
                Arguments.of("groups", List.of(), "groups-unauthorized"),
                Arguments.of("device_compliant", "true", "device-unknown"),
                Arguments.of("device_compliant", "TRUE", "device-unknown"),
                Arguments.of("device_compliant", 1, "device-unknown"),
                Arguments.of("device_compliant", 1.0, "device-unknown"),
                Arguments.of("device_compliant", List.of("true"), "device-unknown"),
                Arguments.of("device_compliant", List.of(true), "device-unknown"),
                Arguments.of("device_compliant", Map.of("v", true), "device-unknown"),
                Arguments.of("device_posture_at", Long.toString(now - 30), "device-unknown"),
                Arguments.of("device_posture_at", (double) now - 30.5, "device-unknown"),
                Arguments.of("device_posture_at", List.of(now - 30), "device-unknown"),
                Arguments.of("device_posture_at", Map.of("at", now - 30), "device-unknown"),
                Arguments.of("device_posture_at", now + 86_400 * 365, "device-posture-stale"),
                Arguments.of("device_posture_at", true, "device-unknown"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource
    void claimTypeConfusion(String claim, Object value, String reason) {
        Map<String, Object> c = idp().engineer();
        c.put(claim, value);
        assertRefused(Http.get(API, "/", idpSigned(c)), 403, reason);
    }

    @Test
    void aSingleGroupStringCountsAsAOneElementList() {
        // documented in IdentityFactory: some IdPs emit one group as a plain string
        Map<String, Object> c = idp().engineer();
        c.put("groups", "engineering");
        assertThat(Http.get(API, "/", idpSigned(c)).statusCode()).isEqualTo(200);
    }

    @ParameterizedTest(name = "sub = {0}")
    @ValueSource(strings = {"42", "[\"alice\"]", "{\"id\":\"alice\"}", "true", "null", "\"\"", "\"  \""})
    void aSubjectThatIsNotAStringIsRefused(String sub) {
        String payload = json(idp().engineer()).replace("\"sub\":\"alice\"", "\"sub\":" + sub);
        assertThat(payload).contains("\"sub\":" + sub);
        HttpResponse<String> r = Http.get("headers.test", "/", idpSigned(payload));
        assertRefused(r, 401, "invalid-token");
    }

    @Test
    void aTokenWithoutSubjectIsRefused() {
        Map<String, Object> c = idp().engineer();
        c.remove("sub");
        assertRefused(Http.get("public.test", "/", idpSigned(c)), 401, "invalid-token");
        assertRefused(Http.get("headers.test", "/", idpSigned(c)), 401, "invalid-token");
    }

    @ParameterizedTest(name = "email = {0}")
    @ValueSource(strings = {"[\"alice@example.com\",\"admin@example.com\"]", "42", "{\"v\":\"admin@example.com\"}"})
    void anEmailThatIsNotAStringNeverReachesTheUpstream(String email) {
        String payload = json(idp().engineer()).replace("\"email\":\"alice@example.com\"", "\"email\":" + email);
        assertThat(payload).contains("\"email\":" + email);
        HttpResponse<String> r = Http.get("headers.test", "/", idpSigned(payload));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200); // authenticated_user only: the email plays no part
        var got = Hostile.upstream().last();
        assertThat(got.header("X-Gatehouse-Email")).as("no email header from a non-string email").isNull();
        assertThat(got.header("X-Gatehouse-User")).isEqualTo("alice");
        String assertion = got.header("X-Gatehouse-Assertion");
        JsonObject claims = new JsonObject(new String(unb64(assertion.split("\\.")[1]), StandardCharsets.UTF_8));
        assertThat(claims.containsKey("email")).as(claims.encode()).isFalse();
    }
}
