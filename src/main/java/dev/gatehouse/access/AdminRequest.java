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
 * @param email         the token's {@code email}, or null: only for people to read (the console
 *                      says who is signed in); who did what is always recorded by {@code subject}
 */
public record AdminRequest(String subject, String idp, String clientAddress, String requestId, String email) {
    /** The routing-context attribute that carries an admitted admin request. */
    public static final String CONTEXT_KEY = "gatehouse.admin.request";

    /** A request whose caller has no e-mail address to show. */
    public AdminRequest(String subject, String idp, String clientAddress, String requestId) {
        this(subject, idp, clientAddress, requestId, null);
    }

    /** How a person reads who the caller is: the e-mail address when the token has one, else the subject. */
    public String displayName() {
        return email != null ? email : subject;
    }
}
