package dev.gatehouse.admin;

import dev.gatehouse.access.AccessCheck;
import dev.gatehouse.access.AccessTarget;
import dev.gatehouse.config.AppDocument;
import dev.gatehouse.config.IdpConfig;
import dev.gatehouse.net.IpAddresses;
import dev.gatehouse.net.PathNormalizer;
import dev.gatehouse.policy.AccessRequest;
import dev.gatehouse.policy.ClaimPaths;
import dev.gatehouse.policy.Identity;
import dev.gatehouse.policy.IdentityFactory;
import dev.gatehouse.route.AppRoute;
import java.net.InetAddress;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the synthetic facts of a what-if ({@code identity}, {@code device}, {@code request}) into
 * the {@link AccessRequest} the proxy would build for a token carrying them: the identity and
 * device facts are written into a claims object at the app's IdP's claim paths and read back by
 * {@link IdentityFactory}, the proxy's own type-strict reader, so a fact that is missing or of the
 * wrong type is unknown exactly as it would be in a token (a {@code "true"} string is not
 * compliant). The field names are checked strictly (a typo is a 400 with its path, never a silently
 * missing fact); the values are not, for that is what the proxy's reader judges.
 */
final class WhatIfFacts {
    static final Set<String> IDENTITY = Set.of("sub", "email", "email_verified", "groups", "roles", "claims",
            "auth_time", "amr", "acr", "idp", "device");
    static final Set<String> DEVICE = Set.of("id", "compliant", "managed", "trust", "posture_at");
    static final Set<String> REQUEST = Set.of("method", "path", "source_address", "time");
    private static final Pattern METHOD = Pattern.compile("[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]{0,31}");

    private final List<AppDocument.Error> errors = new ArrayList<>();

    /** The errors found so far, with their paths. */
    List<AppDocument.Error> errors() {
        return errors;
    }

    /**
     * The request the proxy would decide.
     *
     * @param identity the identity object (its device facts under {@code device}, or in {@code device}
     *                 below), or null for an anonymous caller
     * @param device   the device facts, or null
     * @param request  the request facts, or null for {@code GET} of the app's path prefix, now, from
     *                 an unknown address
     * @param at       where these objects sit in the body, for error paths: identity, device, request
     * @return the request, or null when {@link #errors()} says why not
     */
    AccessRequest read(AppRoute route, Object identity, Object device, Object request, String[] at, Instant now) {
        Identity who = identity(route, identity, device, at[0], at[1]);
        Map<String, Object> req = object(request, at[2], REQUEST);
        String method = "GET";
        String path = route.app().pathPrefix();
        InetAddress source = null;
        Instant time = now;
        if (req != null) {
            if (req.get("method") instanceof String m && METHOD.matcher(m).matches()) {
                method = m.toUpperCase(Locale.ROOT);
            } else if (req.containsKey("method")) {
                error(at[2] + ".method", "expected an HTTP method such as GET");
            }
            if (req.containsKey("path")) {
                String p = req.get("path") instanceof String s ? PathNormalizer.normalize(s) : null;
                if (p == null) {
                    error(at[2] + ".path", "expected a path such as /reports (no traversal, encoded slashes or backslashes)");
                } else if (!route.covers(p)) {
                    error(at[2] + ".path", "not under the app's path prefix " + route.app().pathPrefix());
                } else {
                    path = p;
                }
            }
            if (req.get("source_address") != null) {
                source = req.get("source_address") instanceof String s ? IpAddresses.parse(s) : null;
                if (source == null) {
                    error(at[2] + ".source_address", "expected an IPv4 or IPv6 address");
                }
            }
            if (req.containsKey("time")) {
                time = instant(req.get("time"), at[2] + ".time");
            }
        }
        if (!errors.isEmpty()) {
            return null;
        }
        return AccessCheck.request(who, method, new AccessTarget(route.app().host(), path), source, time);
    }

