package dev.gatehouse.session;

import dev.gatehouse.config.IdpConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;

/**
 * Verifies an ID token as OpenID Connect Core 3.1.3.7 asks: the signature with the IdP's JWKS
 * (asymmetric algorithms only), {@code iss} the configured issuer exactly, {@code aud} containing
 * the client id (and {@code azp} the client id when there are several audiences), {@code exp} and
 * {@code iat} present, 30 s clock skew, a non-empty {@code sub}, and the {@code nonce} of this
 * sign-in when one is expected. An unknown key id fetches the JWKS again (rate-limited) once.
 */
public final class IdTokenVerifier {
    static final int CLOCK_SKEW_SECONDS = 30;
    private static final AlgorithmConstraints ASYMMETRIC = new AlgorithmConstraints(
            AlgorithmConstraints.ConstraintType.PERMIT, "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512");

    private final IdpClient client;
    private final Clock clock;

    public IdTokenVerifier(IdpClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /**
     * @param nonce the nonce this sign-in sent, or null (a refresh: then a nonce is not checked)
     * @return the verified claims as a JSON tree; fails with {@link SignInFailed} when the token is not valid
     */
    public Future<Map<String, Object>> verify(IdpConfig idp, String idToken, String nonce) {
        if (idToken == null) {
            return Future.failedFuture(new SignInFailed("the IdP sent no ID token"));
        }
        return client.keys(idp, false).compose(keys -> {
            try {
                return Future.succeededFuture(check(idp, idToken, nonce, keys));
            } catch (UnknownKey e) {
                return client.keys(idp, true).map(fresh -> check(idp, idToken, nonce, fresh));
            }
        });
    }

    private Map<String, Object> check(IdpConfig idp, String idToken, String nonce, JsonWebKeySet keys) {
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(keys.getJsonWebKeys()))
                .setJwsAlgorithmConstraints(ASYMMETRIC)
                .setExpectedIssuer(idp.issuer())
                .setExpectedAudience(idp.clientId())
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireSubject()
                .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS)
                .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
                .build();
        try {
            consumer.processToClaims(idToken);
        } catch (InvalidJwtException e) {
            if (e.getCause() instanceof org.jose4j.lang.UnresolvableKeyException) {
                throw new UnknownKey();
            }
            // jose4j's message quotes the token: only say which check failed
            throw new SignInFailed("the ID token is not valid (" + firstCode(e) + ")");
        }
        Map<String, Object> claims = payload(idToken);
        if (nonce != null && !Secrets.same(nonce, claims.get("nonce") instanceof String s ? s : null)) {
            throw new SignInFailed("the ID token's nonce is not this sign-in's");
        }
        if (claims.get("aud") instanceof List<?> aud && aud.size() > 1 && !idp.clientId().equals(claims.get("azp"))) {
            throw new SignInFailed("the ID token has several audiences and another azp");
        }
        if (!(claims.get("sub") instanceof String sub) || sub.isBlank()) {
            throw new SignInFailed("the ID token names no subject");
        }
        return claims;
    }

    private static String firstCode(InvalidJwtException e) {
        return e.getErrorDetails().isEmpty() ? "invalid" : "code " + e.getErrorDetails().get(0).getErrorCode();
    }

    /** The payload of a compact JWS whose signature was checked, as a plain JSON tree. */
    static Map<String, Object> payload(String jws) {
        String p = jws.substring(jws.indexOf('.') + 1, jws.lastIndexOf('.'));
        return new JsonObject(new String(Base64.getUrlDecoder().decode(p), StandardCharsets.UTF_8)).getMap();
    }

    /** The key id was not in the JWKS: fetch it again. */
    private static final class UnknownKey extends RuntimeException {
        UnknownKey() {
            super(null, null, false, false);
        }
    }
}
