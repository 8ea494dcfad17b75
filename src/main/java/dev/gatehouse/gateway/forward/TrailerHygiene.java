package dev.gatehouse.gateway.forward;

import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which of an upstream's trailer fields (after a chunked body) reach the client, and what the
 * response's {@code Trailer} header may announce: the same fields, so the announcement never names a
 * field that cannot follow.
 *
 * <p>A trailer field passes when it could pass as a request header ({@link HeaderHygiene}: no
 * hop-by-hop field, no {@code X-Gatehouse-*} or other identity header, no {@code Authorization},
 * no {@code _} in the name, nothing in {@code gatehouse.strip-headers}), is not named in the
 * upstream's {@code Connection}, is not {@code X-Request-Id} (Gatehouse's own, in the head), and is
 * not one RFC 9110 section 6.5.1 keeps out of trailers: framing, routing, request modifiers,
 * authentication, response control data and how to process the content. A recipient could merge
 * such a field into the header section; an identity header there would then be one the upstream
 * slipped past the rules the client's requests are held to.
 *
 * <p>Only called when an upstream sent trailers or a {@code Trailer} header: never on the common path.
 */
final class TrailerHygiene {
    /** RFC 9110 section 6.5.1: fields a sender must not put in trailers (lower case). */
    private static final Set<String> NOT_IN_TRAILERS = Set.of(
            // message framing (6.5.1: "e.g., Transfer-Encoding and Content-Length")
            "content-length",
            // routing, request modifiers (controls, conditionals: section 7.6, 13)
            "host", "cache-control", "expect", "max-forwards", "pragma", "range", "if-match", "if-none-match",
            "if-modified-since", "if-unmodified-since", "if-range",
            // authentication
            "authorization", "proxy-authorization", "www-authenticate", "proxy-authenticate", "authentication-info",
            "proxy-authentication-info", "cookie", "set-cookie",
            // response control data (section 10.2)
            "age", "date", "expires", "location", "retry-after", "vary",
            // how to process the content
            "content-type", "content-encoding", "content-range", "content-language", "content-location");

    private TrailerHygiene() {
    }

    /** Whether a trailer field of this lower-case name may reach the client. */
    static boolean allowed(String lowerName, Set<String> connectionNamed, HeaderHygiene hygiene) {
        return !NOT_IN_TRAILERS.contains(lowerName) && !lowerName.equals("x-request-id")
                && hygiene.allowedRequestHeader(lowerName, connectionNamed, false);
    }

    /**
     * Copies the upstream's trailer fields the client may get into {@code out} (the client response's
     * trailers), names and values as they came.
     *
     * @param upstreamHeaders the upstream response's header section, for the names its {@code Connection} lists
     */
    static void copy(MultiMap upstreamTrailers, MultiMap upstreamHeaders, MultiMap out, HeaderHygiene hygiene) {
        Set<String> named = HeaderHygiene.connectionNamed(upstreamHeaders);
        for (Map.Entry<String, String> e : upstreamTrailers) {
            if (allowed(HeaderHygiene.lower(e.getKey()), named, hygiene)) {
                out.add(e.getKey(), e.getValue());
            }
        }
    }

    /**
     * The upstream's {@code Trailer} header value(s) with only the names {@link #allowed} lets
     * through, in their order and spelling, comma-separated; null when none is left.
     */
    static String announced(CharSequence upstreamValue, Set<String> connectionNamed, HeaderHygiene hygiene) {
        StringBuilder kept = null;
        for (String token : upstreamValue.toString().split(",")) {
            String name = token.trim();
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HeaderHygiene.isToken(lower) || !allowed(lower, connectionNamed, hygiene)) {
                continue;
            }
            if (kept == null) {
                kept = new StringBuilder(upstreamValue.length());
            } else {
                kept.append(", ");
            }
            kept.append(name);
        }
        return kept == null ? null : kept.toString();
    }
}
