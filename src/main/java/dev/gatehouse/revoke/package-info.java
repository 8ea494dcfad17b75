/**
 * Revocations: who is locked out before their token or session would end (a user, a session or a
 * device, each until an expiry), as an immutable set that every replica holds in memory.
 *
 * <p>Rule of this package: plain Java (no Quarkus, Vert.x or Jakarta), using only {@code policy}
 * and below; a lookup on the request path costs a few hash lookups and allocates nothing.
 */
package dev.gatehouse.revoke;
