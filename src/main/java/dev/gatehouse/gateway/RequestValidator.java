package dev.gatehouse.gateway;

import dev.gatehouse.gateway.connection.MalformedHead;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.Locale;

/**
 * Rejects ambiguous HTTP before anything else looks at the request: a head the strict HTTP/1
 * decoder refused ({@link MalformedHead}), two Host headers, a missing Host on HTTP/1.1, two
 * Content-Length headers, a Transfer-Encoding other than plain {@code chunked}, two Authorization
 * headers, a header name that is not a token, a header value with a control character, a raw
 * control character or space in the query, a method override in the query ({@code _method}), and an
 * absolute-form target whose authority differs from Host. Each is a way to make two parsers (or the
 * policy and the app) disagree about one request.
 */
final class RequestValidator {
    /** What a framework reads as the name {@code _method}, lower case, after its first character. */
    private static final String METHOD = "method";

    private RequestValidator() {
    }

    /** @return null when the request is unambiguous, else a short description for the log */
    static String ambiguity(HttpServerRequest req) {
        String malformed = MalformedHead.reasonOf(req);
        if (malformed != null) {
            return malformed;
        }
        MultiMap h = req.headers();
        boolean http2 = req.version() == HttpVersion.HTTP_2;
        // a keep-alive client's repeated bearer token was checked with its first request
        HeaderCensus census = HeaderCensus.of(h, ConnectionTokenKeys.lastHeader(req));
        if (!http2 && census.hosts != 1) {
            return census.hosts == 0 ? "missing Host" : "several Host headers";
        }
        if (census.contentLengths > 1) {
            return "several Content-Length headers";
        }
        if (census.transferEncodings > 0) {
            if (census.transferEncodings > 1
                    || !"chunked".equals(census.transferEncoding.toString().trim().toLowerCase(Locale.ROOT))) {
                return "unsupported Transfer-Encoding";
            }
            if (census.contentLengths > 0) {
                return "both Content-Length and Transfer-Encoding";
            }
        }
        if (census.authorizations > 1) {
            return "several Authorization headers";
        }
        if (census.badField != null) {
            return census.badField;
        }
        String uri = req.uri();
        String query = queryProblem(uri);
        if (query != null) {
            return query;
        }
        if (uri.isEmpty() || uri.charAt(0) != '/') {
            return absoluteFormMismatch(uri, http2 ? null : h.get("host"));
        }
        return null;
    }

    /**
     * The query as sent: a raw control character or space (RFC 3986 allows neither; percent-encoded
     * ones such as {@code %0d%0a} are data, forwarded as they are, for the app to decode), or a
     * parameter that frameworks read as a method override. Quarkus refuses most such URIs before
     * Gatehouse sees them (it parses each as a {@code java.net.URI}); this holds without that.
     */
    static String queryProblem(String uri) {
        int q = uri.indexOf('?');
        if (q < 0) {
            return null;
        }
        int name = q + 1;
        for (int i = name; i <= uri.length(); i++) {
            char c = i < uri.length() ? uri.charAt(i) : '&';
            if (c <= ' ' || c == 0x7f) {
                return "control character or space in the query";
            }
            if (c == '&' || c == ';') {
                if (isMethodOverride(uri, name, i)) {
                    return "method override in the query (_method)";
                }
                name = i + 1;
            }
        }
        return null;
    }

    /**
     * Whether the parameter in {@code [from, to)} is named {@code _method} as Rails, Laravel (Symfony)
     * or express method-override read it: in any case, percent-encoded or not, and as PHP reads names
     * (a leading space, {@code +}, dot or bracket becomes {@code _}; a NUL ends the name). Such a
     * parameter turns a POST into the DELETE an {@code http_method} rule was written to deny.
     */
    static boolean isMethodOverride(String s, int from, int to) {
        int matched = 0;
        for (int i = from; i < to; ) {
            int c = s.charAt(i);
            int next = i + 1;
            if (c == '=') {
                break;
            }
            if (c == '%' && i + 2 < to && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                c = hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2));
                next = i + 3;
            } else if (c == '+') {
                c = ' ';
            }
            if (c == 0) {
                break;
            }
            boolean same = matched == 0 ? c == '_' || c == ' ' || c == '.' || c == '['
                    : matched <= METHOD.length() && (c | 0x20) == METHOD.charAt(matched - 1);
            if (!same) {
                return false;
            }
            matched++;
            i = next;
        }
        return matched == METHOD.length() + 1;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        char lower = (char) (c | 0x20);
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }

    private static String absoluteFormMismatch(String uri, String host) {
        String lower = uri.toLowerCase(Locale.ROOT);
        int start = lower.startsWith("http://") ? 7 : lower.startsWith("https://") ? 8 : -1;
        if (start < 0) {
            return "request target is neither a path nor an absolute URL";
        }
        int end = uri.indexOf('/', start);
        String authority = end < 0 ? uri.substring(start) : uri.substring(start, end);
        if (host == null || !authority.equalsIgnoreCase(host)) {
            return "absolute-form target does not match Host";
        }
        return null;
    }

    /**
     * The body length the client declared ({@code Content-Length}): -1 when it declared none,
     * {@link Long#MAX_VALUE} when the value is not a number (so any limit refuses it).
     */
    static long declaredLength(HttpServerRequest req) {
        String cl = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (cl == null) {
            return -1;
        }
        try {
            return Long.parseLong(cl.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
