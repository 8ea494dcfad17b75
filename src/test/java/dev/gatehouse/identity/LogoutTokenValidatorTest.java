package dev.gatehouse.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.config.IdpConfig;
import dev.gatehouse.policy.ClaimPaths;
import dev.gatehouse.testing.TestIdp;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every check of OpenID Back-Channel Logout 1.0 section 2.6 on its own: each test breaks exactly one
 * thing of an otherwise valid logout token, signed with a test IdP's key that a real HTTP server
 * publishes as a JWKS (through discovery), and expects that one rejection code.
 */
class LogoutTokenValidatorTest {
    static Vertx vertx;
    static TestIdp idp;
    static final Instant NOW = Instant.now();

    IdpConfig config;
    Set<String> seen;
    LogoutTokenValidator validator;

    @BeforeAll
    static void startIdp() {
        vertx = Vertx.vertx();
        idp = TestIdp.start(vertx);
    }

    @AfterAll
    static void stopIdp() {
        idp.stop();
        vertx.close();
    }

    @BeforeEach
    void setUp() {
        config = new IdpConfig("test", idp.issuer(), "gatehouse-api", "gatehouse", "secret", ClaimPaths.DEFAULTS, false);
        seen = new HashSet<>();
        IdpKeys keys = new IdpKeys();
        validator = new LogoutTokenValidator(keys::resolver, (i, jti, until) -> seen.add(i + " " + jti),
                Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(5));
    }

    Map<String, Object> claims() {
        Map<String, Object> c = new HashMap<>();
        c.put("iss", idp.issuer());
        c.put("aud", "gatehouse");
        c.put("iat", NOW.getEpochSecond() - 5);
        c.put("exp", NOW.getEpochSecond() + 115);
        c.put("jti", UUID.randomUUID().toString());
        c.put("sub", "alice");
        c.put("sid", "kc-session-1");
        c.put("events", Map.of(LogoutTokenValidator.EVENT, Map.of()));
        return c;
    }

    static String sign(Map<String, Object> claims, String typ, String alg, Key key, String kid) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setPayload(new JsonObject(claims).encode());
            jws.setAlgorithmHeaderValue(alg);
            jws.setAlgorithmConstraints(AlgorithmConstraints.NO_CONSTRAINTS);
            if (kid != null) {
                jws.setKeyIdHeaderValue(kid);
            }
            if (typ != null) {
                jws.setHeader("typ", typ);
            }
            jws.setKey(key);
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String sign(Map<String, Object> claims) {
        return sign(claims, "logout+jwt", "RS256", idp.currentKey().getPrivate(), idp.currentKid());
    }

    LogoutToken validate(String token) {
        return validator.validate(token, List.of(config));
    }

    void rejected(String token, String code) {
        assertThatThrownBy(() -> validate(token)).isInstanceOf(LogoutTokenRejected.class)
                .extracting(e -> ((LogoutTokenRejected) e).code()).isEqualTo(code);
    }

    @Test
    void aValidTokenNamesTheIdpUserAndSessionAndIsRecorded() {
        Map<String, Object> c = claims();
        LogoutToken t = validate(sign(c));
        assertThat(t).isEqualTo(new LogoutToken("test", "alice", "kc-session-1", (String) c.get("jti")));
        assertThat(seen).containsExactly("test " + c.get("jti"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"logout+jwt", "application/logout+jwt", "JWT", "jwt"})
    void acceptedTypes(String typ) {
        assertThat(validate(sign(claims(), typ, "RS256", idp.currentKey().getPrivate(), idp.currentKid())).idp())
                .isEqualTo("test");
    }

    @Test
    void subOrSidAloneIsEnough() {
        Map<String, Object> onlySub = claims();
        onlySub.remove("sid");
        assertThat(validate(sign(onlySub)).sid()).isNull();
        Map<String, Object> onlySid = claims();
        onlySid.remove("sub");
        assertThat(validate(sign(onlySid)).sub()).isNull();
    }

    @Test
    void aReplayIsRefused() {
        String token = sign(claims());
        validate(token);
        rejected(token, "replayed");
    }

    @Test
    void anotherTypeIsRefused() {
        rejected(sign(claims(), null, "RS256", idp.currentKey().getPrivate(), idp.currentKid()), "wrong-type");
        rejected(sign(claims(), "at+jwt", "RS256", idp.currentKey().getPrivate(), idp.currentKid()), "wrong-type");
    }

    @Test
    void notAJwtIsRefused() {
        rejected("not-a-token", "malformed");
        rejected("", "malformed");
        rejected(null, "malformed");
    }

    @Test
    void aForeignKeyAnHmacOrNoSignatureIsRefused() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        rejected(sign(claims(), "logout+jwt", "RS256", gen.generateKeyPair().getPrivate(), idp.currentKid()),
                "bad-signature");
        byte[] secret = "a-shared-secret-of-at-least-32-bytes!".getBytes(StandardCharsets.UTF_8);
        rejected(sign(claims(), "logout+jwt", "HS256", new SecretKeySpec(secret, "HmacSHA256"), idp.currentKid()),
                "bad-signature");
        rejected(sign(claims(), "logout+jwt", "none", null, null), "bad-signature");
        String valid = sign(claims());
        rejected(valid.substring(0, valid.lastIndexOf('.') + 1), "bad-signature");
    }

