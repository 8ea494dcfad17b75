package dev.gatehouse.session;

import java.util.List;
import java.util.Locale;

/**
 * Gatehouse's cookies, by name and attributes; the contract fixes them:
 * <ul>
 *   <li>the session handle: {@code __Host-gatehouse_session} (host-only), or
 *       {@code gatehouse_session; Domain=<cookie-domain>} on hosts under
 *       {@code gatehouse.session.cookie-domain}, so one sign-in serves every app there;</li>
 *   <li>one sign-in state cookie per sign-in under way: {@code __Host-gatehouse_login_<id>}.</li>
 * </ul>
 * All are {@code Secure; HttpOnly; SameSite=Lax; Path=/}. Lax, not Strict: the IdP sends the
 * browser back with a top-level GET from another site, which must carry the state cookie, and a
 * link from a chat message to an app must find the person signed in.
 */
public final class SessionCookies {
    public static final String HOST_ONLY = "__Host-gatehouse_session";
    public static final String SHARED = "gatehouse_session";
    public static final String LOGIN_PREFIX = "__Host-gatehouse_login_";
    private static final String ATTRIBUTES = "; Path=/; Secure; HttpOnly; SameSite=Lax";

    private final String domain;
    /** {@code .domain}, made once: {@link #shared} runs on every request and allocates nothing. */
    private final String dotDomain;

    /** @param domain the parent domain of shared sign-in (lower case, no leading dot), or null */
    public SessionCookies(String domain) {
        String d = domain == null ? null : domain.trim().toLowerCase(Locale.ROOT);
        if (d != null && d.startsWith(".")) {
            d = d.substring(1);
        }
        this.domain = d == null || d.isEmpty() ? null : d;
        this.dotDomain = this.domain == null ? null : "." + this.domain;
    }

    /** Whether the host shares the sign-in of the cookie domain. */
    public boolean shared(String host) {
        return domain != null && (host.endsWith(dotDomain) || host.equals(domain));
    }

    /** The session cookie's name on this host. */
    public String nameFor(String host) {
        return shared(host) ? SHARED : HOST_ONLY;
    }

    /** {@code Set-Cookie} value that stores the handle on this host for {@code maxAgeSeconds}. */
    public String session(String host, String handle, long maxAgeSeconds) {
        return nameFor(host) + "=" + handle + domainAttr(host) + ATTRIBUTES + "; Max-Age=" + maxAgeSeconds;
    }

    /** {@code Set-Cookie} value that removes the session cookie on this host. */
    public String clearSession(String host) {
        return nameFor(host) + "=" + domainAttr(host) + ATTRIBUTES + "; Max-Age=0";
    }

    /** {@code Set-Cookie} value of a sign-in state cookie. */
    public static String login(String attemptId, String sealed, long maxAgeSeconds) {
        return LOGIN_PREFIX + attemptId + "=" + sealed + ATTRIBUTES + "; Max-Age=" + maxAgeSeconds;
    }

    /** {@code Set-Cookie} value that removes a sign-in state cookie. */
    public static String clearLogin(String attemptId) {
        return LOGIN_PREFIX + attemptId + "=" + ATTRIBUTES + "; Max-Age=0";
    }

    private String domainAttr(String host) {
        return shared(host) ? "; Domain=" + domain : "";
    }

    /**
     * The value of cookie {@code name} in the {@code Cookie} header lines, or null. No allocation
     * but the returned value: this runs on every request to a browser app.
     */
    public static String find(List<String> cookieHeaders, String name) {
        for (int i = 0; i < cookieHeaders.size(); i++) {
            String v = find(cookieHeaders.get(i), name);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** The value of cookie {@code name} in one {@code Cookie} header value, or null. */
    public static String find(String header, String name) {
        if (header == null) {
            return null;
        }
        int n = header.length();
        int i = 0;
        while (i < n) {
            while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == ';')) {
                i++;
            }
            int end = header.indexOf(';', i);
            if (end < 0) {
                end = n;
            }
            if (header.startsWith(name, i) && i + name.length() < end && header.charAt(i + name.length()) == '=') {
                return header.substring(i + name.length() + 1, end).trim();
            }
            i = end + 1;
        }
        return null;
    }

    /** Whether a cookie name is one of Gatehouse's (never forwarded upstream). */
    public static boolean ours(String name) {
        return name.equals(HOST_ONLY) || name.equals(SHARED) || name.startsWith(LOGIN_PREFIX);
    }

    /**
     * A {@code Cookie} header value without Gatehouse's cookies, or null when nothing is left. The
     * upstream keeps its own cookies in their order.
     */
    public static String withoutOurs(String header) {
        if (header.indexOf("gatehouse_") < 0) {
            return header; // the common case: nothing of ours, no copy
        }
        StringBuilder sb = new StringBuilder(header.length());
        for (String part : header.split(";")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            String name = eq < 0 ? p : p.substring(0, eq);
            if (p.isEmpty() || ours(name)) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(p);
        }
        return sb.length() == 0 ? null : sb.toString();
    }
}