    private Identity identity(AppRoute route, Object identity, Object deviceFacts, String at, String deviceAt) {
        Map<String, Object> id = object(identity, at, IDENTITY);
        Map<String, Object> device = object(deviceFacts, deviceAt, DEVICE);
        if (id == null) {
            if (device != null) {
                error(deviceAt, "device facts need an identity (a device is known only through a sign-in)");
            }
            return null;
        }
        if (device == null && id.get("device") != null) {
            deviceAt = at + ".device";
            device = object(id.get("device"), deviceAt, DEVICE);
        }
        IdpConfig idp = route.idp();
        if (id.get("idp") != null && (idp == null || !idp.id().equals(id.get("idp")))) {
            error(at + ".idp", "app '" + route.id() + "' accepts sign-ins of IdP '" + (idp == null ? "?" : idp.id())
                    + "' only");
        }
        ClaimPaths paths = idp == null ? ClaimPaths.DEFAULTS : idp.claims();
        Map<String, Object> claims = new LinkedHashMap<>();
        if (id.get("claims") instanceof Map<?, ?> extra) {
            extra.forEach((k, v) -> claims.put(String.valueOf(k), v));
        } else if (id.get("claims") != null) {
            error(at + ".claims", "expected an object of claims");
        }
        for (String key : List.of("sub", "email", "email_verified", "amr", "acr")) {
            if (id.containsKey(key)) {
                claims.put(key, id.get(key));
            }
        }
        if (id.containsKey("auth_time")) {
            claims.put("auth_time", epoch(id.get("auth_time")));
        }
        put(claims, paths.groups(), id, "groups");
        put(claims, paths.roles(), id, "roles");
        if (device != null) {
            put(claims, paths.deviceId(), device, "id");
            put(claims, paths.deviceCompliant(), device, "compliant");
            put(claims, paths.deviceManaged(), device, "managed");
            put(claims, paths.deviceTrust(), device, "trust");
            if (device.containsKey("posture_at") && paths.devicePostureAt() != null) {
                set(claims, paths.devicePostureAt(), epoch(device.get("posture_at")));
            }
        }
        return IdentityFactory.fromClaims(claims, paths, idp != null && idp.trustEmail());
    }

    /** Copies {@code from.key} to the claim at {@code dottedPath} (when the IdP provides that fact). */
    private static void put(Map<String, Object> claims, String dottedPath, Map<String, Object> from, String key) {
        if (dottedPath != null && from.containsKey(key)) {
            set(claims, dottedPath, from.get(key));
        }
    }

    @SuppressWarnings("unchecked")
    private static void set(Map<String, Object> claims, String dottedPath, Object value) {
        String[] segments = dottedPath.split("\\.");
        Map<String, Object> at = claims;
        for (int i = 0; i < segments.length - 1; i++) {
            Object next = at.get(segments[i]);
            if (!(next instanceof Map<?, ?>)) {
                next = new LinkedHashMap<String, Object>();
                at.put(segments[i], next);
            } else if (!(next instanceof LinkedHashMap<?, ?>)) {
                next = new LinkedHashMap<>((Map<String, Object>) next); // a copy we may write to
                at.put(segments[i], next);
            }
            at = (Map<String, Object>) next;
        }
        at.put(segments[segments.length - 1], value);
    }

    /** An ISO-8601 instant as epoch seconds (as a token carries it); anything else as given. */
    private static Object epoch(Object value) {
        if (value instanceof String s) {
            try {
                return Instant.parse(s).getEpochSecond();
            } catch (DateTimeException e) {
                return s; // a string is no epoch: unknown, as in a token
            }
        }
        return value;
    }

    private Instant instant(Object value, String at) {
        if (value instanceof String s) {
            try {
                return Instant.parse(s);
            } catch (DateTimeException e) {
                // below
            }
        }
        error(at, "expected an ISO-8601 instant such as 2026-01-31T09:00:00Z");
        return null;
    }

    /** The value as an object with only {@code known} keys; null when absent (or after an error). */
    Map<String, Object> object(Object value, String at, Set<String> known) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> map)) {
            error(at, "expected an object");
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            String key = String.valueOf(k);
            if (!known.contains(key)) {
                error(at, "unknown field '" + key + "' (expected " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
            out.put(key, v);
        });
        return out;
    }

    void error(String path, String message) {
        errors.add(new AppDocument.Error(path, message));
    }
}
