package dev.gatehouse.session;

/**
 * The IdP token endpoint's answer (code exchange or refresh). Never logged.
 *
 * @param idToken      the ID token, or null (a refresh may not return one)
 * @param accessToken  the access token, or null
 * @param refreshToken the refresh token, or null
 */
public record TokenResponse(String idToken, String accessToken, String refreshToken) {
    @Override
    public String toString() {
        return "TokenResponse[id_token=" + (idToken != null) + ", refresh_token=" + (refreshToken != null) + "]";
    }
}
