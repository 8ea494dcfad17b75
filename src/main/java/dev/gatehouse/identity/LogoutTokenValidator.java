package dev.gatehouse.identity;

import dev.gatehouse.config.IdpConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.VerificationKeyResolver;

/**
 * Validates a back-channel logout token exactly as OpenID Back-Channel Logout 1.0, section 2.6,
 * says, in this order (the cheap, key-free checks first; the replay record last, so a forged token
 * never fills the store):
 * <ol>
 *   <li>a signed JWT (JWS compact form), header {@code typ} {@code logout+jwt} (as the spec
 *       recommends) or plain {@code JWT} (as Keycloak sends);</li>
 *   <li>{@code iss} of a configured IdP; the signature by one of that IdP's keys (its JWKS), with
 *       an asymmetric algorithm ({@code none} and HMAC are refused);</li>
 *   <li>{@code aud} contains that IdP's {@code client-id} (its {@code audience} when no client id
 *       is configured);</li>
 *   <li>{@code iat} present, not in the future, at most {@code maxAge} old; {@code exp}, when
 *       present, not passed (30 s skew each);</li>
 *   <li>{@code jti} present; {@code events} an object with the member
 *       {@value #EVENT} (itself an object); {@code sid} and/or {@code sub}, as strings;
 *       no {@code nonce};</li>
 *   <li>the {@code jti} not seen before for this IdP ({@link ReplayGuard}).</li>
 * </ol>
 * Blocking (JWKS and store): call from a worker.
 */
