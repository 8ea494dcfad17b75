package dev.gatehouse.config;

import dev.gatehouse.policy.ClaimLookup;
import dev.gatehouse.policy.ClaimPaths;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the {@code idps:} section. */
final class IdpSectionReader {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]*");
    static final Set<String> FIELDS = Set.of("issuer", "audience", "client-id", "client-secret", "claims",
            "trust-email", "ca-file");
    static final Set<String> CLAIM_FIELDS = Set.of("groups", "roles", "device-id", "device-compliant",
            "device-managed", "device-trust", "device-posture-at", "subject", "email", "name");

    private final EnvInterpolator env;
    private final List<String> errors;

    IdpSectionReader(EnvInterpolator env, List<String> errors) {
        this.env = env;
        this.errors = errors;
    }

    Map<String, IdpConfig> read(Object section) {
        Map<String, IdpConfig> idps = new LinkedHashMap<>();
        if (section == null) {
            errors.add("idps: at least one IdP is required");
            return idps;
        }
        YamlNode node = YamlNode.of(section, "idps", errors);
        if (node == null) {
            return idps;
        }
        if (!(section instanceof Map<?, ?> map) || map.isEmpty()) {
            errors.add("idps: at least one IdP is required");
            return idps;
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String id = String.valueOf(e.getKey());
            String path = "idps." + id;
            if (!ID.matcher(id).matches()) {
                errors.add(path + ": IdP id must match [a-z0-9-]+");
            }
            IdpConfig idp = readOne(id, YamlNode.of(e.getValue(), path, errors));
            if (idp != null) {
                idps.put(id, idp);
            }
        }
        return idps;
    }

    private IdpConfig readOne(String id, YamlNode n) {
        if (n == null) {
            return null;
        }
        n.rejectUnknown(FIELDS);
        String issuer = n.string("issuer", true);
        if (issuer != null) {
            issuer = env.interpolate(issuer, n.child("issuer"), errors);
            if (issuer != null && !isHttpUrl(issuer)) {
                errors.add(n.child("issuer") + ": must be an http(s) URL, got '" + issuer + "'");
            }
        }
        String audience = n.string("audience", true);
        String clientId = n.string("client-id", false);
        String secret = n.string("client-secret", false);
        if (secret != null) {
            secret = env.interpolate(secret, n.child("client-secret"), errors);
        }
        ClaimPaths claims = readClaims(n);
        // off by default: an email counts only when the token says it is verified
        boolean trustEmail = n.bool("trust-email", false);
        IdpCa ca = readCa(n, issuer);
        return new IdpConfig(id, stripSlash(issuer), audience, clientId == null ? audience : clientId, secret, claims,
                trustEmail, ca);
    }

    /** {@code ca-file}: the private CA of an https issuer (discovery, keys, sign-in, logout all go there). */
    private IdpCa readCa(YamlNode n, String issuer) {
        String file = n.string("ca-file", false);
        if (file == null) {
            return null;
        }
        String path = n.child("ca-file");
        file = env.interpolate(file, path, errors);
        if (file == null) {
            return null;
        }
        if (issuer != null && !issuer.startsWith("https://")) {
            errors.add(path + ": applies to an https issuer only, and issuer is '" + issuer + "'");
            return null;
        }
        return IdpCa.read(file, path, errors);
    }

    private ClaimPaths readClaims(YamlNode idp) {
        ClaimPaths d = ClaimPaths.DEFAULTS;
        if (!idp.has("claims")) {
            return d;
        }
        YamlNode c = YamlNode.of(idp.raw("claims"), idp.child("claims"), errors);
        if (c == null) {
            return d;
        }
        c.rejectUnknown(CLAIM_FIELDS);
        return new ClaimPaths(
                path(c, "groups", d.groups()),
                path(c, "roles", d.roles()),
                path(c, "device-id", d.deviceId()),
                path(c, "device-compliant", d.deviceCompliant()),
                path(c, "device-managed", d.deviceManaged()),
                path(c, "device-trust", d.deviceTrust()),
                path(c, "device-posture-at", d.devicePostureAt()),
                path(c, "subject", d.subject()),
                path(c, "email", d.email()),
                path(c, "name", d.name()));
    }

    /**
     * The claim path at {@code key}, or the default when absent. A path with an empty name in it
     * ({@code ""}, {@code "a..b"}, {@code ".a"}) could never match a claim, so it is an error here
     * rather than a fact that is silently unknown on every request.
     */
    private String path(YamlNode claims, String key, String dflt) {
        String v = claims.string(key, false);
        if (v == null) {
            return dflt;
        }
        if (ClaimLookup.split(v) == null) {
            errors.add(claims.child(key) + ": '" + v + "' is not a claim path (claim names joined by single dots, "
                    + "e.g. realm_access.roles)");
            return dflt;
        }
        return v;
    }

    private static String stripSlash(String url) {
        return url != null && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    static boolean isHttpUrl(String s) {
        try {
            URI u = URI.create(s);
            return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
