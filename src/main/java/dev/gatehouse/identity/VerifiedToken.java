package dev.gatehouse.identity;

import dev.gatehouse.policy.Identity;

/**
 * A token quarkus-oidc (or {@link LocalJwtVerifier}, with the same checks) has verified for one IdP,
 * as the verified-token cache keeps it until its {@code exp}.
 *
 * <p>Besides the verified facts it has one mutable slot, {@link #assertionMemo()}, which the
 * assertion signer uses to remember what it worked out for this token (which assertion key, at
 * which app) instead of a second cache keyed by (token, app): that cache cost about 110 bytes per
 * cached token and a hash lookup per request (BENCHMARKS.md, issue 13 round eight). The slot never
 * decides whether the token is valid or whom it names.
 */
public final class VerifiedToken {
    private final TokenKey cacheKey;
    private final String idp;
    private final Identity identity;
    private final long expEpochSeconds;
    /** Written and read by any event loop: what it holds is immutable, so a stale read only costs a lookup. */
    private volatile Object assertionMemo;

    /**
     * @param cacheKey        IdP tenant and SHA-256 of the raw token
     * @param idp             id of the IdP (from the config) that issued and verified the token: a
     *                        {@code sub} is unique only within its IdP
     * @param identity        the caller
     * @param expEpochSeconds the token's {@code exp}
     */
    public VerifiedToken(TokenKey cacheKey, String idp, Identity identity, long expEpochSeconds) {
        this.cacheKey = cacheKey;
        this.idp = idp;
        this.identity = identity;
        this.expEpochSeconds = expEpochSeconds;
    }

    /** IdP tenant and SHA-256 of the raw token: the verified-token cache's key. */
    public TokenKey cacheKey() {
        return cacheKey;
    }

    /** Id of the IdP that issued and verified the token. */
    public String idp() {
        return idp;
    }

    /** The caller. */
    public Identity identity() {
        return identity;
    }

    /** The token's {@code exp}, epoch seconds. */
    public long expEpochSeconds() {
        return expEpochSeconds;
    }

    /** What the assertion signer last remembered for this token (an immutable object of its own), or null. */
    public Object assertionMemo() {
        return assertionMemo;
    }

    /** For the assertion signer only: {@code memo} must be immutable and live no longer than its use allows. */
    public void assertionMemo(Object memo) {
        this.assertionMemo = memo;
    }

    @Override
    public String toString() {
        return "VerifiedToken[" + cacheKey + ", idp=" + idp + ", exp=" + expEpochSeconds + "]";
    }
}
