package dev.gatehouse.identity;

/**
 * A back-channel logout token that passed every check of OpenID Back-Channel Logout 1.0, section
 * 2.6: what to end.
 *
 * @param idp the id of the configured IdP that issued it
 * @param sub the user whose sessions end, or null (then {@code sid} is set)
 * @param sid the IdP session whose Gatehouse sessions end, or null (then {@code sub} is set)
 * @param jti the token's id (already recorded, so a replay is refused)
 */
public record LogoutToken(String idp, String sub, String sid, String jti) {
}
