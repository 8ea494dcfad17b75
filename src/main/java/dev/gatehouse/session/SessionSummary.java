package dev.gatehouse.session;

/**
 * One stored browser session as an admin may see it ({@code GET /api/v1/sessions}): who, from
 * where, since when. Never the cookie's handle or the IdP's tokens. The id is the SHA-256 of the
 * handle: it names the session in logs, notices, {@code DELETE /api/v1/sessions/{id}} and a
 * revocation of kind {@code session}, and gives nobody the cookie.
 *
 * @param id         the session id (64 hex digits)
 * @param idpId      the IdP the person signed in at
 * @param subject    their {@code sub} at that IdP
 * @param email      their email as the IdP last said it, or null (or when the state is unreadable)
 * @param deviceId   the device id claim, or null
 * @param appId      the app the sign-in was for, or null (not recorded for older sessions)
 * @param host       the host the sign-in ended on, or null
 * @param createdMs  when the person signed in (epoch ms)
 * @param lastSeenMs last use known to the store or to this replica (epoch ms; the store's lags by up to a minute)
 * @param expiresMs  when the session ends at the latest (epoch ms)
 * @param readable   false when the state could not be decrypted or its IdP is no longer configured
 *                   (the session is refused anyway; it can still be ended)
 */
public record SessionSummary(String id, String idpId, String subject, String email, String deviceId, String appId,
                             String host, long createdMs, long lastSeenMs, long expiresMs, boolean readable) {
}
