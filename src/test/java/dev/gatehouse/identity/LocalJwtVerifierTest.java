package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.crypto.NativeCrypto;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The local path accepts a genuine token and leaves everything else to quarkus-oidc (answers null):
 * it may only ever accept a subset of what quarkus-oidc accepts. The end-to-end refusals, with
 * their reasons, are {@code JwtAttacksTest} and {@code TokenRejectionReasonsTest}; here each
 * hostile shape is shown not to pass the local path on its own.
 */
class LocalJwtVerifierTest {
    private static final String ISS = "https://idp.example/realms/test";
    private static final String AUD = "gatehouse";
    private static final String TENANT = "test-0011223344556677";
    private static final long NOW = 1_800_000_000L;
    private static final KeyPair RSA = generate("RSA", 2048);
    private static final KeyPair RSA_SMALL = generate("RSA", 1024);
    private static final KeyPair EC = generateEc();
    private static final KeyPair OTHER = generate("RSA", 2048);

    private final JwksKeys keys = new JwksKeys();

    LocalJwtVerifierTest() {
        keys.update(TENANT, "{\"keys\":[" + rsaJwk("rsa-1", RSA, "\"use\":\"sig\",\"alg\":\"RS256\",") + ","
                + ecJwk("ec-1", EC) + "," + rsaJwk("small", RSA_SMALL, "") + ","
                + rsaJwk("enc-1", OTHER, "\"use\":\"enc\",") + ","
                + rsaJwk("twice", OTHER, "") + "," + rsaJwk("twice", RSA, "") + ","
                + rsaJwk("rsa-any", OTHER, "") + "]}");
    }

    private static String claims(String extra) {
        return "{\"iss\":\"" + ISS + "\",\"aud\":\"" + AUD + "\",\"sub\":\"alice\",\"iat\":" + (NOW - 10)
                + ",\"exp\":" + (NOW + 300) + extra + "}";
    }

    private LocalJwtVerifier.Verified check(String token) {
        String header = "Bearer " + token;
        return LocalJwtVerifier.verify(keys, TENANT, ISS, AUD, header, 7, header.length(), NOW);
    }

    @Test
    void acceptsAGenuineRs256TokenWithItsClaimsAsJsonTypes() {
        LocalJwtVerifier.Verified v = check(rs256("rsa-1", claims(",\"groups\":[\"eng\"],\"device\":{\"ok\":true},\"n\":7")));
        assertThat(v).isNotNull();
        assertThat(v.exp()).isEqualTo(NOW + 300);
        assertThat(v.claims()).containsEntry("sub", "alice").containsEntry("groups", List.of("eng"))
                .containsEntry("device", Map.of("ok", true)).containsEntry("n", 7);
    }

    @Test
    void signaturesAreCheckedByTheNativeProviderWhereItLoads() throws Exception {
        String expected = NativeCrypto.provider() == null ? null : NativeCrypto.provider().getName();
        org.junit.jupiter.api.Assumptions.assumeTrue(expected != null, "no native provider on this platform");
        for (String alg : List.of("RS256", "RS384", "RS512", "ES256", "ES384", "ES512")) {
            assertThat(LocalJwtVerifier.providerOf(alg)).as(alg).isEqualTo(expected);
        }
        // and it still tells a genuine signature from a changed one
        String good = rs256("rsa-1", claims(""));
        assertThat(check(good)).isNotNull();
        int last = good.lastIndexOf('.') + 5;
        String bad = good.substring(0, last) + (good.charAt(last) == 'A' ? 'B' : 'A') + good.substring(last + 1);
        assertThat(check(bad)).isNull();
    }

    @Test
    void acceptsGenuineEs256AndAnAudienceList() {
        assertThat(check(sign("{\"alg\":\"ES256\",\"kid\":\"ec-1\"}", claims(""), EC.getPrivate(),
                "SHA256withECDSAinP1363Format"))).isNotNull();
        assertThat(check(rs256("rsa-1", claims("").replace("\"aud\":\"gatehouse\"", "\"aud\":[\"x\",\"gatehouse\"]"))))
                .isNotNull();
    }

    @Test
    void theSkewIsQuarkusOidcsThirtySeconds() {
        assertThat(check(rs256("rsa-1", claims("").replace("\"exp\":" + (NOW + 300), "\"exp\":" + (NOW - 29)))))
                .isNotNull();
        assertThat(check(rs256("rsa-1", claims("").replace("\"exp\":" + (NOW + 300), "\"exp\":" + (NOW - 30)))))
                .isNull();
        assertThat(check(rs256("rsa-1", claims(",\"nbf\":" + (NOW + 30))))).isNotNull();
        assertThat(check(rs256("rsa-1", claims(",\"nbf\":" + (NOW + 31))))).isNull();
    }

