/**
 * Browser sign-in and sessions: the OIDC authorization code flow (PKCE, state, nonce) against an
 * app's IdP, ID token verification, sessions encrypted at rest in the store and cached in memory
 * on every replica, token refresh, sign-out, and the one redirect guard.
 *
 * <p>Rule of this package: it never blocks an event loop (the store is used from worker threads,
 * the IdP over the Vert.x web client) and never decides access itself: an identity from a session
 * goes through the same {@code access.AccessCheck} as a bearer token's. It uses {@code store},
 * {@code identity}, {@code observe} and below, never {@code gateway}.
 */
package dev.gatehouse.session;
