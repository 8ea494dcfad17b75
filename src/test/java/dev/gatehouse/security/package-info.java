/**
 * The hostile-input suite (issue 5, item 1): forged and malformed tokens, path, host and header
 * tricks, and oversized requests, each against the running Gatehouse with a real JWKS-serving IdP
 * and a recording upstream. Every case asserts the status and what the upstream received: nothing
 * for a refusal, and for a forwarded request only what Gatehouse itself put there.
 *
 * <p>All classes share {@link dev.gatehouse.security.HostileInputProfile}, which turns the
 * per-address limit on signature checks off: here every forged token must reach the verifier, so a
 * 429 can never hide whether the verifier itself would have refused it (the limit has its own test,
 * {@code RateLimitTest}).
 */
package dev.gatehouse.security;
