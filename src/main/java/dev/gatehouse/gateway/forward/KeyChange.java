package dev.gatehouse.gateway.forward;

/**
 * An admin's change of the shared assertion keys (a rotation or a retirement): who asked (recorded
 * in the audit log in the same transaction as the change) and the key set's version they read
 * (a change against another version is refused, so two admins rotating at once make one new key,
 * not two, and nobody retires a key after a change they have not seen).
 *
 * @param subject         the admin's subject
 * @param idp             the admin's IdP
 * @param clientAddress   the client address Gatehouse believed, or null
 * @param requestId       the request's {@code X-Request-Id}
 * @param expectedVersion the key set's version the admin read (its ETag)
 */
public record KeyChange(String subject, String idp, String clientAddress, String requestId, int expectedVersion) {
}
