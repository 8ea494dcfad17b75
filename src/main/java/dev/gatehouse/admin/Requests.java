package dev.gatehouse.admin;

import dev.gatehouse.config.AppDocument;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the admin API reads from a request before anything is decided: ids, JSON bodies and their
 * {@code comment}, paging parameters (the {@code If-Match} / {@code If-None-Match} preconditions:
 * {@link Preconditions}). Each refusal is an {@link ApiProblem} (400, 415).
 */
final class Requests {
    /** As an app id in the config ({@code [a-z0-9-]+}), at most 63 characters. */
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    static final int MAX_COMMENT = 1000;
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private Requests() {
    }

    static String id(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new ApiProblem(400, "invalid-app-id", "An app id is 1 to 63 of a-z, 0-9 and '-', starting with a "
                    + "letter or digit.");
        }
        return id;
    }

    /**
     * Reads a request body, at most {@code max} bytes: the gateway refused a larger declared length
     * already; this bounds bodies sent without one (chunked, HTTP/2).
     */
    static byte[] read(java.io.InputStream in, long max) {
        if (in == null) {
            return new byte[0];
        }
        try {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 1, max + 1));
            if (bytes.length > max) {
                throw new ApiProblem(413, "body-too-large", "The body is larger than the admin API accepts ("
                        + max / 1024 + " KB).");
            }
            return bytes;
        } catch (java.io.IOException e) {
            throw new ApiProblem(400, "invalid-request", "The body could not be read.");
        }
    }

    /** A JSON body as the API expects it: {@code Content-Type: application/json} and an object. */
    static Map<String, Object> object(String contentType, byte[] body) {
        if (contentType == null || !isJson(contentType)) {
            throw new ApiProblem(415, "unsupported-media-type", "Send the body as application/json.");
        }
        Object tree;
        try {
            tree = Json.parse(body);
        } catch (Json.Malformed e) {
            throw ApiProblem.invalid("The body is not a JSON document.", List.of(new AppDocument.Error("", e.getMessage())));
        }
        if (!(tree instanceof Map<?, ?> map)) {
            throw ApiProblem.invalid("The body must be a JSON object.",
                    List.of(new AppDocument.Error("", "expected an object")));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static boolean isJson(String contentType) {
        String type = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    /** Removes and checks the optional {@code comment}: a string of at most 1000 characters, no control characters. */
    static String takeComment(Map<String, Object> body) {
        Object c = body.remove("comment");
        if (c == null) {
            return null;
        }
        String problem = !(c instanceof String s) ? "expected a string"
                : s.length() > MAX_COMMENT ? "at most " + MAX_COMMENT + " characters"
                : s.chars().anyMatch(ch -> ch < 0x20 && ch != '\n' && ch != '\t' || ch == 0x7f)
                        ? "control characters are not allowed" : null;
        if (problem != null) {
            throw ApiProblem.invalid("The comment is not acceptable.", List.of(new AppDocument.Error("comment", problem)));
        }
        return (String) c;
    }

    /** A page size: 1 to 500, default 50. */
    static int limit(String text) {
        if (text == null || text.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new ApiProblem(400, "invalid-parameter", "limit must be a number from 1 to " + MAX_LIMIT + ".");
    }

    /** A positive version number from a query parameter, or null when absent. */
    static Long version(String name, String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            long n = Long.parseLong(text);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new ApiProblem(400, "invalid-parameter", name + " must be a version number (1, 2, ...).");
    }
}
