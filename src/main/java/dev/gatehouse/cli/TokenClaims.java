package dev.gatehouse.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.config.IdpConfig;
import dev.gatehouse.policy.ClaimLookup;
import dev.gatehouse.policy.ClaimPaths;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The doctor's look at a real token of an IdP: does it name the configured issuer and audience, and
 * is every configured claim path there with the JSON type Gatehouse reads it as? Mirrors the rules
 * of {@link dev.gatehouse.policy.IdentityFactory} (a fact of the wrong type is unknown and never
 * grants) but says, claim by claim, what is wrong in plain words.
 *
 * <p>The token comes from the client-credentials grant, so it describes the client's service
 * account, not a person: user claims (groups, email, device facts) are often absent from it without
 * anything being wrong. Absent claims are therefore a warning, and only for claims the config asks
 * for ({@link ClaimsAsked}: set in its {@code claims:} section or read by a policy), not for default
 * paths nothing depends on; a claim that is present with the wrong type is a failure, because the
 * IdP's mapper emits that type for everyone.
 */
final class TokenClaims {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a claim must be, as said to the operator, and the check. */
    private enum Kind {
        STRING("a JSON string"),
        LIST("a JSON list of strings (or one string)"),
        BOOLEAN("a JSON boolean (true, not \"true\")"),
        INTEGER("a JSON integer");

        final String need;

        Kind(String need) {
            this.need = need;
        }

        boolean accepts(Object v) {
            return switch (this) {
                case STRING -> v instanceof String s && !s.isEmpty();
                case LIST -> v instanceof String || v instanceof List<?> l && l.stream().allMatch(String.class::isInstance);
                case BOOLEAN -> v instanceof Boolean;
                case INTEGER -> v instanceof Integer || v instanceof Long || v instanceof BigInteger b && b.bitLength() < 64;
            };
        }
    }

    /** One configured claim: its setting, where it is read, its kind and what depends on it. */
    private record Claim(String setting, String path, Kind kind, String consequence) {
    }

    private TokenClaims() {
    }

    /**
     * Findings about {@code accessToken}, a token the IdP just issued to Gatehouse's client.
     *
     * @param asked the claim settings whose absence is worth a warning ({@link ClaimsAsked})
     */
    static List<Finding> check(String subject, IdpConfig idp, String accessToken, java.util.Set<String> asked) {
        List<Finding> out = new ArrayList<>();
        Map<String, Object> claims = payload(accessToken);
        if (claims == null) {
            out.add(Finding.warn(subject, "the token endpoint issued an access token that is not a JWT; Gatehouse "
                    + "verifies JWTs only, so bearer tokens like it would be refused (malformed); claims not checked"));
            return out;
        }
        Object iss = claims.get("iss");
        if (!idp.issuer().equals(iss)) {
            out.add(Finding.fail(subject, "the token names issuer " + describe(iss) + ", not '" + idp.issuer()
                    + "': every token would be refused as wrong-issuer"));
        }
        Object aud = claims.get("aud");
        if (!(idp.audience().equals(aud) || aud instanceof List<?> l && l.contains(idp.audience()))) {
            out.add(Finding.warn(subject, "the client-credentials token has aud " + describe(aud) + ", not '"
                    + idp.audience() + "': a bearer token like it would be refused as wrong-audience; make the IdP "
                    + "put '" + idp.audience() + "' in aud (Keycloak: an Audience mapper on the client)"));
        }
        List<String> absent = new ArrayList<>();
        int wrong = 0;
        for (Claim c : claims(idp.claims())) {
            String[] segments = ClaimLookup.split(c.path());
            if (segments == null) {
                continue;
            }
            Object v = ClaimLookup.lookup(claims, segments);
            if (v == null && "subject".equals(c.setting())) {
                out.add(Finding.warn(subject, "the client-credentials token has no " + c.path() + " (claims.subject): "
                        + "if people's tokens lack it too, every token is refused (missing-subject)"));
            } else if (v == null) {
                if (asked.contains(c.setting())) { // a default path nothing asks for: its absence breaks nothing
                    absent.add(c.path() + " (" + c.setting() + ")");
                }
            } else if (!c.kind().accepts(v)) {
                wrong++;
                out.add(Finding.fail(subject, "claim " + c.path() + " is " + describe(v) + "; Gatehouse needs "
                        + c.kind().need + ", so " + c.consequence()));
            }
            if ("groups".equals(c.setting()) && ClaimLookup.markedIncomplete(claims, segments, c.path())) {
                out.add(Finding.warn(subject, "claim " + c.path() + " is listed in _claim_names (group overage): "
                        + "such users' groups are unknown, groups criteria never grant and a groups deny blocks"));
            }
        }
        emailVerification(subject, idp, claims, out);
        if (!absent.isEmpty()) {
            out.add(Finding.warn(subject, "the client-credentials token has no " + String.join(", ", absent)
                    + "; a service-account token often lacks user claims, so check a person's token with "
                    + "/.gatehouse/whoami before trusting policies on them"));
        }
        if (wrong == 0) {
            out.add(Finding.ok(subject, "every configured claim present in the client-credentials token has the type "
                    + "Gatehouse reads"));
        }
        return out;
    }

