package dev.gatehouse.session;

import dev.gatehouse.identity.TokenKey;
import dev.gatehouse.identity.VerifiedToken;
import dev.gatehouse.policy.Identity;
import dev.gatehouse.policy.IdentityFactory;
import dev.gatehouse.config.IdpConfig;
import java.util.HexFormat;

/**
 * One browser session as a replica holds it in memory. The handle (the cookie's value) and the
 * times are fixed; the state (claims and tokens) changes when the IdP token is refreshed, and is
 * swapped whole, so a request reads one consistent {@link #caller()}. Ended sessions are marked
 * (open connections on them notice) and dropped from the cache.
 */
public final class Session {
    private final String handle;
    private final String id;
    private final String idpId;
    private final String tenant;
    private final long createdMs;
    private final long expiresMs;
    private volatile SessionState state;
    private volatile VerifiedToken caller;
    private volatile long lastSeenMs;
    /** The last-seen time the store has (write-behind: written when it lags by more than a little). */
    volatile long storedLastSeenMs;
    /** When this session was last sent back to the IdP for a step-up (loop guard), epoch ms. */
    private volatile long stepUpAtMs;
    private volatile boolean ended;
    private int version;
    /** The app and host the sign-in was for (shown to admins), or null when not recorded. */
    private volatile String appId;
    private volatile String host;

    Session(String handle, String id, IdpConfig idp, long createdMs, long expiresMs, long lastSeenMs,
            SessionState state) {
        this.handle = handle;
        this.id = id;
        this.idpId = idp.id();
        this.tenant = idp.tenantId();
        this.createdMs = createdMs;
        this.expiresMs = expiresMs;
        this.lastSeenMs = lastSeenMs;
        this.storedLastSeenMs = lastSeenMs;
        replace(state, idp);
    }

    /** Swaps in new claims and tokens (after a refresh), with the caller they make. */
    synchronized void replace(SessionState next, IdpConfig idp) {
        Identity identity = IdentityFactory.fromClaims(next.claims(), idp.claims(), idp.trustEmail());
        // the cache key also keys the upstream-assertion cache: a new version after each refresh,
        // so an upstream never gets an assertion with the claims from before
        byte[] d = Secrets.sha256(id + ":" + (++version));
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(d);
        TokenKey key = new TokenKey(tenant, b.getLong(), b.getLong(), b.getLong(), b.getLong());
        this.caller = new VerifiedToken(key, idpId, identity, Math.floorDiv(expiresMs, 1000));
        this.state = next;
    }

    void madeFor(String appId, String host) {
        this.appId = appId;
        this.host = host;
    }

    /** The app the person signed in for, or null when not recorded. */
    public String appId() {
        return appId;
    }

    /** The host the sign-in ended on, or null when not recorded. */
    public String host() {
        return host;
    }

    /** The opaque handle the cookie carries. Never log it. */
    public String handle() {
        return handle;
    }

    /** The session id: SHA-256 (hex) of the handle; what the store, logs and notices name. */
    public String id() {
        return id;
    }

    public String idpId() {
        return idpId;
    }

    /** The quarkus-oidc tenant id of the IdP settings the session was made with. */
    public String tenant() {
        return tenant;
    }

    public long createdMs() {
        return createdMs;
    }

    /** When the session ends at the latest (epoch ms). */
    public long expiresMs() {
        return expiresMs;
    }

    public long lastSeenMs() {
        return lastSeenMs;
    }

    /** Records use at {@code nowMs}; cheap enough for every request (a volatile write only when it moved). */
    public void seen(long nowMs) {
        if (nowMs - lastSeenMs >= 1000) {
            lastSeenMs = nowMs;
        }
    }

    void seenFromStore(long ms) {
        if (ms > lastSeenMs) {
            lastSeenMs = ms;
        }
        storedLastSeenMs = Math.max(storedLastSeenMs, ms);
    }

    /**
     * Claims a step-up for this session at {@code nowMs}: false when one was claimed less than
     * {@code withinMs} ago (the IdP did not give what the policy asks; the caller shows the deny page
     * instead of redirecting in a loop).
     */
    public boolean claimStepUp(long nowMs, long withinMs) {
        if (nowMs - stepUpAtMs < withinMs) {
            return false;
        }
        stepUpAtMs = nowMs;
        return true;
    }

    /** The caller as the pipeline sees a verified bearer token: identity, IdP, cache key. */
    public VerifiedToken caller() {
        return caller;
    }

    public SessionState state() {
        return state;
    }

    /** Whether the session was ended (sign-out, back-channel logout, failed refresh). */
    public boolean ended() {
        return ended;
    }

    void end() {
        ended = true;
    }

    /** The CSRF token of this session's forms (sign-out): derived from the handle, never guessable without it. */
    public String csrfToken() {
        return HexFormat.of().formatHex(Secrets.sha256("csrf:" + handle), 0, 16);
    }

    @Override
    public String toString() {
        return "Session[" + id.substring(0, 12) + "]"; // never the handle
    }
}
