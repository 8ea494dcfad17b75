package dev.gatehouse.identity;

import dev.gatehouse.policy.Identity;

/**
 * A token quarkus-oidc has verified for one IdP.
 *
 * @param cacheKey       IdP tenant and SHA-256 of the raw token; also keys the assertion cache
 * @param identity       the caller
 * @param expEpochSeconds the token's {@code exp}
 */
public record VerifiedToken(TokenKey cacheKey, Identity identity, long expEpochSeconds) {
}
