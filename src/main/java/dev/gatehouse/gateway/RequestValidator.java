package dev.gatehouse.gateway;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.List;
import java.util.Locale;

/**
 * Rejects ambiguous HTTP before anything else looks at the request: two Host headers, a missing
 * Host on HTTP/1.1, two Content-Length headers, a Transfer-Encoding other than plain
 * {@code chunked}, two Authorization headers, and an absolute-form target whose authority differs
 * from Host. Each is a way to make two parsers disagree about one request.
 */
final class RequestValidator {
    private RequestValidator() {
    }

    /** @return null when the request is unambiguous, else a short description for the log */
    static String ambiguity(HttpServerRequest req) {
        MultiMap h = req.headers();
        boolean http2 = req.version() == HttpVersion.HTTP_2;
        if (!http2) {
            List<String> hosts = h.getAll("host");
            if (hosts.size() != 1) {
                return hosts.isEmpty() ? "missing Host" : "several Host headers";
            }
        }
        if (h.getAll("content-length").size() > 1) {
            return "several Content-Length headers";
        }
        List<String> te = h.getAll("transfer-encoding");
        if (!te.isEmpty()) {
            if (te.size() > 1 || !"chunked".equals(te.get(0).trim().toLowerCase(Locale.ROOT))) {
                return "unsupported Transfer-Encoding";
            }
            if (h.contains("content-length")) {
                return "both Content-Length and Transfer-Encoding";
            }
        }
        if (h.getAll("authorization").size() > 1) {
            return "several Authorization headers";
        }
        for (String name : h.names()) {
            if (!isToken(name)) {
                // Netty accepts a line such as ": value" as a header with an empty name, and Gatehouse
                // forwarded it upstream, where another parser may read it differently (found by the
                // hostile-input suite)
                return "header name is not an RFC 9110 token";
            }
        }
        String uri = req.uri();
        if (uri.isEmpty() || uri.charAt(0) != '/') {
            return absoluteFormMismatch(uri, http2 ? null : h.get("host"));
        }
        return null;
    }

    /** RFC 9110 token: one or more of ALPHA DIGIT and !#$%&'*+-.^_`|~ */
    static boolean isToken(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
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
}
