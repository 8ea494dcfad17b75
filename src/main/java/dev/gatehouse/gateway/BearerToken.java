package dev.gatehouse.gateway;

/**
 * Where the bearer token sits in an {@code Authorization} header, found without copying it (this
 * runs on every request), and a cheap syntax check run before any signature check, so floods of
 * garbage never reach the verifier.
 */
final class BearerToken {
    static final int MAX_LENGTH = 16 * 1024;
    /** {@link #start} result for a header that is present but not {@code Bearer <something>}. */
    static final int MALFORMED = -1;

    private BearerToken() {
    }

    /** @return index of the token's first character in {@code auth}, or {@link #MALFORMED} */
    static int start(String auth) {
        if (auth.length() < 8 || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return MALFORMED;
        }
        int i = 7;
        while (i < auth.length() && auth.charAt(i) == ' ') {
            i++;
        }
        return i < end(auth) ? i : MALFORMED;
    }

    /** @return index after the token's last character (trailing spaces excluded) */
    static int end(String auth) {
        int e = auth.length();
        while (e > 0 && auth.charAt(e - 1) == ' ') {
            e--;
        }
        return e;
    }

    /** Three non-empty base64url segments of at most 16 KiB in all; nothing else is looked at. */
    static boolean isCompactJws(String t, int start, int end) {
        if (end <= start || end - start > MAX_LENGTH) {
            return false;
        }
        int dots = 0;
        int segment = 0;
        for (int i = start; i < end; i++) {
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
