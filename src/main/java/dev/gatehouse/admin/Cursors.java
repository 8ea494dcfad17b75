package dev.gatehouse.admin;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque paging cursors: the position to continue after (an app id, a version, an audit
 * sequence number), base64url-encoded so clients pass it back as they got it and do not build it.
 */
final class Cursors {
    private Cursors() {
    }

    static String encode(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    /** The position, or null without a cursor; 400 for one this API did not make. */
    static String decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (s.length() <= 100) {
                return s;
            }
        } catch (IllegalArgumentException ignored) {
            // below
        }
        throw new ApiProblem(400, "invalid-parameter", "cursor is not one this API returned.");
    }

    /** A numeric position (a version or sequence number), or null without a cursor. */
    static Long decodeNumber(String cursor) {
        String s = decode(cursor);
        if (s == null) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ApiProblem(400, "invalid-parameter", "cursor is not one this API returned.");
        }
    }
}
