package dev.gatehouse.config;

import dev.gatehouse.net.PathNormalizer;
import dev.gatehouse.policy.CompileResult;
import dev.gatehouse.policy.PolicyCompiler;
import dev.gatehouse.policy.PolicyError;
import dev.gatehouse.time.Durations;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the {@code apps:} section, compiling each app's policy. */
final class AppSectionReader {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final Pattern HOST = Pattern.compile("(\\*\\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    private static final Pattern PREFIX = Pattern.compile("/|(/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)+");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(B|KB|MB|GB)?", Pattern.CASE_INSENSITIVE);
    static final Set<String> FIELDS = Set.of("id", "host", "path-prefix", "upstream", "idp", "login",
            "policy", "timeout", "preserve-host", "forward-token", "identity-headers", "upstream-ca", "max-body-size", "whoami",
            "session");
    static final Set<String> SESSION_FIELDS = Set.of("max-age", "idle-timeout");
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, IdpConfig> idps;
    private final Set<String> idpIds;
    private final AppHistory history;
    private final List<String> errors;
    /** {@link AppDigest#ofIdp} by IdP id, computed once per load. */
    private final Map<String, byte[]> idpDigests = new HashMap<>();

    AppSectionReader(Map<String, IdpConfig> idps, AppHistory history, List<String> errors) {
        this.idps = idps;
        this.idpIds = idps.keySet();
        this.history = history;
        this.errors = errors;
    }

    /**
     * Reads one app document outside a file (the admin API's body): paths start at the document
     * ({@code policy.allow.and[1].device}); a document that is not a mapping is reported at "". As
     * in {@link #read}, an app whose digest {@code history} knows is reused as it was compiled, and a
     * new or changed one gets the policy version {@code history} gives it.
     *
     * @param digest receives the document's {@link AppDigest} (with its IdP's), when it is a mapping
     * @return the app, or null when {@code errors} got at least one entry
     */
    AppConfig readSingle(Object document, String[] digest) {
        YamlNode n = YamlNode.of(document, "", errors);
        if (n == null) {
            return null;
        }
        Object id = n.raw("id");
        digest[0] = digest(document, n.raw("idp"));
        AppConfig reused = id instanceof String s ? history.reuse(s, digest[0]) : null;
        if (reused != null) {
            return reused;
        }
        return readOne(n, id instanceof String s ? history.versionFor(s, digest[0]) : 1);
    }

