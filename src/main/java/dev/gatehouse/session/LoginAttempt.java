package dev.gatehouse.session;

import io.vertx.core.json.JsonObject;

/**
 * One sign-in under way, carried by its own state cookie ({@code __Host-gatehouse_login_<id>}),
 * sealed with the session keys (so any replica can read it at the callback, and nobody can forge
 * or alter it). Several tabs signing in at once each have their own attempt and cookie, so none
 * overwrites another's.
 *
 * @param id        short random id: the cookie name's suffix and the prefix of the {@code state} parameter
 * @param state     the random {@code state} sent to the IdP (after {@code id.})
 * @param verifier  the PKCE code verifier
 * @param nonce     the nonce the ID token must carry
 * @param returnTo  where the browser goes after sign-in (checked by {@link RedirectGuard})
 * @param tenant    the IdP settings the sign-in started with ({@code IdpConfig.tenantId()})
 * @param appId     the app the sign-in is for (its session limits), or the admin app id
 * @param createdMs when it started (epoch ms): the callback refuses it after the login timeout
 * @param stepUp    whether it asks for more than the last sign-in gave (the session it makes
 *                  remembers, so a step-up the IdP cannot give ends on the deny page, not in a loop)
 */
public record LoginAttempt(String id, String state, String verifier, String nonce, String returnTo, String tenant,
                           String appId, long createdMs, boolean stepUp) {
    static final String PURPOSE = "gatehouse-login:";

    /** A new attempt with fresh random values. */
    public static LoginAttempt start(String returnTo, String tenant, String appId, long nowMs, boolean stepUp) {
        return new LoginAttempt(Secrets.random(8), Secrets.random(32), Secrets.random(32), Secrets.random(32),
                returnTo, tenant, appId, nowMs, stepUp);
    }

    /** The {@code state} parameter: {@code id.state}. */
    public String stateParam() {
        return id + "." + state;
    }

    /** The sealed cookie value. */
    public String seal(SessionKeys keys) {
        String json = new JsonObject().put("s", state).put("v", verifier).put("n", nonce).put("r", returnTo)
                .put("t", tenant).put("a", appId).put("c", createdMs).put("u", stepUp).encode();
        return keys.seal(json, PURPOSE + id);
    }

    /** The attempt of a sealed cookie value, or null when it is not one (forged, altered, other id, unknown key). */
    public static LoginAttempt open(String id, String sealed, SessionKeys keys) {
        String json = keys.open(sealed, PURPOSE + id);
        if (json == null) {
            return null;
        }
        try {
            JsonObject o = new JsonObject(json);
            return new LoginAttempt(id, o.getString("s"), o.getString("v"), o.getString("n"), o.getString("r"),
                    o.getString("t"), o.getString("a"), o.getLong("c"), Boolean.TRUE.equals(o.getBoolean("u")));
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "LoginAttempt[" + id + "]"; // never the secrets
    }
}
