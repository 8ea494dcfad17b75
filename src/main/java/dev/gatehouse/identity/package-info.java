/**
 * Authentication: from a raw bearer token to a verified {@link dev.gatehouse.policy.Identity}.
 *
 * <p>Rule of this package: signature, issuer, audience and lifetime checks are quarkus-oidc's (one
 * tenant per IdP). In front of it sit the cache of verified tokens and a local check of new tokens
 * with the keys the IdP publishes ({@link dev.gatehouse.identity.LocalJwtVerifier}), which only ever
 * accepts what quarkus-oidc would accept and leaves every other token to it; neither changes a
 * security outcome.
 */
package dev.gatehouse.identity;
