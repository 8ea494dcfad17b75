package dev.gatehouse.store;

/**
 * One stored browser session, as the store sees it: identifiers and times in the clear, everything
 * about the person encrypted by the session layer ({@code state}, with the key {@code keyId}).
 *
 * @param id          SHA-256 (hex) of the cookie's handle
 * @param idpId       the IdP that signed the person in
 * @param subjectHash SHA-256 (hex) of IdP id and {@code sub}: found by back-channel logout, never read back
 * @param sidHash     SHA-256 (hex) of IdP id and the ID token's {@code sid}, or null when it had none
 * @param state       encrypted session state (base64)
 * @param emailHash   SHA-256 (hex) of the identity's lower-cased email, or null when it has none (or the
 *                    session predates the column): found by an admin's search, never read back
 */
public record SessionRow(String id, String idpId, String subjectHash, String sidHash, long createdMs, long expiresMs,
                         long lastSeenMs, String keyId, String state, String emailHash) {
}
