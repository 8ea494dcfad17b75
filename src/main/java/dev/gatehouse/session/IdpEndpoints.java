package dev.gatehouse.session;

/**
 * What an IdP's discovery document says about the endpoints of browser sign-in.
 *
 * @param authorization     {@code authorization_endpoint}
 * @param token             {@code token_endpoint}
 * @param jwks              {@code jwks_uri}
 * @param endSession        {@code end_session_endpoint} (RP-initiated logout), or null when it has none
 */
public record IdpEndpoints(String authorization, String token, String jwks, String endSession) {
}
