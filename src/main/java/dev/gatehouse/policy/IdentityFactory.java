package dev.gatehouse.policy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds an {@link Identity} from verified claims, type-strictly, so that a policy never grants
 * access on a value of the wrong JSON type, and keeps what the token does not establish unknown
 * (null, or an incomplete {@link ClaimList}) rather than turning it into false or empty:
 * <ul>
 *   <li>the subject ({@code sub} unless the IdP's {@link ClaimPaths#subject()} says otherwise), the
 *       display name ({@link ClaimPaths#name()}, {@code name} by default) and {@code acr}: strings
 *       only, else null.</li>
 *   <li>the email ({@link ClaimPaths#email()}, {@code email} by default): a non-empty string, kept in {@link Identity#email()} only when the IdP vouches
 *       for it: the {@code email_verified} claim is the JSON boolean {@code true} (not {@code "true"}),
 *       or the IdP is configured with {@code trust-email} (Entra ID sends no email_verified). Else
 *       the email is dropped, so it never reaches an upstream, and
 *       {@link Identity#emailUnverified()} records that one was there.</li>
 *   <li>groups and roles (at the {@link ClaimPaths} dotted paths) and {@code amr}: a JSON list of
 *       strings, complete; a single string counts as a one-element list (some IdPs emit one group
 *       as a plain string). A list with any non-string element is malformed and counts as unknown
 *       as a whole (we do not guess which part of a malformed claim to believe); so does a missing
 *       claim or any other type. Groups and roles named in {@code _claim_names} (Entra ID's group
 *       overage, see {@link ClaimLookup#CLAIM_NAMES}) are incomplete: the listed values, if any,
 *       still count as present.</li>
 *   <li>{@code auth_time}, device trust and posture time: integral JSON numbers only
 *       ({@code 1700000000}, not {@code 1.7e9} or {@code "1700000000"}), else null.</li>
 *   <li>device compliant/managed: only JSON booleans; the string {@code "true"}, {@code 1} or
 *       {@code ["true"]} are unknown (null), never compliant.</li>
 *   <li>the device is present when at least one of the device claim paths has a non-null value,
 *       whatever its type.</li>
 * </ul>
 */
public final class IdentityFactory {
    /** No segments: an invalid path ({@link ClaimLookup#split} answered null). */
    private static final String[] INVALID = new String[0];
    private static final int SEGMENTS_MAX = 1024;
    /**
     * The IdPs' claim paths, split once: every new token reads about ten of them, and splitting each
     * again cost ten small arrays and lists per token. Only configured paths come here (a bounded
     * set); the bound is a backstop. The arrays are shared: {@link ClaimLookup} only reads them.
     */
    private static final Map<String, String[]> SEGMENTS = new ConcurrentHashMap<>();

    private IdentityFactory() {
    }

    private static String[] segments(String dottedPath) {
        if (dottedPath == null) {
            return null;
        }
        String[] known = SEGMENTS.get(dottedPath);
        if (known == null) {
            String[] split = ClaimLookup.split(dottedPath);
            known = split == null ? INVALID : split;
            if (SEGMENTS.size() < SEGMENTS_MAX) {
                SEGMENTS.putIfAbsent(dottedPath, known);
            }
        }
        return known == INVALID ? null : known;
    }

    /**
     * @param claims     verified claims as a JSON-like tree (Map, List, String, Number, Boolean); null is empty
     * @param paths      where this IdP puts subject, email, name, groups, roles and device facts; null means {@link ClaimPaths#DEFAULTS}.
     *                   A null path means the IdP does not provide that fact.
     * @param trustEmail whether this IdP verifies every email it sends, so that an email counts without
     *                   {@code email_verified: true} (the IdP's {@code trust-email} setting)
     */
    public static Identity fromClaims(Map<String, Object> claims, ClaimPaths paths, boolean trustEmail) {
        Map<String, Object> c = claims == null ? Map.of() : claims;
        ClaimPaths p = paths == null ? ClaimPaths.DEFAULTS : paths;
        String email = at(c, p.email()) instanceof String s && !s.isEmpty() ? s : null;
        // email_verified stays the standard claim whatever path the email is read from: it is what
        // the IdP says about the address it sends (Entra ID sends none, hence trust-email)
        boolean vouched = trustEmail || Boolean.TRUE.equals(c.get("email_verified"));
        return new Identity(string(at(c, p.subject())), vouched ? email : null, email != null && !vouched,
                listAt(c, p.groups()), listAt(c, p.roles()), list(c.get("amr"), true), string(c.get("acr")),
                integral(c.get("auth_time")), device(c, p), c, string(at(c, p.name())));
    }

    private static DeviceState device(Map<String, Object> c, ClaimPaths p) {
        Object deviceId = at(c, p.deviceId());
        Object compliant = at(c, p.deviceCompliant());
        Object managed = at(c, p.deviceManaged());
        Object trust = at(c, p.deviceTrust());
        Object postureAt = at(c, p.devicePostureAt());
        boolean present = deviceId != null || compliant != null || managed != null || trust != null || postureAt != null;
        return present
                ? new DeviceState(true, string(deviceId), bool(compliant), bool(managed), toInt(integral(trust)),
                        integral(postureAt))
                : DeviceState.NONE;
    }

    private static Object at(Map<String, Object> claims, String dottedPath) {
        String[] segments = segments(dottedPath);
        return segments == null ? null : ClaimLookup.lookup(claims, segments);
    }

    private static ClaimList listAt(Map<String, Object> claims, String dottedPath) {
        String[] segments = segments(dottedPath);
        if (segments == null) {
            return ClaimList.UNKNOWN;
        }
        boolean complete = !ClaimLookup.markedIncomplete(claims, segments, dottedPath);
        return list(ClaimLookup.lookup(claims, segments), complete);
    }

    private static ClaimList list(Object value, boolean complete) {
        if (value instanceof String s) {
            return new ClaimList(List.of(s), complete);
        }
        if (!(value instanceof List<?> list)) {
            return ClaimList.UNKNOWN;
        }
        List<String> out = new ArrayList<>(list.size());
        for (Object o : list) {
            if (!(o instanceof String s)) {
                return ClaimList.UNKNOWN;
            }
            out.add(s);
        }
        return new ClaimList(out, complete);
    }

    private static String string(Object value) {
        return value instanceof String s ? s : null;
    }

    private static Boolean bool(Object value) {
        return value instanceof Boolean b ? b : null;
    }

    /** An integral JSON number as a long; null for anything else (doubles, strings, out-of-range big integers). */
    static Long integral(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger b && b.bitLength() < 64) {
            return b.longValue();
        }
        return null;
    }

    private static Integer toInt(Long value) {
        return value == null || value < Integer.MIN_VALUE || value > Integer.MAX_VALUE ? null : value.intValue();
    }
}
