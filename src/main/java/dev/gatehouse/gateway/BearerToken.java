package dev.gatehouse.gateway;

import io.vertx.core.http.HttpServerRequest;

/**
 * Extracts the bearer token, rejecting cheaply what cannot be a JWT so floods of garbage never cost
 * a signature check.
 */
final class BearerToken {
    /** Marker for "an Authorization header is present but is not a plausible bearer JWT". */
    static final String MALFORMED = new String("malformed");
    static final int MAX_LENGTH = 16 * 1024;

    private BearerToken() {
    }

    /** @return the token, null when there is no Authorization header, or {@link #MALFORMED} */
    static String from(HttpServerRequest req) {
        String auth = req.getHeader("Authorization");
        if (auth == null) {
            return null;
        }
        if (auth.length() < 8 || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return MALFORMED;
        }
        String token = auth.substring(7).trim();
        return isCompactJws(token) ? token : MALFORMED;
    }

    /** Three non-empty base64url segments; nothing else is looked at. */
    static boolean isCompactJws(String t) {
        if (t.isEmpty() || t.length() > MAX_LENGTH) {
            return false;
        }
        int dots = 0;
        int segment = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '.') {
                if (segment == 0) {
                    return false;
                }
                dots++;
                segment = 0;
            } else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                segment++;
            } else {
                return false;
            }
        }
        return dots == 2 && segment > 0;
    }
}
