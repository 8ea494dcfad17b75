package dev.gatehouse.gateway.forward;

/**
 * An admin's request to rotate the shared assertion key: who asked (recorded in the audit log in
 * the same transaction as the new key) and how many keys the store held when they looked (the
 * key set's version: a rotation against another count is refused, so two admins rotating at once
 * make one new key, not two).
 *
 * @param subject       the admin's subject
 * @param idp           the admin's IdP
 * @param clientAddress the client address Gatehouse believed, or null
 * @param requestId     the request's {@code X-Request-Id}
 * @param expectedKeys  the number of stored keys the admin read (the ETag of the key set)
 */
public record KeyRotation(String subject, String idp, String clientAddress, String requestId, int expectedKeys) {
}