    private static void emailVerification(String subject, IdpConfig idp, Map<String, Object> claims, List<Finding> out) {
        String[] segments = ClaimLookup.split(idp.claims().email());
        Object email = segments == null ? null : ClaimLookup.lookup(claims, segments);
        if (email instanceof String s && !s.isEmpty() && !idp.trustEmail()
                && !Boolean.TRUE.equals(claims.get("email_verified"))) {
            out.add(Finding.warn(subject, "the token carries an email but email_verified is "
                    + describe(claims.get("email_verified")) + ", not true: email and domain criteria will not use it "
                    + "(set trust-email: true only if this IdP verifies every address)"));
        }
    }

    private static List<Claim> claims(ClaimPaths p) {
        return List.of(
                new Claim("subject", p.subject(), Kind.STRING, "every token would be refused (missing-subject)"),
                new Claim("email", p.email(), Kind.STRING, "email and domain criteria would be unknown"),
                new Claim("name", p.name(), Kind.STRING, "upstreams would get no display name"),
                new Claim("groups", p.groups(), Kind.LIST, "groups criteria would be unknown and never grant"),
                new Claim("roles", p.roles(), Kind.LIST, "roles criteria would be unknown and never grant"),
                new Claim("device-id", p.deviceId(), Kind.STRING, "device id criteria would be unknown"),
                new Claim("device-compliant", p.deviceCompliant(), Kind.BOOLEAN,
                        "device: { compliant: true } would never grant"),
                new Claim("device-managed", p.deviceManaged(), Kind.BOOLEAN,
                        "device: { managed: true } would never grant"),
                new Claim("device-trust", p.deviceTrust(), Kind.INTEGER, "device: { min-trust: ... } would never grant"),
                new Claim("device-posture-at", p.devicePostureAt(), Kind.INTEGER,
                        "device: { max-posture-age: ... } would never grant (epoch seconds expected)"));
    }

    /** The JSON payload of a compact JWS, or null when the token is not one. */
    private static Map<String, Object> payload(String token) {
        String[] parts = token == null ? new String[0] : token.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            return JSON.readValue(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8),
                    new TypeReference<Map<String, Object>>() { });
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** A JSON value in plain words: {@code the string "true"}, {@code the number 1.7E9}. */
    static String describe(Object v) {
        if (v == null) {
            return "absent";
        }
        if (v instanceof String s) {
            return "the string \"" + s + "\"";
        }
        if (v instanceof Boolean b) {
            return "the boolean " + b;
        }
        if (v instanceof Number n) {
            return "the number " + n;
        }
        if (v instanceof List<?> l) {
            return l.stream().allMatch(String.class::isInstance) ? "the list " + l : "a list with non-string items " + l;
        }
        return "a JSON object";
    }
}
