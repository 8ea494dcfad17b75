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

    /**
     * The base64url alphabet ({@code A-Z a-z 0-9 - _}) by character: one load per character instead
     * of five range compares, whose branches a random-looking token mispredicts often (this scan
     * of the whole ~700-character token was ~2% of a new token's CPU in the miss profile,
     * BENCHMARKS.md issue 13 round seven).
     */
    private static final boolean[] BASE64URL = new boolean[128];

    static {
        for (char c = 'A'; c <= 'Z'; c++) {
            BASE64URL[c] = true;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            BASE64URL[c] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            BASE64URL[c] = true;
        }
        BASE64URL['-'] = true;
        BASE64URL['_'] = true;
    }

    /** Three non-empty base64url segments of at most 16 KiB in all; nothing else is looked at. */
    static boolean isCompactJws(String t, int start, int end) {
        if (end <= start || end - start > MAX_LENGTH) {
            return false;
        }
        int d1 = t.indexOf('.', start);
        int d2 = d1 < 0 ? -1 : t.indexOf('.', d1 + 1);
        // a third dot, or any other character outside the alphabet, fails the segment scan
        return d1 > start && d2 > d1 + 1 && d2 < end - 1
                && base64url(t, start, d1) && base64url(t, d1 + 1, d2) && base64url(t, d2 + 1, end);
    }

    private static boolean base64url(String t, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c >= BASE64URL.length || !BASE64URL[c]) {
                return false;
            }
        }
        return true;
    }
}
