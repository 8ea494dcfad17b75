package dev.gatehouse.observe;

import dev.gatehouse.access.Verdict;
import dev.gatehouse.policy.Decision;
import dev.gatehouse.policy.ReasonCode;
import java.util.List;

/**
 * One finished request as the decision log records it. Never holds a token, a cookie, an
 * {@code Authorization} value or a query string: the path is the normalised path without query.
 *
 * @param requestId      the {@code X-Request-Id}
 * @param app            app id, or {@code none}
 * @param host           the normalised host, or null for a request too malformed to have one
 * @param method         the HTTP method
 * @param path           the normalised path (no query), or null when the request had none usable
 * @param status         the status the client got (499: it went away)
 * @param verdict        how the request ended
 * @param reasons        the reasons, the deciding one first
 * @param rule           the policy rule that decided, or null when none was evaluated: no policy decision
 *                       (a refused token, no route, ...), or an anonymous caller stopped where the policy
 *                       first needs a signed-in one ({@link Decision#evaluatedRule()})
 * @param policyVersion  the version of the policy that decided, 0 when none did
 * @param user           the caller's {@code sub}, or null
 * @param idp            the IdP id of the app (whose tokens were checked), or null
 * @param deviceId       the caller's device id, or null
 * @param client         the client address Gatehouse believed, or null when unknown
 * @param nanos          time from request to the end of the response
 * @param upstreamStatus the upstream's status, 0 when the upstream was not asked or did not answer
 * @param tokenError     why a presented token was refused ({@code token-expired}, {@code wrong-issuer}, ...), or null
 * @param shadow         what the app's candidate policy would have decided (shadow mode), or null
 * @param shadowAgrees   whether {@code shadow} agrees with the live decision (both allow, or both not)
 */
public record DecisionEntry(String requestId, String app, String host, String method, String path, int status,
                            Verdict verdict, List<? extends ReasonCode> reasons, String rule, long policyVersion,
                            String user, String idp, String deviceId, String client, long nanos, int upstreamStatus,
                            String tokenError, Decision shadow, boolean shadowAgrees) {

    /** An entry without a shadow decision. */
    public DecisionEntry(String requestId, String app, String host, String method, String path, int status,
                         Verdict verdict, List<? extends ReasonCode> reasons, String rule, long policyVersion,
                         String user, String idp, String deviceId, String client, long nanos, int upstreamStatus,
                         String tokenError) {
        this(requestId, app, host, method, path, status, verdict, reasons, rule, policyVersion, user, idp, deviceId,
                client, nanos, upstreamStatus, tokenError, null, true);
    }
}
