package dev.gatehouse.identity;

import dev.gatehouse.policy.Identity;

/**
 * A token quarkus-oidc has verified for one IdP.
 *
 * @param cacheKey       IdP tenant and SHA-256 of the raw token; also keys the assertion cache
 * @param idp            id of the IdP (from the config) that issued and verified the token: a
 *                       {@code sub} is unique only within its IdP
 * @param identity       the caller
 * @param expEpochSeconds the token's {@code exp}
 */
public record VerifiedToken(TokenKey cacheKey, String idp, Identity identity, long expEpochSeconds) {
}