    @Test
    void anUnknownIssuerIsRefused() {
        Map<String, Object> c = claims();
        c.put("iss", "https://evil.example/realms/test");
        rejected(sign(c), "unknown-issuer");
        c.remove("iss");
        rejected(sign(c), "unknown-issuer");
    }

    @Test
    void theAudienceMustContainTheClientId() {
        Map<String, Object> c = claims();
        c.put("aud", "gatehouse-api"); // the bearer audience, not the client id
        rejected(sign(c), "wrong-audience");
        c.put("aud", List.of("other", "gatehouse"));
        assertThat(validate(sign(c)).idp()).isEqualTo("test");
        c.put("aud", 42);
        c.put("jti", "j-" + UUID.randomUUID());
        rejected(sign(c), "wrong-audience");
    }

    @Test
    void iatMustBePresentAndRecentAndExpNotPassed() {
        Map<String, Object> c = claims();
        c.remove("iat");
        rejected(sign(c), "missing-iat");
        c.put("iat", NOW.getEpochSecond() - Duration.ofMinutes(6).toSeconds());
        rejected(sign(c), "too-old");
        c.put("iat", NOW.getEpochSecond() + 120);
        rejected(sign(c), "issued-in-future");
        c.put("iat", NOW.getEpochSecond());
        c.put("exp", NOW.getEpochSecond() - 60);
        rejected(sign(c), "expired");
        c.put("iat", "yesterday");
        c.remove("exp");
        rejected(sign(c), "bad-time");
    }

    @Test
    void jtiIsRequired() {
        Map<String, Object> c = claims();
        c.remove("jti");
        rejected(sign(c), "missing-jti");
        c.put("jti", 7);
        rejected(sign(c), "missing-jti");
    }

    @Test
    void theBackChannelLogoutEventIsRequired() {
        Map<String, Object> c = claims();
        c.remove("events");
        rejected(sign(c), "missing-event");
        c.put("events", Map.of("http://schemas.openid.net/event/other", Map.of()));
        rejected(sign(c), "missing-event");
        c.put("events", Map.of(LogoutTokenValidator.EVENT, "yes"));
        rejected(sign(c), "missing-event");
        c.put("events", List.of(LogoutTokenValidator.EVENT));
        rejected(sign(c), "missing-event");
    }

    @Test
    void subOrSidIsRequiredAndMustBeAString() {
        Map<String, Object> c = claims();
        c.remove("sub");
        c.remove("sid");
        rejected(sign(c), "missing-sub-and-sid");
        c.put("sid", 12);
        rejected(sign(c), "bad-sid");
    }

    @Test
    void aNonceIsRefused() {
        Map<String, Object> c = claims();
        c.put("nonce", "n-0S6_WzA2Mj");
        rejected(sign(c), "nonce-present");
    }

    @Test
    void aRefusedTokenIsNotRecorded() {
        Map<String, Object> c = claims();
        c.put("nonce", "n");
        rejected(sign(c), "nonce-present");
        assertThat(seen).isEmpty();
    }
}