public final class LogoutTokenValidator {
    /** The event a logout token must carry. */
    public static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";
    static final int SKEW_SECONDS = 30;
    private static final String[] ALGORITHMS = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
        "ES384", "ES512", "EdDSA"};
    private static final JwtConsumer PARSER = new JwtConsumerBuilder().setSkipAllValidators()
            .setDisableRequireSignature().setSkipSignatureVerification().build();

    private final Function<IdpConfig, VerificationKeyResolver> keys;
    private final ReplayGuard replays;
    private final Clock clock;
    private final Duration maxAge;

    /**
     * @param keys    the key resolver of each IdP ({@link IdpKeys#resolver})
     * @param replays where accepted {@code jti}s are remembered
     * @param maxAge  oldest {@code iat} accepted
     */
    public LogoutTokenValidator(Function<IdpConfig, VerificationKeyResolver> keys, ReplayGuard replays, Clock clock,
                                Duration maxAge) {
        this.keys = keys;
        this.replays = replays;
        this.clock = clock;
        this.maxAge = maxAge;
    }

    /**
     * @param token the {@code logout_token} form parameter
     * @param idps  the configured IdPs
     * @throws LogoutTokenRejected with the first check that failed
     */
    public LogoutToken validate(String token, Collection<IdpConfig> idps) {
        if (token == null || token.isEmpty() || token.length() > 16_384) {
            throw new LogoutTokenRejected("malformed", "no logout_token, or one over 16 KB");
        }
        JwtContext ctx;
        try {
            ctx = PARSER.process(token);
        } catch (InvalidJwtException e) {
            throw new LogoutTokenRejected("malformed", "not a JWT");
        }
        if (ctx.getJoseObjects().size() != 1 || !(ctx.getJoseObjects().get(0)
                instanceof org.jose4j.jws.JsonWebSignature jws)) {
            throw new LogoutTokenRejected("malformed", "not a signed JWT (JWS)");
        }
        checkType(jws);
        JwtClaims claims = ctx.getJwtClaims();
        List<IdpConfig> issuers = byIssuer(string(claims, "iss"), idps);
        verifySignature(ctx, issuers.get(0));
        IdpConfig idp = byAudience(claims, issuers);
        long now = clock.millis() / 1000;
        long iat = checkTimes(claims, now);
        String jti = string(claims, "jti");
        if (jti == null || jti.isEmpty() || jti.length() > 255) {
            throw new LogoutTokenRejected("missing-jti", "jti must be a string of 1 to 255 characters");
        }
        checkEvents(claims);
        String sub = optionalString(claims, "sub");
        String sid = optionalString(claims, "sid");
        if (sub == null && sid == null) {
            throw new LogoutTokenRejected("missing-sub-and-sid", "neither sub nor sid");
        }
        if (claims.hasClaim("nonce")) {
            throw new LogoutTokenRejected("nonce-present", "a logout token must not carry a nonce");
        }
        long rememberUntil = (iat + maxAge.toSeconds() + 2L * SKEW_SECONDS) * 1000;
        if (!replays.firstUse(idp.id(), jti, rememberUntil)) {
            throw new LogoutTokenRejected("replayed", "this jti was used before");
        }
        return new LogoutToken(idp.id(), sub, sid, jti);
    }

    private static void checkType(JsonWebStructure jws) {
        String typ = jws.getHeader("typ");
        if (typ == null) {
            throw new LogoutTokenRejected("wrong-type", "no typ header");
        }
        String t = typ.toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("application/")) {
            t = t.substring("application/".length());
        }
        if (!t.equals("logout+jwt") && !t.equals("jwt")) {
            throw new LogoutTokenRejected("wrong-type", "typ is neither logout+jwt nor JWT");
        }
    }

    private static List<IdpConfig> byIssuer(String iss, Collection<IdpConfig> idps) {
        if (iss == null) {
            throw new LogoutTokenRejected("unknown-issuer", "no iss");
        }
        List<IdpConfig> out = new ArrayList<>();
        for (IdpConfig idp : idps) {
            if (trim(idp.issuer()).equals(trim(iss))) {
                out.add(idp);
            }
        }
        if (out.isEmpty()) {
            throw new LogoutTokenRejected("unknown-issuer", "iss is no configured IdP");
        }
        return out;
    }

    private static String trim(String issuer) {
        return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    }

    private void verifySignature(JwtContext ctx, IdpConfig idp) {
        JwtConsumer verifier = new JwtConsumerBuilder()
                .setSkipAllDefaultValidators()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, ALGORITHMS)
                .setVerificationKeyResolver(keys.apply(idp))
                .build();
        try {
            verifier.processContext(ctx);
        } catch (InvalidJwtException e) {
            throw new LogoutTokenRejected("bad-signature", "signature not verified with " + idp.id() + "'s keys");
        }
    }

    /** The IdP among those with this issuer whose client id the token is for. */
    private static IdpConfig byAudience(JwtClaims claims, List<IdpConfig> issuers) {
        List<String> aud;
        try {
            aud = claims.getAudience();
        } catch (MalformedClaimException e) {
            throw new LogoutTokenRejected("wrong-audience", "aud is neither a string nor a list of strings");
        }
        for (IdpConfig idp : issuers) {
            String expected = idp.clientId() != null && !idp.clientId().isBlank() ? idp.clientId() : idp.audience();
            if (aud != null && aud.contains(expected)) {
                return idp;
            }
        }
        throw new LogoutTokenRejected("wrong-audience", "aud does not contain the IdP's client id");
    }

    private long checkTimes(JwtClaims claims, long now) {
        NumericDate iat;
        NumericDate exp;
        try {
            iat = claims.getIssuedAt();
            exp = claims.getExpirationTime();
        } catch (MalformedClaimException e) {
            throw new LogoutTokenRejected("bad-time", "iat or exp is not a number");
        }
        if (iat == null) {
            throw new LogoutTokenRejected("missing-iat", "no iat");
        }
        if (iat.getValue() > now + SKEW_SECONDS) {
            throw new LogoutTokenRejected("issued-in-future", "iat is in the future");
        }
        if (now - iat.getValue() > maxAge.toSeconds() + SKEW_SECONDS) {
            throw new LogoutTokenRejected("too-old", "iat is older than " + maxAge);
        }
        if (exp != null && exp.getValue() + SKEW_SECONDS <= now) {
            throw new LogoutTokenRejected("expired", "exp has passed");
        }
        return iat.getValue();
    }

    private static void checkEvents(JwtClaims claims) {
        Object events = claims.getClaimValue("events");
        if (!(events instanceof Map<?, ?> map) || !map.containsKey(EVENT) || !(map.get(EVENT) instanceof Map<?, ?>)) {
            throw new LogoutTokenRejected("missing-event", "events has no " + EVENT + " object");
        }
    }

    private static String string(JwtClaims claims, String name) {
        Object v = claims.getClaimValue(name);
        return v instanceof String s ? s : null;
    }

    private static String optionalString(JwtClaims claims, String name) {
        Object v = claims.getClaimValue(name);
        if (v == null) {
            return null;
        }
        if (!(v instanceof String s) || s.isEmpty() || s.length() > 255) {
            throw new LogoutTokenRejected("bad-" + name, name + " must be a non-empty string");
        }
        return s;
    }
}
