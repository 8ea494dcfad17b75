/**
 * Authentication: from a raw bearer token to a verified {@link dev.gatehouse.policy.Identity}.
 *
 * <p>Rule of this package: signature, issuer, audience and lifetime checks are quarkus-oidc's
 * (one tenant per IdP); this package adds only the cache of verified tokens in front of it and the
 * mapping of claims, and never changes a security outcome.
 */
package dev.gatehouse.identity;
