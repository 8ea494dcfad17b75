package dev.gatehouse.policy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds an {@link Identity} from verified claims, type-strictly, so that a policy never grants
 * access on a value of the wrong JSON type:
 * <ul>
 *   <li>{@code sub}, {@code email}, {@code acr}: strings only, else null.</li>
 *   <li>groups and roles (at the {@link ClaimPaths} dotted paths) and {@code amr}: a JSON list
 *       gives its string elements (other elements are ignored); a single string counts as a
 *       one-element list (some IdPs emit one group as a plain string); anything else, or
 *       absence, gives an empty list.</li>
 *   <li>{@code auth_time}, device trust and posture time: integral JSON numbers only
 *       ({@code 1700000000}, not {@code 1.7e9} or {@code "1700000000"}), else null.</li>
 *   <li>device compliant/managed: only the JSON boolean {@code true} counts; the string
 *       {@code "true"}, {@code 1} or {@code ["true"]} do not.</li>
 *   <li>the device is present when at least one of the device claim paths has a non-null value,
 *       whatever its type (a device that sends {@code device_compliant: "yes"} is known, but not
 *       compliant).</li>
 * </ul>
 */
public final class IdentityFactory {
    private IdentityFactory() {
    }

    /**
     * @param claims verified claims as a JSON-like tree (Map, List, String, Number, Boolean); null is empty
     * @param paths  where this IdP puts groups, roles and device facts; null means {@link ClaimPaths#DEFAULTS}.
     *               A null path means the IdP does not provide that fact.
     */
    public static Identity fromClaims(Map<String, Object> claims, ClaimPaths paths) {
        Map<String, Object> c = claims == null ? Map.of() : claims;
        ClaimPaths p = paths == null ? ClaimPaths.DEFAULTS : paths;
        Object deviceId = at(c, p.deviceId());
        Object compliant = at(c, p.deviceCompliant());
        Object managed = at(c, p.deviceManaged());
        Object trust = at(c, p.deviceTrust());
        Object postureAt = at(c, p.devicePostureAt());
        boolean present = deviceId != null || compliant != null || managed != null || trust != null || postureAt != null;
        DeviceState device = present
                ? new DeviceState(true, deviceId instanceof String s ? s : null, Boolean.TRUE.equals(compliant),
                        Boolean.TRUE.equals(managed), toInt(integral(trust)), integral(postureAt))
                : DeviceState.NONE;
        return new Identity(string(c.get("sub")), string(c.get("email")), strings(at(c, p.groups())),
                strings(at(c, p.roles())), strings(c.get("amr")), string(c.get("acr")),
                integral(c.get("auth_time")), device, c);
    }

    private static Object at(Map<String, Object> claims, String dottedPath) {
        String[] segments = ClaimLookup.split(dottedPath);
        return segments == null ? null : ClaimLookup.lookup(claims, segments);
    }

    private static String string(Object value) {
        return value instanceof String s ? s : null;
    }

    private static List<String> strings(Object value) {
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof List<?> list) {
            List<String> out = new ArrayList<>(list.size());
            for (Object o : list) {
                if (o instanceof String s) {
                    out.add(s);
                }
            }
            return out;
        }
        return List.of();
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
