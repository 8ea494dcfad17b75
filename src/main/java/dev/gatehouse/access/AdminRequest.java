package dev.gatehouse.access;

/**
 * A request to the admin API, as the gateway hands it over once the admin policy allowed it (or
 * records it when refused): who asked and from where. The admin resources find it in the request
 * under {@link #CONTEXT_KEY}; a request without it did not come through the gateway's admin check.
 *
 * @param subject       the verified token's {@code sub}, or null when there was no valid token
 * @param idp           the id of the IdP that issued the token, or null
 * @param clientAddress the client address Gatehouse believed, or null when unknown
 * @param requestId     the request's {@code X-Request-Id}
 */
public record AdminRequest(String subject, String idp, String clientAddress, String requestId) {
    /** The routing-context attribute that carries an admitted admin request. */
    public static final String CONTEXT_KEY = "gatehouse.admin.request";
}
