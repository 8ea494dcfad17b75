package dev.gatehouse.gateway.forward;

import dev.gatehouse.config.GatehouseSettings;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import dev.gatehouse.gateway.vertx.VertxInternals;
import dev.gatehouse.session.SessionCookies;
import io.netty.handler.codec.http.HttpHeaders;
import io.vertx.core.MultiMap;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which client headers may reach an upstream and which upstream headers may reach the client.
 *
 * <p>Removed from requests: hop-by-hop headers and any header the client names in
 * {@code Connection} (Gatehouse adds its own headers afterwards, so a client cannot have them
 * removed); every {@code X-Gatehouse-*}; identity headers other proxies use and upstreams may trust
 * ({@code X-Forwarded-User}, {@code X-Auth-Request-*}, {@code Remote-User}, Pomerium's, IAP's,
 * Cloudflare Access's, AWS ALB's, Azure App Service's, Kong's, ...); path and method override
 * headers frameworks route on; all forwarding headers (Gatehouse sets its own); any name containing
 * {@code _} (servers fold it into {@code -}); the names and prefixes of
 * {@code gatehouse.strip-headers}; {@code Authorization} unless the app forwards the token; and
 * Gatehouse's own cookies out of {@code Cookie}.
 *
 * <p>One instance, built at startup from the settings (a bad {@code gatehouse.strip-headers} entry
 * stops startup); per header a request costs one set lookup and a short prefix scan. Headers are
 * read as the decoder left them where Vert.x allows ({@link VertxInternals#nettyHeaders}), and written
 * with the same name and value text, so the upstream and the client see the same bytes either way.
 */
@Startup
@Singleton
public final class HeaderHygiene {
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade");

    private static final Set<String> REQUEST_DENY = Set.of(
            "host", "expect", "forwarded", "x-real-ip", "x-client-ip", "true-client-ip", "x-request-id",
            // client-address headers CDNs and load balancers set, which upstreams behind them trust
            // (found by the hostile-input suite: they reached the upstream with the client's value)
            "cf-connecting-ip", "cf-connecting-ipv6", "fastly-client-ip", "x-cluster-client-ip", "x-originating-ip",
            "client-ip", "x-azure-clientip", "x-appengine-user-ip",
            "remote-user", "x-remote-user", "x-remote-email", "x-remote-groups",
            "x-original-url", "x-rewrite-url", "x-original-uri", "x-original-host", "x-original-method",
            "x-http-method-override", "x-http-method", "x-method-override",
            "x-webauth-user", "x-user", "x-email", "x-groups", "x-authenticated-user",
            // identity headers of other access proxies: an app migrated from one may still trust them
            "x-goog-iap-jwt-assertion", // Google IAP
            "x-remote-group", // Kubernetes authenticating proxy (with x-remote-user and x-remote-extra-*)
            "x-authenticated-userid", "x-userinfo"); // Kong (OAuth2 plugin; OIDC plugin)

    private static final List<String> REQUEST_DENY_PREFIXES = List.of("x-gatehouse-", "x-forwarded-", "x-auth-request-",
            "x-pomerium-", // Pomerium (X-Pomerium-Jwt-Assertion, X-Pomerium-Claim-*)
            "x-goog-authenticated-", // Google IAP (X-Goog-Authenticated-User-Email, -Id)
            "cf-access-", // Cloudflare Access (Cf-Access-Jwt-Assertion, Cf-Access-Authenticated-User-Email)
            "x-amzn-oidc-", // AWS ALB (X-Amzn-Oidc-Data, -Identity, -Accesstoken)
            "x-ms-client-principal", // Azure App Service: the header itself and its -Name, -Id, -Idp
            "x-remote-extra-", // Kubernetes authenticating proxy
            "x-consumer-"); // Kong (X-Consumer-Id, -Username, -Custom-Id, -Groups)

    private final Set<String> deny;
    private final String[] denyPrefixes;

    @Inject
    HeaderHygiene(GatehouseSettings settings) {
        this(settings.stripHeaders().orElse(List.of()));
    }

    /**
     * @param extra {@code gatehouse.strip-headers}: header names, and prefixes written as a name
     *              ending in {@code *}; any case
     * @throws ConfigurationException for an entry that is not a header name (or one followed by {@code *})
     */
    HeaderHygiene(List<String> extra) {
        Set<String> names = new HashSet<>(REQUEST_DENY);
        List<String> prefixes = new ArrayList<>(REQUEST_DENY_PREFIXES);
        for (String entry : extra) {
            String e = entry.trim().toLowerCase(Locale.ROOT);
            boolean prefix = e.endsWith("*");
            String name = prefix ? e.substring(0, e.length() - 1) : e;
            if (!isToken(name)) {
                throw new ConfigurationException("gatehouse.strip-headers: '" + entry + "' is not a header name"
                        + " (or a name prefix ending in '*')");
            }
            (prefix ? prefixes : names).add(name);
        }
        this.deny = Set.copyOf(names);
        this.denyPrefixes = prefixes.toArray(String[]::new);
    }

    /** A non-empty, lower-case RFC 9110 token without {@code *} (which marks a prefix). */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "!#$%&'+-.^_`|~".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Copies the client headers an upstream may see into {@code out}.
     *
     * @param keepAuthorization true when the app sets {@code forward-token: true}
     * @param keepUpgrade       true for a WebSocket handshake (the upgrade headers are the client's)
     */
    public void copyRequestHeaders(MultiMap in, MultiMap out, boolean keepAuthorization, boolean keepUpgrade) {
        Set<String> named = connectionNamed(in);
        HttpHeaders netty = VertxInternals.nettyHeaders(in);
        if (netty != null) {
            // the names as decoded: no String made per name (the MultiMap iterator makes one each)
            Iterator<Map.Entry<CharSequence, CharSequence>> it = netty.iteratorCharSequence();
            while (it.hasNext()) {
                Map.Entry<CharSequence, CharSequence> e = it.next();
                copyRequestHeader(e.getKey(), e.getValue(), out, named, keepAuthorization);
            }
        } else {
            for (Map.Entry<String, String> e : in) {
                copyRequestHeader(e.getKey(), e.getValue(), out, named, keepAuthorization);
            }
        }
        if (keepUpgrade) {
            out.set("Upgrade", in.get("Upgrade"));
            out.set("Connection", "Upgrade");
        }
    }

    private void copyRequestHeader(CharSequence key, CharSequence value, MultiMap out, Set<String> named,
                                   boolean keepAuthorization) {
        String name = lower(key);
        if (!allowedRequestHeader(name, named, keepAuthorization)) {
            return;
        }
        if (name.equals("cookie")) {
            // Gatehouse's own cookies (the session handle, sign-in state) never reach an upstream
            String rest = SessionCookies.withoutOurs(value.toString());
            if (rest != null) {
                out.add(key, rest);
            }
        } else {
            out.add(key, value);
        }
    }

    boolean allowedRequestHeader(String lowerName, Set<String> connectionNamed, boolean keepAuthorization) {
        if (lowerName.indexOf('_') >= 0 || HOP_BY_HOP.contains(lowerName) || deny.contains(lowerName)
                || connectionNamed.contains(lowerName)) {
            return false;
        }
        if (lowerName.equals("authorization")) {
            return keepAuthorization;
        }
        for (String prefix : denyPrefixes) {
            if (lowerName.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Copies an upstream's response headers for the client, without hop-by-hop ones.
     *
     * @return the upstream's {@code Trailer} header (not copied: {@link TrailerHygiene} decides what
     *         of it the client may see), its values joined by commas if it sent several; null, and
     *         nothing made, when it sent none
     */
    public static CharSequence copyResponseHeaders(MultiMap in, MultiMap out) {
        Set<String> named = connectionNamed(in);
        CharSequence trailer = null;
        HttpHeaders netty = VertxInternals.nettyHeaders(in);
        if (netty != null) {
            // the names as decoded (AsciiString): no String made per name, as the MultiMap iterator does
            Iterator<Map.Entry<CharSequence, CharSequence>> it = netty.iteratorCharSequence();
            while (it.hasNext()) {
                Map.Entry<CharSequence, CharSequence> e = it.next();
                String name = lower(e.getKey());
                if (allowedResponseHeader(name, named)) {
                    out.add(e.getKey(), e.getValue());
                } else if (name.equals("trailer")) {
                    trailer = joined(trailer, e.getValue());
                }
            }
        } else {
            for (Map.Entry<String, String> e : in) {
                String name = lower(e.getKey());
                if (allowedResponseHeader(name, named)) {
                    out.add(e.getKey(), e.getValue());
                } else if (name.equals("trailer")) {
                    trailer = joined(trailer, e.getValue());
                }
            }
        }
        return trailer;
    }

    private static CharSequence joined(CharSequence before, CharSequence value) {
        return before == null ? value : before + ", " + value;
    }

    private static boolean allowedResponseHeader(String lowerName, Set<String> connectionNamed) {
        return !HOP_BY_HOP.contains(lowerName) && !connectionNamed.contains(lowerName) && !lowerName.equals("x-request-id");
    }

    /** {@code name.toLowerCase(Locale.ROOT)}, without allocating for the names seen before ({@link LowerNames}). */
    static String lower(CharSequence name) {
        return LowerNames.lower(name);
    }

    /** What the usual {@code Connection} values name: no set built for them (every upstream response has one). */
    private static final Set<String> NAMES_KEEP_ALIVE = Set.of("keep-alive");
    private static final Set<String> NAMES_CLOSE = Set.of("close");

    static Set<String> connectionNamed(MultiMap headers) {
        String connection = headers.get("connection");
        if (connection == null) {
            return Set.of();
        }
        boolean keepAlive = connection.equalsIgnoreCase("keep-alive");
        if ((keepAlive || connection.equalsIgnoreCase("close")) && headers.getAll("connection").size() == 1) {
            return keepAlive ? NAMES_KEEP_ALIVE : NAMES_CLOSE; // the same sets the loop below would build
        }
        Set<String> named = new HashSet<>();
        for (String value : headers.getAll("connection")) {
            for (String token : value.split(",")) {
                String t = token.trim().toLowerCase(Locale.ROOT);
                if (!t.isEmpty()) {
                    named.add(t);
                }
            }
        }
        return named;
    }

    /** A header value safe to put on the wire: CR, LF, NUL and other controls removed. */
    public static String safeValue(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder sb = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean bad = (c < 0x20 && c != '\t') || c == 0x7f;
            if (bad && sb == null) {
                sb = new StringBuilder(value.length()).append(value, 0, i);
            } else if (!bad && sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? value : sb.toString();
    }
}
