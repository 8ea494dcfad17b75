package dev.gatehouse.session;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The one place that decides where Gatehouse may send a browser after sign-in or sign-out: to a
 * path on the current host, or to an http(s) URL on a host of a configured app (or the admin
 * host). Anything it cannot read unambiguously is refused, never repaired: scheme-relative
 * ({@code //evil}), backslashes ({@code /\evil}), scheme without authority ({@code https:evil}),
 * user info ({@code https://app@evil}), any whitespace or control character (raw or left over
 * from decoding), percent signs or non-ASCII in the host (IDN tricks: a configured host is given in
 * ASCII), more than 2,048 characters. The URL it returns is rebuilt from the parsed parts, so
 * what the browser is sent is exactly what was checked.
 */
public final class RedirectGuard {
    static final int MAX_LENGTH = 2048;

    private final Predicate<String> allowedHost;

    /** @param allowedHost whether a (lower-case, ASCII) host is one Gatehouse serves */
    public RedirectGuard(Predicate<String> allowedHost) {
        this.allowedHost = allowedHost;
    }

    /**
     * @param target      the requested destination ({@code rd}), already query-decoded once
     * @param origin      the current request's origin, {@code https://wiki.corp.example[:port]}, for a
     *                    destination that is a path
     * @return the absolute URL to send the browser to, or null when the destination is refused
     */
    public String check(String target, String origin) {
        if (target == null || target.isEmpty()) {
            return null;
        }
        if (target.length() > MAX_LENGTH) {
            return null;
        }
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '\\') {
                return null; // whitespace, controls, non-ASCII (IDN lookalikes), backslashes
            }
        }
        if (target.charAt(0) == '/') {
            if (target.length() > 1 && (target.charAt(1) == '/')) {
                return null; // scheme-relative: another host
            }
            return rebuild(origin + target, false);
        }
        return rebuild(target, true);
    }

    private String rebuild(String text, boolean checkHost) {
        URI u;
        try {
            u = new URI(text);
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
        if (!"https".equals(scheme) && !"http".equals(scheme)) {
            return null;
        }
        if (u.isOpaque() || u.getRawAuthority() == null || u.getRawUserInfo() != null || u.getHost() == null) {
            return null; // https:evil, https://app@evil, registry-based authorities
        }
        String host = u.getHost().toLowerCase(Locale.ROOT);
        if (host.indexOf('%') >= 0 || host.endsWith(".") || host.startsWith("[")) {
            return null;
        }
        // the authority must be exactly host[:port]: nothing the parser tolerated around it
        String authority = u.getRawAuthority().toLowerCase(Locale.ROOT);
        if (!authority.equals(host) && !authority.equals(host + ":" + u.getPort())) {
            return null;
        }
        if (checkHost && !allowedHost.test(host)) {
            return null;
        }
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        if (!path.startsWith("/") || path.startsWith("//")) {
            return null;
        }
        StringBuilder sb = new StringBuilder(text.length()).append(scheme).append("://").append(host);
        if (u.getPort() >= 0) {
            sb.append(':').append(u.getPort());
        }
        sb.append(path);
        if (u.getRawQuery() != null) {
            sb.append('?').append(u.getRawQuery());
        }
        return sb.toString();
    }

    /** The host of a URL this guard returned. */
    public static String hostOf(String checkedUrl) {
        return URI.create(checkedUrl).getHost();
    }
}
