package dev.gatehouse.net;

import java.util.Locale;

/**
 * Reduces a Host (or HTTP/2 {@code :authority}) value to the name routing uses: lower case, no
 * port, no trailing dot. Anything that is not a plain DNS name, IPv4 or bracketed IPv6 literal is
 * rejected (null), so odd hosts never reach routing.
 */
public final class HostNormalizer {
    private HostNormalizer() {
    }

    public static String normalize(String authority) {
        if (authority == null || authority.isEmpty() || authority.length() > 255) {
            return null;
        }
        String host = authority;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0 || !validPort(host, close + 1)) {
                return null;
            }
            String literal = host.substring(0, close + 1).toLowerCase(Locale.ROOT);
            for (int i = 1; i < literal.length() - 1; i++) {
                char c = literal.charAt(i);
                if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
                    return null;
                }
            }
            return literal;
        }
        int colon = host.indexOf(':');
        if (colon >= 0) {
            if (!validPort(host, colon)) {
                return null;
            }
            host = host.substring(0, colon);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.isEmpty() || host.endsWith(".")) {
            return null; // "api.test.." is not a DNS name (it was routed, as "api.test.", to nothing: 404)
        }
        host = host.toLowerCase(Locale.ROOT);
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
            if (!ok || (c == '.' && i > 0 && host.charAt(i - 1) == '.') || (c == '.' && i == 0)) {
                return null;
            }
        }
        return host;
    }

    /** True when {@code s} from {@code from} is empty or ":" followed by 1-5 digits. */
    private static boolean validPort(String s, int from) {
        if (from == s.length()) {
            return true;
        }
        if (s.charAt(from) != ':' || s.length() - from - 1 < 1 || s.length() - from - 1 > 5) {
            return false;
        }
        for (int i = from + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return Integer.parseInt(s, from + 1, s.length(), 10) <= 65535;
    }
}