    static Stream<Arguments> leftToQuarkusOidc() {
        String ok = claims("");
        return Stream.of(
                Arguments.of("alg none", b64("{\"alg\":\"none\",\"kid\":\"rsa-1\"}") + "." + b64(ok) + ".c2ln"),
                Arguments.of("HS256 keyed by the public key", hs256("{\"alg\":\"HS256\",\"kid\":\"rsa-1\"}", ok,
                        RSA.getPublic().getEncoded())),
                Arguments.of("RS256 header on the EC key", rs256("ec-1", ok)),
                Arguments.of("key alg RS256, header RS512", sign("{\"alg\":\"RS512\",\"kid\":\"rsa-1\"}", ok,
                        RSA.getPrivate(), "SHA512withRSA")),
                Arguments.of("crit header", sign("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"crit\":[\"exp\"],\"exp\":1}", ok,
                        RSA.getPrivate(), "SHA256withRSA")),
                Arguments.of("jku header", sign("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"jku\":\"http://evil/\"}", ok,
                        RSA.getPrivate(), "SHA256withRSA")),
                Arguments.of("b64 header", sign("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"b64\":false}", ok,
                        RSA.getPrivate(), "SHA256withRSA")),
                Arguments.of("duplicate header member", sign("{\"alg\":\"RS256\",\"kid\":\"x\",\"kid\":\"rsa-1\"}", ok,
                        RSA.getPrivate(), "SHA256withRSA")),
                Arguments.of("no kid", sign("{\"alg\":\"RS256\"}", ok, RSA.getPrivate(), "SHA256withRSA")),
                Arguments.of("kid injection", sign("{\"alg\":\"RS256\",\"kid\":\"../../rsa-1\"}", ok, RSA.getPrivate(),
                        "SHA256withRSA")),
                Arguments.of("unknown kid", rs256("nope", ok)),
                Arguments.of("kid of an encryption key", sign("{\"alg\":\"RS256\",\"kid\":\"enc-1\"}", ok,
                        OTHER.getPrivate(), "SHA256withRSA")),
                Arguments.of("kid two keys share", sign("{\"alg\":\"RS256\",\"kid\":\"twice\"}", ok, RSA.getPrivate(),
                        "SHA256withRSA")),
                Arguments.of("1024-bit RSA key", sign("{\"alg\":\"RS256\",\"kid\":\"small\"}", ok, RSA_SMALL.getPrivate(),
                        "SHA256withRSA")),
                Arguments.of("signed by another key", sign("{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", ok, OTHER.getPrivate(),
                        "SHA256withRSA")),
                Arguments.of("payload swapped", swapPayload(rs256("rsa-1", ok), claims(",\"admin\":true"))),
                Arguments.of("wrong issuer", rs256("rsa-1", ok.replace(ISS, ISS + "x"))),
                Arguments.of("issuer not a string", rs256("rsa-1", ok.replace("\"" + ISS + "\"", "[\"" + ISS + "\"]"))),
                Arguments.of("wrong audience", rs256("rsa-1", ok.replace("\"aud\":\"gatehouse\"", "\"aud\":\"other\""))),
                Arguments.of("no audience", rs256("rsa-1", ok.replace("\"aud\":\"gatehouse\",", ""))),
                Arguments.of("audience list with a number", rs256("rsa-1",
                        ok.replace("\"aud\":\"gatehouse\"", "\"aud\":[\"gatehouse\",1]"))),
                Arguments.of("expired", rs256("rsa-1", ok.replace("\"exp\":" + (NOW + 300), "\"exp\":" + (NOW - 100)))),
                Arguments.of("no exp", rs256("rsa-1", ok.replace(",\"exp\":" + (NOW + 300), ""))),
                Arguments.of("exp as a string", rs256("rsa-1", ok.replace("\"exp\":" + (NOW + 300), "\"exp\":\"" + (NOW + 300) + "\""))),
                Arguments.of("exp as a fraction", rs256("rsa-1", ok.replace("\"exp\":" + (NOW + 300), "\"exp\":" + (NOW + 300) + ".5"))),
                Arguments.of("no iat", rs256("rsa-1", ok.replace("\"iat\":" + (NOW - 10) + ",", ""))),
                Arguments.of("iat in the future", rs256("rsa-1", ok.replace("\"iat\":" + (NOW - 10), "\"iat\":" + (NOW + 100)))),
                Arguments.of("nbf in the future", rs256("rsa-1", claims(",\"nbf\":" + (NOW + 100)))),
                Arguments.of("nbf null", rs256("rsa-1", claims(",\"nbf\":null"))),
                Arguments.of("duplicate claim", rs256("rsa-1", claims(",\"sub\":\"root\""))),
                Arguments.of("duplicate nested claim", rs256("rsa-1", claims(",\"realm_access\":{\"roles\":[],\"roles\":[\"admin\"]}"))),
                Arguments.of("trailing content", rs256("rsa-1", ok + "{}")),
                // Vert.x's codec (used before ClaimsParser) allowed comments: this path takes plain JSON only
                Arguments.of("comment in the payload", rs256("rsa-1", "{/* x */" + ok.substring(1))),
                Arguments.of("comment in the header", sign("{\"alg\":\"RS256\",/* x */\"kid\":\"rsa-1\"}", ok,
                        RSA.getPrivate(), "SHA256withRSA")),
                Arguments.of("payload an array", rs256("rsa-1", "[" + ok + "]")),
                Arguments.of("refresh token", rs256("rsa-1", claims(",\"typ\":\"Refresh\""))),
                Arguments.of("typ claim not a string", rs256("rsa-1", claims(",\"typ\":1"))),
                Arguments.of("typ header not a string", sign("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"typ\":1}", ok,
                        RSA.getPrivate(), "SHA256withRSA")),
                Arguments.of("signature truncated", rs256("rsa-1", ok).substring(0, rs256("rsa-1", ok).length() - 4)),
                Arguments.of("two segments", rs256("rsa-1", ok).substring(0, rs256("rsa-1", ok).lastIndexOf('.'))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void leftToQuarkusOidc(String what, String token) {
        assertThat(check(token)).isNull();
    }

    @Test
    void issuerOrAudienceAnyIsNotThisPathsShape() {
        String header = "Bearer " + rs256("rsa-1", claims(""));
        assertThat(LocalJwtVerifier.verify(keys, TENANT, "any", AUD, header, 7, header.length(), NOW)).isNull();
        assertThat(LocalJwtVerifier.verify(keys, TENANT, ISS, "any", header, 7, header.length(), NOW)).isNull();
        assertThat(LocalJwtVerifier.verify(keys, "other-tenant", ISS, AUD, header, 7, header.length(), NOW)).isNull();
    }

    @Test
    void anUnknownKidAsksForARefetchAtMostEveryTenSeconds() {
        assertThat(keys.takeRefresh(TENANT, 100_000, 0)).isFalse();
        check(rs256("rotated", claims("")));
        assertThat(keys.takeRefresh(TENANT, 100_000, 95_000)).as("too soon after the last fetch").isFalse();
        assertThat(keys.takeRefresh(TENANT, 100_000, 90_000)).isTrue();
        assertThat(keys.takeRefresh(TENANT, 100_000, 0)).as("taken once").isFalse();
    }

    @Test
    void aBrokenJwksKeepsTheLastGoodKeysAndARemovedTenantIsForgotten() {
        keys.update(TENANT, "{\"keys\":");
        assertThat(check(rs256("rsa-1", claims("")))).isNotNull();
        keys.retain(Set.of("another"));
        assertThat(check(rs256("rsa-1", claims("")))).isNull();
    }

    // ---- helpers ----

    private static KeyPair generate(String alg, int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair generateEc() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rsaJwk(String kid, KeyPair kp, String extra) {
        RSAPublicKey pub = (RSAPublicKey) kp.getPublic();
        return "{\"kty\":\"RSA\"," + extra + "\"kid\":\"" + kid + "\",\"n\":\"" + b64(unsigned(pub.getModulus()))
                + "\",\"e\":\"" + b64(unsigned(pub.getPublicExponent())) + "\"}";
    }

    private static String ecJwk(String kid, KeyPair kp) {
        ECPublicKey pub = (ECPublicKey) kp.getPublic();
        return "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"" + kid + "\",\"x\":\""
                + b64(fixed(pub.getW().getAffineX(), 32)) + "\",\"y\":\"" + b64(fixed(pub.getW().getAffineY(), 32)) + "\"}";
    }

    private static byte[] unsigned(BigInteger v) {
        byte[] b = v.toByteArray();
        return b.length > 1 && b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }

    private static byte[] fixed(BigInteger v, int len) {
        byte[] b = unsigned(v);
        byte[] out = new byte[len];
        System.arraycopy(b, 0, out, len - b.length, b.length);
        return out;
    }

    private static String b64(String s) {
        return b64(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String rs256(String kid, String payload) {
        return sign("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}", payload, RSA.getPrivate(), "SHA256withRSA");
    }

    private static String sign(String header, String payload, PrivateKey key, String jca) {
        try {
            String input = b64(header) + "." + b64(payload);
            Signature s = Signature.getInstance(jca);
            s.initSign(key);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64(s.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hs256(String header, String payload, byte[] secret) {
        try {
            String input = b64(header) + "." + b64(payload);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String swapPayload(String token, String payload) {
        String[] p = token.split("\\.");
        return p[0] + "." + b64(payload) + "." + p[2];
    }
}
