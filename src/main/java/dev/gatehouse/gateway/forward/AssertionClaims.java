package dev.gatehouse.gateway.forward;

import dev.gatehouse.identity.VerifiedToken;
import dev.gatehouse.policy.Identity;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Everything an {@code X-Gatehouse-Assertion} says about its caller and app, apart from
 * {@code iss} (one per Gatehouse), {@code iat}, {@code exp} and {@code jti}. It is also the key
 * under which {@link AssertionSigner} reuses an assertion for another token of the same caller:
 * the payload is written from this record alone ({@link #json}), so two equal records give
 * assertions that differ only in those four claims.
 *
 * @param appId           {@code aud}
 * @param idp             {@code idp}: the IdP that vouched for the caller
 * @param subject         {@code sub}
 * @param email           {@code email}, or null
 * @param name            {@code name}, or null
 * @param groups          {@code groups}, without duplicates, in the token's order
 * @param deviceId        {@code device_id}, or null
 * @param deviceCompliant {@code device_compliant}
 */
record AssertionClaims(String appId, String idp, String subject, String email, String name, List<String> groups,
                       String deviceId, boolean deviceCompliant) {
    /** Group lists up to this long are checked for duplicates by a scan; longer ones through a set. */
    private static final int SCAN_MAX = 16;

    /** What the assertion for {@code token} at app {@code appId} says. */
    static AssertionClaims of(VerifiedToken token, String appId) {
        Identity id = token.identity();
        List<String> groups = id.groups();
        if (groups.size() > 1 && (groups.size() > SCAN_MAX || hasDuplicate(groups))) {
            LinkedHashSet<String> unique = new LinkedHashSet<>(groups);
            if (unique.size() != groups.size()) {
                groups = new ArrayList<>(unique);
            }
        }
        return new AssertionClaims(appId, token.idp(), id.subject(), id.email(), id.name(), List.copyOf(groups),
                id.device().id(), id.device().compliant());
    }

    /** Whether a short list names a group twice: a scan, no set built for every new token (most have none). */
    private static boolean hasDuplicate(List<String> groups) {
        for (int i = 1; i < groups.size(); i++) {
            String g = groups.get(i);
            for (int j = 0; j < i; j++) {
                if (g.equals(groups.get(j))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The JWT payload (JSON): the claims above plus {@code iss}, {@code iat}, {@code exp} and
     * {@code jti}. Optional claims that are null are left out, as smallrye-jwt's builder did.
     */
    String json(String issuer, long iat, long exp, String jti) {
        StringBuilder b = new StringBuilder(256 + 24 * groups.size());
        b.append("{\"iss\":");
        string(b, issuer);
        field(b, "aud", appId);
        field(b, "sub", subject);
        field(b, "idp", idp);
        b.append(",\"iat\":").append(iat).append(",\"exp\":").append(exp);
        field(b, "jti", jti);
        b.append(",\"groups\":[");
        for (int i = 0; i < groups.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            string(b, groups.get(i));
        }
        b.append("],\"device_compliant\":").append(deviceCompliant);
        field(b, "email", email);
        field(b, "name", name);
        field(b, "device_id", deviceId);
        return b.append('}').toString();
    }

    /** {@code ,"name":"value"}, or nothing when the value is null. */
    private static void field(StringBuilder b, String name, String value) {
        if (value != null) {
            b.append(",\"").append(name).append("\":");
            string(b, value);
        }
    }

    /**
     * A JSON string (RFC 8259): quote, backslash and control characters escaped; an unpaired
     * surrogate (which UTF-8 cannot carry) escaped as {@code \\uXXXX} so that the value reaches the
     * upstream unchanged instead of as {@code ?}. Everything else is written as is (UTF-8 later).
     */
    static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                escape(b, c);
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                escape(b, c);
            } else {
                b.append(c);
            }
        }
        b.append('"');
    }

    private static void escape(StringBuilder b, char c) {
        b.append("\\u");
        String hex = Integer.toHexString(c);
        for (int pad = hex.length(); pad < 4; pad++) {
            b.append('0');
        }
        b.append(hex);
    }
}