    /**
     * Reads every app; an app whose digest {@code history} knows is reused as it was compiled.
     *
     * @param digests receives the digest of every app read, by id
     */
    List<AppConfig> read(Object section, Map<String, String> digests) {
        List<AppConfig> apps = new ArrayList<>();
        if (!(section instanceof List<?> list)) {
            errors.add("apps: expected a list of apps, got " + YamlNode.describe(section));
            return apps;
        }
        Set<String> ids = new HashSet<>();
        Set<String> routes = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String path = "apps[" + i + "]";
            YamlNode n = YamlNode.of(list.get(i), path, errors);
            if (n == null) {
                continue;
            }
            Object id = n.raw("id");
            // a reused app was validated when it was compiled, from exactly this subtree and IdP;
            // duplicates and routes are checked below on every load
            String digest = digest(list.get(i), n.raw("idp"));
            AppConfig app = id instanceof String s ? history.reuse(s, digest) : null;
            if (app == null) {
                app = readOne(n, id instanceof String s ? history.versionFor(s, digest) : 1);
            }
            // duplicates are checked on the raw values, so an app with other errors still reports them
            Object host = n.raw("host");
            Object prefix = n.has("path-prefix") ? n.raw("path-prefix") : "/";
            if (id instanceof String s && !ids.add(s)) {
                errors.add(n.child("id") + ": duplicate app id '" + s + "'");
            }
            if (host instanceof String h && prefix instanceof String pre) {
                // prefixes route case-insensitively (RouteTable), so /Admin and /admin are the same prefix
                String route = h.toLowerCase(Locale.ROOT) + " " + (pre.length() > 1 && pre.endsWith("/")
                        ? pre.substring(0, pre.length() - 1) : pre).toLowerCase(Locale.ROOT);
                if (!routes.add(route)) {
                    errors.add(path + ": another app already serves host '" + h.toLowerCase(Locale.ROOT)
                            + "' with path-prefix '" + route.substring(route.indexOf(' ') + 1) + "'");
                }
            }
            if (app == null) {
                continue;
            }
            apps.add(app);
            digests.put(app.id(), digest);
        }
        return apps;
    }

    private String digest(Object appTree, Object idpId) {
        IdpConfig idp = idpId instanceof String s ? idps.get(s) : null;
        return AppDigest.of(appTree, idp == null ? null : idpDigests.computeIfAbsent(idp.id(),
                id -> AppDigest.ofIdp(idp)));
    }

    private AppConfig readOne(YamlNode n, long version) {
        int before = errors.size();
        n.rejectUnknown(FIELDS);
        String id = n.string("id", true);
        if (id != null && !ID.matcher(id).matches()) {
            errors.add(n.child("id") + ": must match [a-z0-9-]+, got '" + id + "'");
        }
        String host = n.string("host", true);
        if (host != null) {
            host = host.toLowerCase(Locale.ROOT);
            if (!HOST.matcher(host).matches()) {
                errors.add(n.child("host") + ": not a host name or *.wildcard, got '" + host + "'");
            }
        }
        String prefix = n.has("path-prefix") ? n.string("path-prefix", true) : "/";
        if (prefix != null) {
            if (prefix.length() > 1 && prefix.endsWith("/")) {
                prefix = prefix.substring(0, prefix.length() - 1);
            }
            if (!PREFIX.matcher(prefix).matches() || !prefix.equals(PathNormalizer.normalize(prefix))) {
                errors.add(n.child("path-prefix") + ": must be a plain absolute path in normal form, got '" + prefix + "'");
            }
        }
        URI upstream = readUpstream(n);
        String idp = n.string("idp", true);
        if (idp != null && !idpIds.contains(idp)) {
            errors.add(n.child("idp") + ": unknown IdP '" + idp + "' (known: " + String.join(", ", idpIds) + ")");
        }
        LoginMode login = LoginMode.BEARER;
        String loginText = n.string("login", false);
        if (loginText != null) {
            login = LoginMode.parse(loginText);
            if (login == null) {
                errors.add(n.child("login") + ": must be bearer, browser or both, got '" + loginText + "'");
            }
        }
        CompileResult policy = PolicyCompiler.compile(n.raw("policy"), n.child("policy"), version);
        for (PolicyError e : policy.errors()) {
            errors.add(e.toString());
        }
        Duration timeout = readDuration(n, "timeout", DEFAULT_TIMEOUT);
        long maxBody = readSize(n, "max-body-size");
        boolean preserveHost = n.bool("preserve-host", false);
        boolean forwardToken = n.bool("forward-token", false);
        boolean identityHeaders = n.bool("identity-headers", false);
        String ca = n.string("upstream-ca", false);
        WhoamiDetail whoami = WhoamiDetail.REASONS;
        // YAML 1.1 reads a bare `off` as the boolean false: take it as meant
        String whoamiText = Boolean.FALSE.equals(n.raw("whoami")) ? "off" : n.string("whoami", false);
        if (whoamiText != null) {
            whoami = WhoamiDetail.parse(whoamiText);
            if (whoami == null) {
                errors.add(n.child("whoami") + ": must be reasons, full or off, got '" + whoamiText + "'");
            }
        }
        SessionLimits session = readSession(n);
        if (errors.size() > before) {
            return null;
        }
        return new AppConfig(id, host, prefix, upstream, idp, login, policy.policy(), timeout, preserveHost,
                forwardToken, identityHeaders, ca, maxBody, whoami, session);
    }

    /** {@code session: {max-age: 8h, idle-timeout: 30m}}: either may be left out (the process default). */
    private SessionLimits readSession(YamlNode n) {
        if (n.raw("session") == null) {
            return SessionLimits.DEFAULTS;
        }
        YamlNode s = YamlNode.of(n.raw("session"), n.child("session"), errors);
        if (s == null) {
            return SessionLimits.DEFAULTS;
        }
        s.rejectUnknown(SESSION_FIELDS);
        Duration maxAge = readDuration(s, "max-age", null);
        Duration idle = readDuration(s, "idle-timeout", null);
        return new SessionLimits(maxAge, idle);
    }

    private URI readUpstream(YamlNode n) {
        String text = n.string("upstream", true);
        if (text == null) {
            return null;
        }
        try {
            URI u = URI.create(text);
            boolean ok = ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null
                    && u.getRawQuery() == null && u.getRawFragment() == null && u.getRawUserInfo() == null;
            if (ok) {
                return u;
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        errors.add(n.child("upstream") + ": must be an http:// or https:// URL without query or credentials, got '"
                + text + "'");
        return null;
    }

    private Duration readDuration(YamlNode n, String key, Duration dflt) {
        Object raw = n.raw(key);
        if (raw == null) {
            return dflt;
        }
        Duration d = raw instanceof String text ? Durations.parse(text.trim()) : null;
        if (d == null || d.isZero()) {
            errors.add(n.child(key) + ": " + (raw instanceof String s ? Durations.message(s, true)
                    : Durations.messageFor("(found " + YamlNode.describe(raw) + ")", true)));
            return dflt;
        }
        return d;
    }

    private long readSize(YamlNode n, String key) {
        Object raw = n.raw(key);
        if (raw == null) {
            return -1;
        }
        Matcher m = SIZE.matcher(String.valueOf(raw).trim());
        if (!(raw instanceof String || raw instanceof Integer || raw instanceof Long) || !m.matches()) {
            errors.add(n.child(key) + ": expected a size like 10MB, got " + YamlNode.describe(raw));
            return -1;
        }
        long v = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        long factor = switch (unit) {
            case "KB" -> 1024L;
            case "MB" -> 1024L * 1024;
            case "GB" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        try {
            return Math.multiplyExact(v, factor);
        } catch (ArithmeticException e) {
            errors.add(n.child(key) + ": size too large, got " + YamlNode.describe(raw));
            return -1;
        }
    }
}
