package dev.gatehouse.gateway.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.identity.TokenKey;
import dev.gatehouse.identity.VerifiedToken;
import dev.gatehouse.policy.ClaimPaths;
import dev.gatehouse.policy.Identity;
import dev.gatehouse.policy.IdentityFactory;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upstream assertion as {@link AssertionSigner} signs it with {@link Es256Signer}: verifiable
 * by standard verifiers (jose4j against the published JWKS, smallrye-jwt's parser, the JDK's
 * ECDSA), in the header and claim shapes smallrye-jwt's builder produced, and reused only where the
 * contract allows (same caller, same claims, never past the token it is sent for).
 */
class AssertionSignerTest {
    private static final String ISS = "https://gatehouse.test";
    private static final long FAR = System.currentTimeMillis() / 1000 + 3600;

    private static VerifiedToken token(String tokenText, String sub, List<String> groups, long exp) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", sub);
        claims.put("email", sub + "@example.com");
        claims.put("email_verified", true);
        claims.put("name", "Al \"the\" Ice\\ \u00e9\ud83d\ude00");
        claims.put("groups", groups);
        claims.put("device_id", "laptop-1");
        claims.put("device_compliant", true);
        Identity id = IdentityFactory.fromClaims(claims, ClaimPaths.DEFAULTS, false);
        return new VerifiedToken(TokenKey.of("t", tokenText, 0, tokenText.length()), "corp", id, exp);
    }

    private static AssertionSigner signer(AssertionKeys keys) {
        return new AssertionSigner(keys, ISS, Duration.ofMinutes(5), 1000);
    }

    private static JsonObject part(String jwt, int i) {
        return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[i]), StandardCharsets.UTF_8));
    }

    @Test
    void standardVerifiersAcceptItWithEveryContractClaim(@TempDir Path dir) throws Exception {
        AssertionKeys keys = new AssertionKeys(dir, Optional.empty());
        String jwt = signer(keys).assertionFor(token("tok-a", "alice", List.of("eng", "staff", "eng"), FAR), "api");

        JwtClaims claims = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(keys.jwksJson()).getJsonWebKeys()))
                .setExpectedIssuer(ISS).setExpectedAudience("api")
                .setJwsAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.ConstraintType.PERMIT, "ES256")
                .setRequireExpirationTime().setRequireIssuedAt().setRequireJwtId()
                .build().processToClaims(jwt);
        assertThat(claims.getSubject()).isEqualTo("alice");
        assertThat(claims.getClaimValue("idp")).isEqualTo("corp");
        assertThat(claims.getClaimValue("email")).isEqualTo("alice@example.com");
        assertThat(claims.getClaimValue("name")).as("escaped and unescaped back").isEqualTo("Al \"the\" Ice\\ \u00e9\ud83d\ude00");
        assertThat(claims.getStringListClaimValue("groups")).as("no duplicates").containsExactly("eng", "staff");
        assertThat(claims.getClaimValue("device_id")).isEqualTo("laptop-1");
        assertThat(claims.getClaimValue("device_compliant")).isEqualTo(true);
        long ttl = claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue();
        assertThat(ttl).isEqualTo(300);

        JWTAuthContextInfo info = new JWTAuthContextInfo(keys.active().publicKey(), ISS);
        info.setSignatureAlgorithm(Set.of(SignatureAlgorithm.ES256));
        JsonWebToken parsed = new DefaultJWTParser(info).parse(jwt);
        assertThat(parsed.getSubject()).isEqualTo("alice");
        assertThat(parsed.getGroups()).containsExactlyInAnyOrder("eng", "staff");
        assertThat(parsed.getAudience()).containsExactly("api");
    }

    @Test
    void headerAndClaimNamesAreTheOnesSmallryeJwtWrote(@TempDir Path dir) throws Exception {
        AssertionKeys keys = new AssertionKeys(dir, Optional.empty());
        AssertionKeys.SigningKey k = keys.active();
        String ours = signer(keys).assertionFor(token("tok-a", "alice", List.of("eng"), FAR), "api");
        long now = System.currentTimeMillis() / 1000;
        String theirs = Jwt.issuer(ISS).audience("api").subject("alice").claim("idp", "corp").issuedAt(now)
                .expiresAt(now + 300).claim("jti", "x").groups(new HashSet<>(List.of("eng")))
                .claim("device_compliant", true).claim("email", "alice@example.com").claim("name", "n")
                .claim("device_id", "laptop-1").jws().keyId(k.kid()).algorithm(SignatureAlgorithm.ES256)
                .sign(k.privateKey());
        assertThat(part(ours, 0)).isEqualTo(part(theirs, 0));
        assertThat(part(ours, 0).encode()).isEqualTo("{\"kid\":\"" + k.kid() + "\",\"typ\":\"JWT\",\"alg\":\"ES256\"}");
        assertThat(part(ours, 1).fieldNames()).isEqualTo(part(theirs, 1).fieldNames());
        assertThat(part(ours, 1).getValue("aud")).isEqualTo(part(theirs, 1).getValue("aud"));
        assertThat(part(ours, 1).getValue("groups")).isEqualTo(part(theirs, 1).getValue("groups"));
        assertThat(Base64.getUrlDecoder().decode(ours.split("\\.")[2])).as("R || S").hasSize(64);
    }

    @Test
    void everySignatureVerifiesWithTheJdkAndEachHasItsOwnNonce(@TempDir Path dir) throws Exception {
        AssertionKeys keys = new AssertionKeys(dir, Optional.empty());
        AssertionSigner signer = signer(keys);
        AssertionClaims claims = AssertionClaims.of(token("tok-a", "alice", List.of("eng"), FAR), "api");
        Set<String> r = new HashSet<>();
        Set<String> jti = new HashSet<>();
        Signature jdk = Signature.getInstance("SHA256withECDSAinP1363Format");
        int n = 300; // about one in 128 has an R or S shorter than 32 bytes: the padding is exercised
        for (int i = 0; i < n; i++) {
            String jwt = signer.sign(claims, FAR, System.currentTimeMillis() / 1000);
            int dot = jwt.lastIndexOf('.');
            byte[] sig = Base64.getUrlDecoder().decode(jwt.substring(dot + 1));
            jdk.initVerify(keys.active().publicKey());
            jdk.update(jwt.substring(0, dot).getBytes(StandardCharsets.US_ASCII));
            assertThat(jdk.verify(sig)).as("signature %d", i).isTrue();
            r.add(Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(sig, 32)));
            jti.add(part(jwt, 1).getString("jti"));
        }
        assertThat(r).as("a fresh nonce each time").hasSize(n);
        assertThat(jti).hasSize(n);
    }

    @Test
    void aRefreshedTokenOfTheSameCallerReusesTheAssertionAnythingElseDoesNot(@TempDir Path dir) {
        AssertionSigner signer = signer(new AssertionKeys(dir, Optional.empty()));
        String first = signer.assertionFor(token("tok-a", "alice", List.of("eng"), FAR), "api");
        assertThat(signer.assertionFor(token("tok-a", "alice", List.of("eng"), FAR), "api")).isSameAs(first);
        assertThat(signer.assertionFor(token("tok-b", "alice", List.of("eng"), FAR + 60), "api"))
                .as("a new token saying the same").isSameAs(first);
        assertThat(signer.assertionFor(token("tok-c", "alice", List.of("eng", "admins"), FAR), "api"))
                .as("a group more").isNotEqualTo(first);
        assertThat(signer.assertionFor(token("tok-d", "bob", List.of("eng"), FAR), "api")).isNotEqualTo(first);
        assertThat(signer.assertionFor(token("tok-b", "alice", List.of("eng"), FAR), "other"))
                .as("another app").isNotEqualTo(first);
    }

    @Test
    void afterARotationNoCachedAssertionOfTheOldKeyIsSentAgain(@TempDir Path dir) {
        AssertionKeys keys = new AssertionKeys(dir, Optional.empty(), new SharedAssertionKeysTest.MapStore());
        AssertionSigner signer = signer(keys);
        String first = signer.assertionFor(token("tok-a", "alice", List.of("eng"), FAR), "api");
        keys.reloadShared(); // the same keys read again (every replica does at each audited change)
        assertThat(signer.assertionFor(token("tok-a", "alice", List.of("eng"), FAR), "api"))
                .as("an unchanged key set keeps the assertion").isSameAs(first);
        String fresh = keys.rotate(new KeyChange("root-admin", "test", null, "req", 1)).orElseThrow();
        String after = signer.assertionFor(token("tok-a", "alice", List.of("eng"), FAR), "api");
        assertThat(part(after, 0).getString("kid")).isEqualTo(fresh).isNotEqualTo(part(first, 0).getString("kid"));
        assertThat(signer.assertionFor(token("tok-b", "alice", List.of("eng"), FAR), "api"))
                .as("the same caller's next token gets the new one too").isSameAs(after);
    }

    @Test
    void anAssertionIsNeverReusedPastTheTokenItIsSentFor(@TempDir Path dir) {
        AssertionSigner signer = signer(new AssertionKeys(dir, Optional.empty()));
        String first = signer.assertionFor(token("tok-a", "alice", List.of("eng"), FAR), "api");
        long soon = System.currentTimeMillis() / 1000 + 60;
        String shortLived = signer.assertionFor(token("tok-b", "alice", List.of("eng"), soon), "api");
        assertThat(shortLived).isNotEqualTo(first);
        assertThat(part(shortLived, 1).getLong("exp")).isLessThanOrEqualTo(soon);
        assertThat(signer.assertionFor(token("tok-c", "alice", List.of("eng"), FAR), "api"))
                .as("the longer one stays the caller's").isSameAs(first);
    }

    /**
     * The (token, app) cache is gone (the cached token remembers its assertion claims instead): a token
     * that cannot use its caller's assertion, because it expires first, must still not be signed for
     * again on each request, nor the caller's longer one be displaced by it.
     */
    @Test
    void aTokenExpiringBeforeItsCallersAssertionKeepsItsOwnAndIsNotSignedForOnEachRequest(@TempDir Path dir) {
        AssertionSigner signer = signer(new AssertionKeys(dir, Optional.empty()));
        String first = signer.assertionFor(token("tok-a", "alice", List.of("eng"), FAR), "api");
        VerifiedToken older = token("tok-b", "alice", List.of("eng"), System.currentTimeMillis() / 1000 + 60);
        String own = signer.assertionFor(older, "api");
        assertThat(own).isNotEqualTo(first);
        assertThat(signer.assertionFor(older, "api")).as("kept, not signed again").isSameAs(own);
        assertThat(signer.assertionFor(older, "other")).as("another app").isNotEqualTo(own);
        assertThat(signer.assertionFor(older, "api")).as("back at the first app, within its lifetime")
                .isNotEqualTo(first);
        assertThat(signer.assertionFor(token("tok-a", "alice", List.of("eng"), FAR), "api"))
                .as("the caller's longer one is untouched").isSameAs(first);
    }

    @Test
    void theSameCachedTokenAtTwoAppsGetsEachAppsAssertion(@TempDir Path dir) {
        AssertionSigner signer = signer(new AssertionKeys(dir, Optional.empty()));
        VerifiedToken t = token("tok-a", "alice", List.of("eng"), FAR);
        String api = signer.assertionFor(t, "api");
        String other = signer.assertionFor(t, "other");
        assertThat(part(other, 1).getString("aud")).isEqualTo("other");
        assertThat(signer.assertionFor(t, "api")).isSameAs(api);
        assertThat(part(api, 1).getString("aud")).isEqualTo("api");
        assertThat(signer.assertionFor(t, "other")).isSameAs(other);
    }

    @Test
    void aKeyPairThatDoesNotMatchIsRefused() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        ECPrivateKey one = (ECPrivateKey) gen.generateKeyPair().getPrivate();
        ECPublicKey other = (ECPublicKey) gen.generateKeyPair().getPublic();
        assertThatThrownBy(() -> new Es256Signer(one, other, new SecureRandom())).hasMessageContaining("do not match");
        KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
        p384.initialize(new ECGenParameterSpec("secp384r1"));
        var pair = p384.generateKeyPair();
        assertThatThrownBy(() -> new Es256Signer((ECPrivateKey) pair.getPrivate(), (ECPublicKey) pair.getPublic(),
                new SecureRandom())).hasMessageContaining("P-256");
    }

    @Test
    void jsonStringsAreEscaped() {
        StringBuilder b = new StringBuilder();
        AssertionClaims.string(b, "a\"b\\c\n\u0001\u007f\ud800x\ud83d\ude00");
        assertThat(b.toString()).isEqualTo("\"a\\\"b\\\\c\\u000a\\u0001\\u007f\\ud800x\ud83d\ude00\"");
    }
}
