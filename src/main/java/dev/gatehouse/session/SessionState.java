package dev.gatehouse.session;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * What a session knows about the person, as the IdP last said it: the verified ID token's claims
 * (identity and device facts), the IdP's tokens, and until when the claims are current. Stored
 * encrypted ({@link SessionKeys}); never logged.
 *
 * @param claims       the verified ID token's claims (a JSON tree)
 * @param idToken      the raw ID token (the {@code id_token_hint} at sign-out)
 * @param accessToken  the IdP's access token, or null
 * @param refreshToken the IdP's refresh token, or null (then the claims are not renewed)
 * @param claimsExpMs  when the ID token, and so its claims, expire (epoch ms)
 */
public record SessionState(Map<String, Object> claims, String idToken, String accessToken, String refreshToken,
                           long claimsExpMs) {

    /** The IdP's {@code sid} (session id at the IdP), or null. */
    public String sid() {
        return claims.get("sid") instanceof String s ? s : null;
    }

    /** The {@code sub}. */
    public String subject() {
        return claims.get("sub") instanceof String s ? s : null;
    }

    @Override
    public String toString() {
        return "SessionState[sub=" + subject() + "]"; // never tokens
    }

    String toJson() {
        return new JsonObject().put("claims", claims).put("id_token", idToken).put("access_token", accessToken)
                .put("refresh_token", refreshToken).put("claims_exp_ms", claimsExpMs).encode();
    }

    static SessionState fromJson(String json) {
        JsonObject o = new JsonObject(json);
        return new SessionState(o.getJsonObject("claims").getMap(), o.getString("id_token"),
                o.getString("access_token"), o.getString("refresh_token"), o.getLong("claims_exp_ms"));
    }
}
