package dev.gatehouse.gateway.forward;

import dev.gatehouse.identity.VerifiedToken;
import dev.gatehouse.policy.Identity;
import dev.gatehouse.route.AppRoute;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The headers Gatehouse adds to an allowed request: forwarding headers ({@code X-Forwarded-*},
 * {@code Forwarded}), {@code X-Request-Id}, the signed {@code X-Gatehouse-Assertion} and, when the
 * app asks for them, the plain identity headers. Computed once, before forwarding; the forwarders
 * apply them after filtering the client's headers ({@link HeaderHygiene}).
 */
@Singleton
public class ForwardedHeaders {
    private final AssertionSigner signer;

    public ForwardedHeaders(AssertionSigner signer) {
        this.signer = signer;
    }

    /**
     * What one request gets.
     *
     * @param clientText  the client address Gatehouse believes, as text, or null when unknown
     * @param peerText    the TCP peer's address as text, or null when it has none
     * @param priorXff    the {@code X-Forwarded-For} a trusted proxy sent (kept and extended), else null
     * @param https       whether the client spoke TLS to Gatehouse
     * @param host        the host the client asked for (authority as received)
     * @param token       the verified caller, or null for an anonymous request
     */
    public AddedHeaders of(AppRoute route, String clientText, String peerText, String priorXff, boolean https,
                           String host, String requestId, VerifiedToken token) {
        AddedHeaders h = new AddedHeaders();
        String peer = peerText == null ? "unknown" : peerText;
        String proto = https ? "https" : "http";
        String safeHost = HeaderHygiene.safeValue(host);
        h.add("X-Forwarded-For", priorXff == null ? (clientText == null ? peer : clientText)
                : priorXff + ", " + peer);
        h.add("X-Forwarded-Proto", proto);
        h.add("X-Forwarded-Host", safeHost);
        // RFC 7239: an unknown client is "for=unknown", never a guess
        String forFor = clientText == null ? "unknown" : clientText.indexOf(':') >= 0 ? "\"[" + clientText + "]\"" : clientText;
        h.add("Forwarded", "for=" + forFor + ";proto=" + proto + ";host=\"" + safeHost.replace("\"", "") + "\"");
        h.add("X-Request-Id", requestId);
        if (token != null) {
            h.add("X-Gatehouse-Assertion", signer.assertionFor(token, route.id()));
            if (route.app().identityHeaders()) {
                Identity id = token.identity();
                h.add("X-Gatehouse-User", HeaderHygiene.safeValue(id.subject()));
                if (id.email() != null) {
                    h.add("X-Gatehouse-Email", HeaderHygiene.safeValue(id.email()));
                }
                h.add("X-Gatehouse-Groups", groupsHeader(id.groups()));
            }
        }
        return h;
    }

    /**
     * The comma-separated group list of {@code X-Gatehouse-Groups}. A group name may itself contain
     * a comma ("Sales, EMEA"); joined as is it would read as two groups, one of which the user is
     * not in. So each name is percent-encoded for {@code %} and {@code ,} (and control characters,
     * which headers cannot carry): {@code Sales%2C EMEA}. Names without those characters are sent
     * unchanged.
     */
    static String groupsHeader(List<String> groups) {
        if (groups == null || groups.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < groups.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String g = groups.get(i);
            for (int j = 0; j < g.length(); j++) {
                char c = g.charAt(j);
                if (c == ',' || c == '%' || c < 0x20 || c == 0x7f) {
                    sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
                } else {
                    sb.append(c);
                }
            }
        }
        return sb.toString();
    }
}
